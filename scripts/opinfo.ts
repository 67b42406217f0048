// `npm run opinfo`: PyTorch's OpInfo samples run through torchts by their
// Python names (test/_opinfo.ts), with a report per op and every wrong value.
//
//   npm run opinfo                     the report
//   npm run opinfo -- --only sort      Python names containing "sort"
//   npm run opinfo -- --failures       also each failing sample (errors and accepts)
//   npm run opinfo -- --json FILE      the whole result as JSON
//   npm run opinfo -- --known          known_failures.json made from today's wrong values
//                                      (reasons to be written by hand; kept ones kept)
import * as fs from 'node:fs';

import { KNOWN_FAILURES_FILE, loadKnownFailures, runAll, type KnownFailures, type OpResult } from '../test/_opinfo';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const value = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

const only = value('--only');
const started = Date.now();
const report = runAll(only ? (qual) => qual.includes(only) : undefined);
const seconds = (Date.now() - started) / 1000;
const { totals, index } = report;

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : '-');
const byStatus = (s: OpResult['status']) => report.results.filter((r) => r.status === s);

console.log(`OpInfo conformance: ${index.generated_by} (torch ${index.torch_version})`);
console.log(
  `recorded: ${index.counts.entries} of ${index.counts.opinfos} OpInfos, ${index.counts.samples} samples; ` +
    `${index.counts.opinfos_skipped} OpInfos skipped (index.json says why)`,
);
console.log('');
console.log('per op (Python name [OpInfo]: samples passed/total, status):');
const order: OpResult['status'][] = ['fail-wrong-value', 'fail-error', 'pass'];
for (const status of order) {
  for (const r of byStatus(status)) {
    const counts = ['wrong', 'error', 'accepts']
      .map((s) => [s, r.outcomes.filter((o) => o.status === s).length] as const)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n} ${s}`)
      .join(', ');
    console.log(`  ${r.key}: ${r.passed}/${r.total} ${status}${counts ? ` (${counts})` : ''}`);
  }
}
const missing = byStatus('missing');
console.log(`  missing (${missing.length}): ${missing.map((r) => r.key).join(', ')}`);
console.log('');

const wrong = report.results.flatMap((r) => r.outcomes.filter((o) => o.status === 'wrong'));
let known: KnownFailures | undefined;
try {
  known = loadKnownFailures();
} catch {
  known = undefined;
}
console.log(`wrong values (${wrong.length}):`);
for (const o of wrong) {
  const [key, sample] = [o.id.slice(0, o.id.lastIndexOf(' ')), o.id.slice(o.id.lastIndexOf(' ') + 1)];
  const listed = known?.failures[key]?.samples.includes(sample) ? ' [known]' : '';
  console.log(`  ${o.id}${listed}\n    ${o.call}\n    ${o.detail}`);
}
if (flag('--failures')) {
  console.log('');
  console.log('errors (torchts threw where Python returned) and accepts (torchts returned where Python raised):');
  for (const r of report.results) {
    for (const o of r.outcomes.filter((x) => x.status === 'error' || x.status === 'accepts')) {
      console.log(`  ${o.id} ${o.status}\n    ${o.call}\n    ${o.detail}`);
    }
  }
}
console.log('');
console.log('totals:');
console.log(`  Python names: ${totals.names} (${totals.entries} name x OpInfo entries, ${totals.samples} samples)`);
console.log(`  exposed by torchts: ${totals.exposedNames} names, ${totals.exposedEntries} entries`);
console.log(
  `  entries passing >= 95% of their samples: ${totals.passingEntries} (${pct(totals.passingEntries, totals.exposedEntries)} of exposed, ` +
    `${pct(totals.passingEntries, totals.entries)} of all)`,
);
console.log(
  `  samples run: ${totals.samplesRun}; passed ${totals.samplesPassed} (${pct(totals.samplesPassed, totals.samplesRun)}), ` +
    `wrong value ${totals.wrong}, error ${totals.errors}, accepts ${totals.accepts}`,
);
console.log(`  ${seconds.toFixed(1)} s`);

const jsonOut = value('--json');
if (jsonOut) {
  fs.writeFileSync(jsonOut, JSON.stringify(report, null, 1));
  console.log(`wrote ${jsonOut}`);
}

if (flag('--known')) {
  const next: KnownFailures = {
    about: known?.about ?? '',
    failures: {},
  };
  for (const o of wrong) {
    const cut = o.id.lastIndexOf(' ');
    const key = o.id.slice(0, cut);
    const entry = (next.failures[key] ??= { reason: known?.failures[key]?.reason ?? 'TODO: why', samples: [] });
    entry.samples.push(o.id.slice(cut + 1));
  }
  fs.writeFileSync(KNOWN_FAILURES_FILE, JSON.stringify(next, null, 1) + '\n');
  console.log(`wrote ${KNOWN_FAILURES_FILE}`);
}
