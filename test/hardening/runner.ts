// Runs the bad-input cases from argv[2] on, one line of JSON per case on
// stdout; the test that spawns it restarts it after a crash.
import { cases } from './cases';

const all = cases();
const from = Number(process.argv[2] ?? 0);
for (let i = from; i < all.length; i++) {
  process.stdout.write(`${JSON.stringify({ start: i })}\n`);
  let result: Record<string, unknown>;
  try {
    all[i].call();
    result = { i, threw: false };
  } catch (err) {
    const e = err as Error;
    result = { i, threw: true, kind: e?.constructor?.name, message: String(e?.message ?? e) };
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
process.stdout.write(`${JSON.stringify({ done: all.length })}\n`);
