// Which binary torchts loads: a local build only when it was compiled for the
// running Node, else the prebuilt one for this Node; and when none fits, a
// message that names the runtime, the binaries that ship and what to do.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';

import { builtFor, chooseBinary, explain, SHIPPED_NODE_MAJORS } from '../lib/native_loader';

const root = path.join(__dirname, '..');
const abi = process.versions.modules;
const otherAbi = String(Number(abi) + 10);
const prebuiltName = `torchts.node.abi${abi}.glibc.node`;

/** A scratch package folder; files maps relative paths to their contents. */
function packageFolder(t: { teardown(fn: () => void): void }, files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-loader-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** Bytes that carry the mark native/addon.cc compiles into a binary, between other bytes as in an ELF file. */
const markedFor = (nodeAbi: string) => Buffer.concat([Buffer.alloc(64, 0x7f), Buffer.from(`torchts-built-for:node-abi=${nodeAbi};`), Buffer.alloc(64)]);

const localBuild = path.join('build', 'Release', 'torchts.node');
const prebuilt = path.join('prebuilds', `${process.platform}-${process.arch}`, prebuiltName);

test('the binary this checkout loads carries the Node ABI it was compiled for', (t) => {
  const { file } = chooseBinary(root);
  t.truthy(file);
  t.is(builtFor(file!), abi);
});

test('a local build made under another Node is passed over for the prebuilt binary of this one', (t) => {
  const dir = packageFolder(t, { [localBuild]: markedFor(otherAbi), [prebuilt]: markedFor(abi) });
  const choice = chooseBinary(dir);
  t.is(choice.file, path.join(dir, prebuilt));
  t.deepEqual(choice.passedOver, [`${localBuild} was built for Node ABI ${otherAbi}, not this one.`]);
});

test('a local build for this Node comes before the prebuilt binary', (t) => {
  const dir = packageFolder(t, { [localBuild]: markedFor(abi), [prebuilt]: markedFor(abi) });
  t.is(chooseBinary(dir).file, path.join(dir, localBuild));
});

test('a binary without the ABI mark, or a prebuilt one misnamed, is not loaded', (t) => {
  const dir = packageFolder(t, { [localBuild]: Buffer.alloc(256, 1), [prebuilt]: markedFor(otherAbi) });
  const choice = chooseBinary(dir);
  t.is(choice.file, null);
  t.regex(choice.passedOver[0], /build\/Release\/torchts\.node carries no Node ABI mark/);
  t.regex(choice.passedOver[1], new RegExp(`${prebuiltName.replace(/\./g, '\\.')} was built for Node ABI ${otherAbi}`));
});

test('a real binary loads from a package whose build/Release is another Node\'s', (t) => {
  // In a child: the binary is loaded for real, and a second copy of the addon
  // does not belong in this test process.
  const real = chooseBinary(root).file!;
  const dir = packageFolder(t, { [localBuild]: markedFor(otherAbi), [prebuilt]: fs.readFileSync(real) });
  const loader = path.join(root, 'lib', 'native_loader.ts');
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', `
    const { loadAddon } = require(${JSON.stringify(loader)});
    const addon = loadAddon(${JSON.stringify(dir)});
    console.log(addon.opFind('aten::add', 'Tensor') >= 0 ? 'loaded' : 'no add');
  `], { encoding: 'utf8' });
  t.is(out.trim(), 'loaded');
});

test('with no binary for this Node, the error names the runtime, the shipped binaries and the command to build one', (t) => {
  const info = { node_abi: otherAbi, node: 'v99.1.0', libtorch: '1.13.0', libtorch_lib_dir: '/usr/lib', cxx11_abi: true };
  const dir = packageFolder(t, {
    [localBuild]: markedFor(otherAbi),
    [path.join('prebuilds', `${process.platform}-${process.arch}`, `torchts.node.abi${otherAbi}.glibc.json`)]: JSON.stringify(info),
  });
  const message = explain(`no binary here was built for this Node's ABI (${abi})`, dir, chooseBinary(dir).passedOver);
  t.regex(message, new RegExp(`This is Node ${process.version} \\(ABI ${abi}\\)`));
  t.regex(message, new RegExp(`Prebuilt: torchts\\.node\\.abi${otherAbi}\\.glibc\\.node for Node v99\\.1\\.0`));
  t.regex(message, new RegExp(`build/Release/torchts\\.node was built for Node ABI ${otherAbi}`));
  t.regex(message, /npm rebuild torchts/);
  t.regex(message, new RegExp(`Node ${SHIPPED_NODE_MAJORS.join(', ')}`));
});

test('under Bun or Deno the error says they cannot load the binary and to run under Node', (t) => {
  const dir = packageFolder(t, {});
  for (const [runtime, version] of [['bun', '1.3.2'], ['deno', '2.5.0']]) {
    const versions = { ...process.versions, [runtime]: version } as NodeJS.ProcessVersions;
    const message = explain('undefined symbol: _ZN2v86Object5CloneEv', dir, [], versions);
    t.regex(message, new RegExp(`This is ${runtime === 'bun' ? 'Bun' : 'Deno'} ${version.replace(/\./g, '\\.')} \\(reporting Node ${process.version}`));
    t.regex(message, /undefined symbol/);
    t.regex(message, /only Node\.js provides: run this program with Node 22, 24, 26/);
    t.notRegex(message, /npm rebuild/);
  }
});
