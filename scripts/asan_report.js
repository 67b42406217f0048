#!/usr/bin/env node
// Reads the ASan/LSan logs that scripts/asan.sh collects (ASAN_OPTIONS
// log_path, one file a process) and keeps what concerns the addon: every
// AddressSanitizer error, whatever code it is in, and the leaks with a frame
// in torchts.node. Leaks without one (Node's, V8's, libtorch's own) are not
// the addon's to fix; they are counted, not shown.
//   node scripts/asan_report.js LOG_DIR
// Exits 1 when it kept anything.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ADDON_FRAME = /torchts\.node|\/native\/[a-z_]+\.(cc|h)\b/;

function sections(text) {
  // A leak report is a run of "Direct/Indirect leak of ..." sections, each its stack and a blank line.
  return text.split(/\n(?=(?:Direct|Indirect) leak of )/);
}

function main() {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node scripts/asan_report.js LOG_DIR\n');
    process.exit(2);
  }
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : [];
  const errors = [];
  const addonLeaks = [];
  let otherLeaks = 0;
  let otherBytes = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^=+\d+=+ERROR: AddressSanitizer: [\s\S]*?(?=^=+\d+=+ABORTING|$(?![\s\S]))/gm)) {
      errors.push(`${path.basename(file)}:\n${m[0].split('\n').slice(0, 40).join('\n')}`);
    }
    for (const section of sections(text)) {
      const head = /^(Direct|Indirect) leak of (\d+) byte/.exec(section);
      if (!head) continue;
      const stack = section.split('\n\n')[0];
      if (ADDON_FRAME.test(stack)) addonLeaks.push({ file: path.basename(file), kind: head[1], bytes: Number(head[2]), stack });
      else {
        otherLeaks++;
        otherBytes += Number(head[2]);
      }
    }
  }
  for (const e of errors) process.stdout.write(`${e}\n\n`);
  for (const l of addonLeaks) {
    const frames = l.stack.split('\n').filter((line) => /^\s+#\d+/.test(line));
    const shown = frames.filter((f, k) => k < 4 || ADDON_FRAME.test(f)).slice(0, 12);
    process.stdout.write(`${l.file}: ${l.kind} leak of ${l.bytes} bytes\n${shown.join('\n')}\n\n`);
  }
  const addonBytes = addonLeaks.reduce((s, l) => s + l.bytes, 0);
  process.stdout.write(
    `asan: ${files.length} process logs; ${errors.length} AddressSanitizer errors; ` +
      `${addonLeaks.length} leaks through the addon (${addonBytes} bytes); ` +
      `${otherLeaks} leaks elsewhere (${otherBytes} bytes, not counted)\n`,
  );
  process.exitCode = errors.length || addonLeaks.length ? 1 : 0;
}

main();
