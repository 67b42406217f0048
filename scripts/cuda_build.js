#!/usr/bin/env node
'use strict';
// Compiles and links the addon against Debian 13's libtorch with CUDA
// (libtorch-cuda-2.6 and libtorch-cuda-dev from contrib), with the CUDA
// runtime's headers from nvidia-cuda-dev (non-free), so that CI checks the
// CUDA build on machines without a GPU (issue #20). The binary cannot be
// loaded here: libtorch_cuda needs NVIDIA's libraries (libcudart, cuDNN),
// which a machine without the driver lacks; what is checked is that
// native/cuda.cc and the rest compile with TORCHTS_CUDA_RUNTIME and that the
// result links libtorch_cuda and libc10_cuda and calls the CUDA runtime.
//
//   node scripts/cuda_build.js DEST
//
// DEST: a folder to unpack into (about 1.6 GB; in CI, the trixie root's
// /opt/torchts-cuda, built in from inside it). The .deb files are fetched
// once from deb.debian.org, checked against the archive's SHA256, and kept
// in TORCHTS_CUDA_DEBS (default /var/tmp/torchts-cuda-debs, about 1.4 GB).
// Prints the prefix to build with:
//   LIBTORCH=DEST/libtorch CUDA_HOME=DEST/cuda node-gyp rebuild
// and `--check BINARY` afterwards says whether BINARY is such a build.
// Measured here: the three files fetched in about 30 s, unpacked in about
// 70 s (nvidia-cuda-dev's headers are read out of a 934 MB archive).
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');

const MIRROR = 'http://deb.debian.org/debian';
const PACKAGES = [
  { name: 'libtorch-cuda-2.6', component: 'contrib', unpack: 'libtorch' },
  { name: 'libtorch-cuda-dev', component: 'contrib', unpack: 'libtorch' },
  { name: 'nvidia-cuda-dev', component: 'non-free', unpack: 'cuda', only: './usr/include/*' },
];

async function fetchBuffer(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cuda_build: ${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** The archive's record of each package: its file, size and SHA256, from trixie's Packages index. */
async function findPackages() {
  const found = {};
  for (const component of new Set(PACKAGES.map((p) => p.component))) {
    const index = zlib.gunzipSync(await fetchBuffer(`${MIRROR}/dists/trixie/${component}/binary-amd64/Packages.gz`)).toString('utf8');
    for (const stanza of index.split('\n\n')) {
      const field = (name) => (stanza.match(new RegExp(`^${name}: (.*)$`, 'm')) || [])[1];
      const name = field('Package');
      if (PACKAGES.some((p) => p.name === name && p.component === component)) {
        found[name] = { file: field('Filename'), size: Number(field('Size')), sha256: field('SHA256'), version: field('Version') };
      }
    }
  }
  for (const p of PACKAGES) if (!found[p.name]) throw new Error(`cuda_build: trixie/${p.component} has no ${p.name}`);
  return found;
}

function sha256(file) {
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const chunk = Buffer.alloc(1 << 24);
  for (let n; (n = fs.readSync(fd, chunk, 0, chunk.length, null)) > 0; ) hash.update(chunk.subarray(0, n));
  fs.closeSync(fd);
  return hash.digest('hex');
}

async function download(record, cache) {
  const file = path.join(cache, path.basename(record.file));
  if (fs.existsSync(file) && fs.statSync(file).size === record.size && sha256(file) === record.sha256) return file;
  const data = await fetchBuffer(`${MIRROR}/${record.file}`);
  if (data.length !== record.size) throw new Error(`cuda_build: ${record.file}: ${data.length} bytes, the archive says ${record.size}`);
  if (crypto.createHash('sha256').update(data).digest('hex') !== record.sha256) throw new Error(`cuda_build: ${record.file}: SHA256 does not match the archive's`);
  fs.writeFileSync(file, data);
  return file;
}

function unpack(deb, dest, only) {
  fs.mkdirSync(dest, { recursive: true });
  const tar = ['-x', '-C', dest];
  if (only) tar.push('--wildcards', only);
  // sh -c's $0 is the .deb, "$@" tar's arguments.
  execFileSync('sh', ['-c', 'dpkg-deb --fsys-tarfile "$0" | tar "$@"', deb, ...tar], { stdio: 'inherit' });
}

/** The prefix layout scripts/libtorch.js reads (include/, lib/), over Debian's /usr tree. */
function layOut(dest) {
  const libtorch = path.join(dest, 'libtorch');
  const cuda = path.join(dest, 'cuda');
  for (const [link, target] of [
    [path.join(libtorch, 'include'), 'usr/include'],
    [path.join(libtorch, 'lib'), 'usr/lib/x86_64-linux-gnu'],
    [path.join(cuda, 'include'), 'usr/include'],
  ]) {
    if (!fs.existsSync(link)) fs.symlinkSync(target, link);
  }
  return { libtorch, cuda };
}

/** Whether a binary links libtorch_cuda and libc10_cuda and calls the CUDA runtime (native/cuda.cc built with TORCHTS_CUDA_RUNTIME). */
function check(binary) {
  const needed = execFileSync('readelf', ['-d', binary], { encoding: 'utf8' })
    .split('\n')
    .map((l) => (l.match(/\(NEEDED\)\s+Shared library: \[(.*)\]/) || [])[1])
    .filter(Boolean);
  const undefinedSymbols = execFileSync('nm', ['-D', '--undefined-only', binary], { encoding: 'utf8' });
  const problems = [];
  for (const lib of ['libtorch_cuda.so', 'libc10_cuda.so']) if (!needed.some((n) => n.startsWith(lib))) problems.push(`does not link ${lib}`);
  for (const symbol of ['cudaMemGetInfo', 'cudaGetDeviceProperties']) if (!new RegExp(`\\b${symbol}`).test(undefinedSymbols)) problems.push(`does not call ${symbol}`);
  if (!/CUDACachingAllocator/.test(execFileSync('nm', ['-DC', '--undefined-only', binary], { encoding: 'utf8' }))) problems.push('does not read the CUDA caching allocator');
  return { needed, problems };
}

async function main() {
  const [, , first, second] = process.argv;
  if (first === '--check') {
    const { needed, problems } = check(second);
    if (problems.length) {
      process.stderr.write(`cuda_build: ${second} is not a CUDA build: it ${problems.join('; it ')}\n`);
      process.exit(1);
    }
    process.stdout.write(`${second}: links ${needed.filter((n) => /cuda|torch|c10/.test(n)).join(', ')}; calls the CUDA runtime and caching allocator\n`);
    return;
  }
  if (!first) {
    process.stderr.write('usage: node scripts/cuda_build.js DEST | --check BINARY\n');
    process.exit(2);
  }
  const dest = path.resolve(first);
  const cache = process.env.TORCHTS_CUDA_DEBS || '/var/tmp/torchts-cuda-debs';
  fs.mkdirSync(cache, { recursive: true });
  const records = await findPackages();
  const stamp = path.join(dest, 'versions.json');
  const versions = Object.fromEntries(PACKAGES.map((p) => [p.name, records[p.name].version]));
  if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== JSON.stringify(versions)) {
    fs.rmSync(dest, { recursive: true, force: true });
    for (const p of PACKAGES) unpack(await download(records[p.name], cache), path.join(dest, p.unpack), p.only);
    fs.writeFileSync(stamp, JSON.stringify(versions));
  }
  const { libtorch, cuda } = layOut(dest);
  process.stderr.write(`cuda_build: ${Object.entries(versions).map(([n, v]) => `${n} ${v}`).join(', ')}\n`);
  process.stdout.write(`LIBTORCH=${libtorch} CUDA_HOME=${cuda}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
