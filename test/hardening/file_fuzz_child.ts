// The file fuzzer's child: mutates real torch.save files and TorchScript
// archives (file_mutate.ts) and loads each with torch.load or
// torch.jit.load. Deterministic for a seed: iteration i's file and mutations
// depend only on (seed, i), so a finding replays from them.
//   node --import tsx test/hardening/file_fuzz_child.ts <seed> <seconds> [from] [count]
// writes each mutant to $FILEFUZZ_OUT and prints `i source: (mutating)` before
// mutating, `i source: mutation; ...`
// before loading it, `loaded` after a load without error, and `done N` at the end.
import * as fs from 'node:fs';
import * as path from 'node:path';

import torch from '../../lib';
import { mulberry32, mutateArchive } from './file_mutate';

const fixtures = path.join(__dirname, '..', 'fixtures');
export const sources = [
  ...fs.readdirSync(path.join(fixtures, 'serialization')).map((f) => path.join('serialization', f)),
  ...fs.readdirSync(path.join(fixtures, 'jit')).map((f) => path.join('jit', f)),
]
  .filter((f) => f.endsWith('.pt'))
  .sort();

/** Iteration i's random function: independent of the iterations before it. */
export function iterationRandom(seed: number, i: number) {
  return mulberry32(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35));
}

if (require.main === module) {
  const [seedText, secondsText, fromText, countText] = process.argv.slice(2);
  const seed = Number(seedText ?? 1);
  const out = process.env.FILEFUZZ_OUT ?? path.join(require('node:os').tmpdir(), `torchts-filefuzz-${process.pid}.pt`);
  const originals = sources.map((f) => fs.readFileSync(path.join(fixtures, f)));
  const deadline = Date.now() + Number(secondsText ?? 10) * 1000;
  const from = Number(fromText ?? 0);
  const end = countText === undefined ? Infinity : from + Number(countText);
  let i = from;
  while (i < end && (countText !== undefined || Date.now() < deadline)) {
    const random = iterationRandom(seed, i);
    const k = Math.floor(random() * sources.length);
    // Said before mutating too, so that a mutation that never ends (the
    // mutator's own fault) is put on this iteration, not the one before.
    process.stdout.write(`${i} ${sources[k]}: (mutating)\n`);
    let mutant;
    try {
      mutant = mutateArchive(originals[k], random);
    } catch (err) {
      // a mutation that cannot apply to this file (a deleted STOP, say, breaks a later parse)
      process.stdout.write(`${i} ${sources[k]}: mutation failed: ${(err as Error).message}\n`);
      i++;
      continue;
    }
    fs.writeFileSync(out, mutant.bytes);
    process.stdout.write(`${i} ${sources[k]}: ${mutant.mutations.join('; ')}\n`);
    try {
      if (sources[k].startsWith('jit')) torch.jit.load(out);
      else torch.load(out);
      process.stdout.write('loaded\n');
    } catch {
      // a clear error is the expected outcome; only crashes, hangs and blow-ups matter
    }
    i++;
  }
  process.stdout.write(`done ${i}\n`);
}
