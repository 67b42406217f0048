#!/usr/bin/env node
'use strict';
// npm run prebuild: builds the addon (node-gyp, against the libtorch that
// scripts/libtorch.js finds) and places it in prebuilds/<platform>-<arch>/
// where node-gyp-build finds it at load time, with no compiler needed.
// The addon declares the experimental Node-API version (its finalizers run
// inside GC), so a binary is tagged with the Node ABI it was built for: one
// per Node major. Beside it, a .json says which libtorch it was built against.
//   node scripts/prebuild.js [--from-build]   (--from-build: reuse build/Release)
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { findLibtorch } = require('./libtorch.js');

const root = path.join(__dirname, '..');
if (!process.argv.includes('--from-build')) {
  const gyp = process.env.npm_config_node_gyp || require.resolve('node-gyp/bin/node-gyp.js', { paths: [path.dirname(process.execPath) + '/../lib/node_modules/npm'] });
  execFileSync(process.execPath, [gyp, 'rebuild', '-j', 'max'], { cwd: root, stdio: 'inherit' });
}
const built = path.join(root, 'build', 'Release', 'torchts.node');
if (!fs.existsSync(built)) {
  process.stderr.write(`prebuild: ${built} does not exist; build it first (npm run build:native)\n`);
  process.exit(1);
}
const libtorch = findLibtorch();
const folder = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);
fs.mkdirSync(folder, { recursive: true });
const name = `torchts.node.abi${process.versions.modules}.glibc.node`;
fs.copyFileSync(built, path.join(folder, name));
const info = {
  node_abi: process.versions.modules,
  node: process.version,
  libtorch: libtorch.version,
  libtorch_source: libtorch.source,
  libtorch_lib_dir: libtorch.libDir,
  cxx11_abi: libtorch.cxx11Abi,
  cuda: libtorch.cuda,
};
fs.writeFileSync(path.join(folder, name.replace(/\.node$/, '.json')), `${JSON.stringify(info, null, 1)}\n`);
process.stdout.write(`prebuilds/${process.platform}-${process.arch}/${name} (libtorch ${info.libtorch}, ${info.libtorch_source}, cxx11 abi ${info.cxx11_abi})\n`);
