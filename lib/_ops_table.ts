// The generated op table of the libtorch the addon was built against (and,
// the addon linking that libtorch's own sonames, the one loaded): each
// libtorch version has its operators, overloads and Python signatures
// (native_functions.yaml changes between versions: 2.6 takes SymInt where
// 1.13 took int, drops out= from some functions, adds operators), and
// Python binds a call by the table of its own version. scripts/gen_ops.py
// writes one table per version, from that version's yaml by that version's
// rules; the TypeScript declarations are one set for all of them.
import * as v1_13 from './_generated/ops_table_1_13';
import * as v2_6 from './_generated/ops_table_2_6';
import * as v2_14 from './_generated/ops_table_2_14';
import { LIBTORCH_VERSION } from './_libtorch_version';

/** A generated table: each namespace's Python names, their overloads one line each (see scripts/gen_ops.py). */
export interface OpsTable {
  readonly TORCH_VERSION: string;
  readonly tensor: Record<string, string>;
  readonly torch: Record<string, string>;
  readonly nn: Record<string, string>;
  readonly linalg: Record<string, string>;
  readonly fft: Record<string, string>;
  readonly special: Record<string, string>;
}

/** The tables there are, by [major, minor] of the torch they were made from. */
const TABLES: readonly (readonly [number, number, OpsTable])[] = [
  [1, 13, v1_13],
  [2, 6, v2_6],
  [2, 14, v2_14],
];

/**
 * The table for a libtorch version ("2.6.0"): its own, else the newest one
 * not newer of the same major (a 2.7 gets 2.6's: an operator or overload it
 * lacks is libtorch's clear "unknown operator" on first call, never another
 * operator's answer); a version older than every table, or of another
 * major, is refused, since the Python signatures would be guesses.
 */
export function tableFor(version: string): { table: OpsTable; made: string } {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (m === null) throw new Error(`torchts: cannot read the libtorch version '${version}' to pick its op table`);
  const [major, minor] = [Number(m[1]), Number(m[2])];
  let best: (typeof TABLES)[number] | undefined;
  for (const t of TABLES) if (t[0] === major && t[1] <= minor && (best === undefined || t[1] > best[1])) best = t;
  if (best === undefined) {
    const have = TABLES.map((t) => `${t[0]}.${t[1]}`).join(', ');
    throw new Error(`torchts: no generated op table serves libtorch ${version} (tables: ${have}); run \`npm run gen:ops\` under a Python torch ${major}.${minor}`);
  }
  return { table: best[2], made: `${best[0]}.${best[1]}` };
}

const picked = tableFor(LIBTORCH_VERSION);
/** The table lib/_dispatch.ts binds through. */
export const opsTable: OpsTable = picked.table;
/** Which torch's yaml the table in use was made from ("1.13", "2.6"). */
export const OPS_TABLE_FROM: string = picked.made;

export { LIBTORCH_VERSION };
