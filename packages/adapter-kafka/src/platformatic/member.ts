import type { GroupMember, JoinOptions, PartitionOffset } from "../client.js";
import { BufferedMember } from "./buffered-member.js";
import {
  type BufferConsumer,
  type BufferMessage,
  type BufferStream,
  type ConnectionOptions,
  closeConsumer,
  commitOffsets,
  incoming,
  openConsumer,
} from "./group-consumer.js";

/**
 * A consumer-group member whose consumer runs on this thread: the library's message stream drained
 * into the member's buffer. The client uses it where the client thread is off
 * (`PlatformaticOptions.clientThread`); see `on-thread.ts` for the default.
 *
 * @module
 */

class PlatformaticMember extends BufferedMember {
  constructor(
    private readonly consumer: BufferConsumer,
    private readonly stream: BufferStream,
    capacity: number,
  ) {
    super(capacity);
    stream.on("data", (m: BufferMessage) => {
      this.add(incoming(m));
      this.received();
    });
    stream.on("error", (e: Error) => this.fail(e));
    stream.on("close", () => this.fail(new Error("the consumer stream closed")));
    // The client emits `error` on the consumer itself when a rejoin after a rebalance fails; unheard,
    // Node throws it out of the event loop and the process dies (`serve` with it). The member fails
    // instead: its next poll throws, and the service over it restarts from the committed offsets.
    consumer.on("error", (e: Error) => this.fail(e));
  }

  protected pauseFetching() {
    this.stream.pause();
  }

  protected resumeFetching() {
    this.stream.resume();
  }

  protected commitOffsets(offsets: readonly PartitionOffset[]) {
    return commitOffsets(this.consumer, offsets);
  }

  protected leave() {
    return closeConsumer(this.consumer, this.stream);
  }
}

/**
 * The member over a consumer already consuming `stream`: the last step of {@link joinGroup}, apart
 * for the adapter's tests, which inject what the client emits.
 */
export function memberOf(consumer: BufferConsumer, stream: BufferStream, capacity: number): GroupMember {
  return new PlatformaticMember(consumer, stream, capacity);
}

/**
 * Joins `group` on `topic` and starts fetching from the group's committed offsets (the start of a
 * partition that has none), on this thread.
 */
export async function joinGroup(
  connection: ConnectionOptions,
  group: string,
  topic: string,
  options: JoinOptions,
): Promise<GroupMember> {
  const { consumer, stream } = await openConsumer(connection, group, topic, options);
  return memberOf(consumer, stream, options.bufferSize);
}
