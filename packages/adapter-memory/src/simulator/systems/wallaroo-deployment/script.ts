/**
 * Task scripts as small deterministic programs: a generator yields what the Python script calls
 * (`pipeline.status()`, `pipeline.infer(...)`, `time.sleep(...)`) and the engine answers each in
 * simulated time. An exception the script does not catch ends its task run as `failure`, as an
 * uncaught exception ends a Wallaroo task run.
 *
 * @module
 */

/** One call of the script. */
export type ScriptCall =
  | { readonly type: "status" }
  | { readonly type: "infer"; readonly data: string }
  | { readonly type: "sleep"; readonly ms: number };

/** The answer to `infer`: served, or the exception `pipeline.infer` raised. */
export type InferResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** What the engine sends back: the status text for `status`, the result for `infer`, nothing for `sleep`. */
export type ScriptReply = string | InferResult | undefined;

/** A task script: yields calls, receives replies, returns when it completes. */
export type TaskScript = Generator<ScriptCall, void, ScriptReply>;

/** The exception `pipeline.infer` raises when an inference fails (a timeout, no deployment). */
export class InferenceFailed extends Error {
  override readonly name = "InferenceFailed";
}

function* infer(data: string): Generator<ScriptCall, InferResult, ScriptReply> {
  return (yield { type: "infer", data }) as InferResult;
}

/** `pipeline.infer(data)` outside any `try`: a failure raises. */
function* inferOrRaise(data: string): Generator<ScriptCall, void, ScriptReply> {
  const result = yield* infer(data);
  if (!result.ok) throw new InferenceFailed(`pipeline.infer(${data}) raised: ${result.error}`);
}

/**
 * The seed's wake-up loop ("Inference from Zero Scaled Deployments"), line for line:
 *
 * ```python
 * while pipeline.status()["status"] != 'Running':
 *     try:
 *         pipeline.infer(dataframe)
 *     except:
 *         pass
 *     time.sleep(10)
 * pipeline.infer(dataframe2)
 * pipeline.infer(dataframe3)
 * ```
 *
 * @example
 * ```ts
 * const script = seedWakeUpScript();
 * script.next(); // { value: { type: "status" }, done: false }
 * ```
 */
export function* seedWakeUpScript(sleepMs = 10_000): TaskScript {
  while ((yield { type: "status" }) !== "Running") {
    yield* infer("dataframe"); // try: ... except: pass
    yield { type: "sleep", ms: sleepMs };
  }
  yield* inferOrRaise("dataframe2");
  yield* inferOrRaise("dataframe3");
}
