import type { Io } from "../io.js";
import { run } from "../main.js";

/** Runs the CLI in-process and captures what it prints (as main.test.ts does). */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), interactive: false };
  const code = await run(argv, io);
  return { code, out, err };
}
