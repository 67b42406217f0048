// Fetching a dataset's files, with a progress bar and an MD5 check. The
// dataset constructors are synchronous, as Python's are, so the fetch runs
// in a child Node process and this one waits for it.
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';

// Runs in the child: fetch url to dest with a progress bar on stderr; exit 2 on a network failure.
const FETCH_SCRIPT = `
const [url, dest] = process.argv.slice(1);
const fs = require('fs');
(async () => {
  let res;
  try { res = await fetch(url); } catch (e) { console.error('  ' + url + ': ' + (e.cause?.message || e.message)); process.exit(2); }
  if (!res.ok) { console.error('  ' + url + ': HTTP ' + res.status); process.exit(2); }
  const total = Number(res.headers.get('content-length')) || 0;
  const out = fs.createWriteStream(dest + '.part');
  let got = 0, last = 0;
  for await (const chunk of res.body) {
    out.write(chunk);
    got += chunk.length;
    const now = Date.now();
    if (process.stderr.isTTY && (now - last > 100 || got === total)) {
      last = now;
      const pct = total ? Math.floor((got / total) * 100) : 0;
      const bar = '#'.repeat(Math.floor(pct / 4)).padEnd(25, '.');
      process.stderr.write('\\r  [' + bar + '] ' + (total ? pct + '% of ' + (total / 1048576).toFixed(1) + ' MB' : (got / 1048576).toFixed(1) + ' MB'));
    }
  }
  await new Promise((r) => out.end(r));
  if (process.stderr.isTTY) process.stderr.write('\\n');
  fs.renameSync(dest + '.part', dest);
})().catch((e) => { console.error('  ' + url + ': ' + e.message); process.exit(2); });
`;

export function md5(path: string): string {
  return crypto.createHash('md5').update(fs.readFileSync(path)).digest('hex');
}

/** Downloads filename from the first mirror that answers into folder, checking its MD5 (unless null); false when none did. */
export function downloadFile(mirrors: readonly string[], filename: string, folder: string, expectedMd5: string | null): boolean {
  const dest = `${folder}/${filename}`;
  for (const mirror of mirrors) {
    const url = `${mirror}${filename}`;
    process.stderr.write(`Downloading ${url}\n`);
    try {
      execFileSync(process.execPath, ['-e', FETCH_SCRIPT, url, dest], { stdio: ['ignore', 'inherit', 'inherit'] });
    } catch {
      continue;
    }
    const got = expectedMd5 === null ? null : md5(dest);
    if (got !== expectedMd5) {
      fs.rmSync(dest, { force: true });
      throw new Error(`${url} downloaded with MD5 ${got}, expected ${expectedMd5}: the file is corrupt or not the one expected`);
    }
    return true;
  }
  return false;
}
