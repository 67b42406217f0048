// `npm run census`: PyTorch's Python names (test/fixtures/census.json, from
// `/usr/bin/python3 scripts/census.py`) against torchts, per namespace, with
// every missing ATen operator listed (test/_census.ts).
//
//   npm run census                  the report
//   npm run census -- --all         also the missing names that are not ATen operators
import { ATEN_GOAL, loadCensus, runCensus, WHY_MISSING } from '../test/_census';

const all = process.argv.includes('--all');
const fixture = loadCensus();
const rows = runCensus(fixture);
const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : '-');

console.log(`Census of PyTorch ${fixture.torch_version}'s Python names against torchts (${fixture.generated_by})`);
console.log('');
for (const r of rows) {
  console.log(
    `${r.namespace}: ${r.present}/${r.names} names present (${pct(r.present, r.names)}); ` +
      `ATen operators ${r.atenPresent}/${r.aten} (${pct(r.atenPresent, r.aten)})`,
  );
  if (r.atenMissing.length) {
    console.log(`  missing ATen operators (${r.atenMissing.length}):`);
    for (const n of r.atenMissing) console.log(`    ${n}: ${WHY_MISSING[r.namespace]?.[n] ?? '(no reason given)'}`);
  }
  if (all && r.otherMissing.length) console.log(`  missing other names (${r.otherMissing.length}): ${r.otherMissing.join(', ')}`);
}
const aten = rows.reduce((s, r) => s + r.aten, 0);
const atenPresent = rows.reduce((s, r) => s + r.atenPresent, 0);
const names = rows.reduce((s, r) => s + r.names, 0);
const present = rows.reduce((s, r) => s + r.present, 0);
console.log('');
console.log(`all namespaces: ${present}/${names} names present (${pct(present, names)}); ATen operators ${atenPresent}/${aten} (${pct(atenPresent, aten)})`);
console.log(`goal (issue #18): ${ATEN_GOAL * 100}% of the ATen operators, ${Math.ceil(ATEN_GOAL * aten)}; ${atenPresent >= ATEN_GOAL * aten ? 'reached' : `${Math.ceil(ATEN_GOAL * aten) - atenPresent} to go`}`);
