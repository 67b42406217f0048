#!/usr/bin/env node
// Counts an `ava --tap` run as "N passed, N failed", where a test that was
// never reported counts as failed. ava's TAP summary counts only the tests it
// saw declared: a test file whose process died while loading, or that never
// started because ava's inactivity timeout ended the run, reports nothing at
// all, and its tests vanish from both counts (one loaded run lost 66 tests of
// three files this way and still looked green). So each test file's
// declarations are counted from its source (each `test(...)` /
// `test.serial(...)` call at the start of a line; a call in a loop counts
// once, so this is a lower bound) and set against the results the TAP names
// for that file; the shortfall counts as failed and the files are named on
// stderr.
//   node scripts/count_tests.js [--test-dir DIR] RUN.tap [RUN2.tap ...]
// Several TAP files (one run each, over the same test files: one per Node
// major, say) are summed into the one line. Exits 1 when anything failed.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
// ava's `files` glob in package.json: test/**/*.test.ts (or .js).
function testFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'fixtures' ? [] : testFiles(full);
    return /\.test\.[cm]?[jt]s$/.test(entry.name) ? [full] : [];
  });
}

const DECLARATION = /^\s*test(?:\.(?:serial|failing|skip|todo|only))*\(/gm;

function declaredTests(file) {
  return (fs.readFileSync(file, 'utf8').match(DECLARATION) ?? []).length;
}

// How ava's TAP reporter names a file's tests when it runs several files
// (lib/reporters/prefix-title.js): the path below the files' common folder,
// `.test` and the extension dropped, the parts joined by ' › '.
function titlePrefix(file, commonDir) {
  const parts = path.relative(commonDir, file).split(path.sep);
  parts.push(parts.pop().replace(/\.test\./, '.').replace(/\.[cm]?[jt]s$/, ''));
  return `${parts.join(' › ')} › `;
}

function commonDirectory(files) {
  let dir = path.dirname(files[0]);
  while (!files.every((f) => f.startsWith(dir + path.sep))) dir = path.dirname(dir);
  return dir;
}

function countRun(tapText, files) {
  const lines = tapText.split('\n');
  const results = [];
  for (const line of lines) {
    const m = /^(not )?ok \d+ - (.*)$/.exec(line);
    if (m) results.push({ ok: !m[1], title: m[2] });
  }
  const summary = (name) => {
    const found = lines.map((l) => new RegExp(`^# ${name} (\\d+)$`).exec(l)).filter(Boolean);
    return found.length ? Number(found[found.length - 1][1]) : null;
  };
  const passedSummary = summary('pass');
  let passed = passedSummary;
  let failed = summary('fail');
  // ava's "# fail" already includes the tests it saw declared but never ran
  // (a file that crashed after declaring them), without a TAP line for them;
  // those must not be counted twice.
  const failedWithoutLine = Math.max(0, (failed ?? 0) - results.filter((r) => !r.ok).length);
  if (passed === null) {
    // No summary: the runner itself died before the end, which is a failure of its own.
    passed = results.filter((r) => r.ok && !/ # SKIP$/.test(r.title)).length;
    failed = results.filter((r) => !r.ok).length + 1;
  }
  failed ??= 0;
  const commonDir = commonDirectory(files);
  const unreported = [];
  let missing = 0;
  for (const file of files) {
    const prefix = files.length > 1 ? titlePrefix(file, commonDir) : '';
    const reported = results.filter((r) => r.title.startsWith(prefix)).length;
    const declared = Math.max(1, declaredTests(file));
    if (reported < declared) {
      missing += declared - reported;
      unreported.push({ file, declared, reported });
    }
  }
  return { passed, failed: failed + Math.max(0, missing - failedWithoutLine), unreported, summary: passedSummary !== null };
}

function main() {
  const runs = process.argv.slice(2);
  let testDir = path.join(root, 'test');
  if (runs[0] === '--test-dir') {
    testDir = path.resolve(runs[1]);
    runs.splice(0, 2);
  }
  if (runs.length === 0) {
    process.stderr.write('usage: node scripts/count_tests.js [--test-dir DIR] RUN.tap [RUN2.tap ...]\n');
    process.exit(2);
  }
  const files = testFiles(testDir);
  let passed = 0;
  let failed = 0;
  for (const run of runs) {
    const counts = countRun(fs.readFileSync(run, 'utf8'), files);
    if (!counts.summary) process.stderr.write(`count_tests: ${run} has no summary: ava ended before finishing the run\n`);
    for (const u of counts.unreported) {
      process.stderr.write(`count_tests: ${run}: ${path.relative(process.cwd(), u.file)}: ${u.declared} tests declared, ${u.reported} reported\n`);
    }
    passed += counts.passed;
    failed += counts.failed;
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exitCode = failed === 0 ? 0 : 1;
}

if (require.main === module) main();
module.exports = { countRun, testFiles, declaredTests };
