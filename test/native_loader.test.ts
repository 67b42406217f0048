// Which binary torchts loads: a local build only when it was compiled for the
// running Node, else the prebuilt one for this Node and the libtorch on this
// machine; and when none fits, a message that names the runtime, the
// binaries that ship and what to do.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';

import { builtFor, chooseBinary, explain, prebuiltName, SHIPPED_NODE_MAJORS } from '../lib/native_loader';

const root = path.join(__dirname, '..');
const abi = process.versions.modules;
const otherAbi = String(Number(abi) + 10);
const folder = path.join('prebuilds', `${process.platform}-${process.arch}`);

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

/**
 * A prebuilt binary for Node ABI `nodeAbi` and libtorch `series`, with the
 * .json prebuild.js writes: it links libtorch_cpu.so.<series> in libDir.
 */
function prebuiltFiles(nodeAbi: string, series: string, libDir: string, binary: Buffer = markedFor(nodeAbi)): Record<string, string | Buffer> {
  const name = path.join(folder, prebuiltName(nodeAbi, series));
  const info = {
    node_abi: nodeAbi, node: 'v99.1.0', libtorch: `${series}.0`, libtorch_source: 'system', libtorch_lib_dir: libDir,
    libtorch_libraries: [`libtorch_cpu.so.${series}`, `libc10.so.${series}`], cxx11_abi: true, cuda: false,
  };
  return { [name]: binary, [name.replace(/\.node$/, '.json')]: JSON.stringify(info) };
}

/** A folder standing for a libtorch install: the sonames of `series`, empty files. */
function libtorchFolder(t: { teardown(fn: () => void): void }, series: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torchts-libtorch-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const lib of [`libtorch_cpu.so.${series}`, `libc10.so.${series}`]) fs.writeFileSync(path.join(dir, lib), '');
  return dir;
}

test('the binary this checkout loads carries the Node ABI it was compiled for', (t) => {
  const { file } = chooseBinary(root);
  t.truthy(file);
  t.is(builtFor(file!), abi);
});

test('a local build made under another Node is passed over for the prebuilt binary of this one', (t) => {
  const libs = libtorchFolder(t, '1.13');
  const dir = packageFolder(t, { [localBuild]: markedFor(otherAbi), ...prebuiltFiles(abi, '1.13', libs) });
  const choice = chooseBinary(dir, abi, {});
  t.is(choice.file, path.join(dir, folder, prebuiltName(abi, '1.13')));
  t.deepEqual(choice.passedOver, [`${localBuild} was built for Node ABI ${otherAbi}, not this one.`]);
});

test('a local build for this Node comes before the prebuilt binary', (t) => {
  const dir = packageFolder(t, { [localBuild]: markedFor(abi), ...prebuiltFiles(abi, '1.13', libtorchFolder(t, '1.13')) });
  t.is(chooseBinary(dir, abi, {}).file, path.join(dir, localBuild));
});

test("of the prebuilt binaries for this Node, the one whose libtorch is on this machine is loaded, and the other's absence is named", (t) => {
  const libs = libtorchFolder(t, '2.6');
  const dir = packageFolder(t, { ...prebuiltFiles(abi, '1.13', libs), ...prebuiltFiles(abi, '2.6', libs) });
  t.is(chooseBinary(dir, abi, {}).file, path.join(dir, folder, prebuiltName(abi, '2.6')));
  const only113 = packageFolder(t, prebuiltFiles(abi, '1.13', libs));
  const choice = chooseBinary(only113, abi, {});
  t.is(choice.file, null);
  t.deepEqual(choice.passedOver, [
    `${path.join(folder, prebuiltName(abi, '1.13'))} links libtorch 1.13.0 (system), and this machine lacks libtorch_cpu.so.1.13, libc10.so.1.13 in ${libs}.`,
  ]);
});

test('where LIBTORCH names a libtorch, a prebuilt binary linking another is passed over', (t) => {
  const libs = libtorchFolder(t, '1.13');
  const dir = packageFolder(t, prebuiltFiles(abi, '1.13', libs));
  const choice = chooseBinary(dir, abi, { LIBTORCH: '/opt/libtorch' });
  t.is(choice.file, null);
  t.deepEqual(choice.passedOver, [`${path.join(folder, prebuiltName(abi, '1.13'))} links libtorch 1.13.0 in ${libs}, not the one LIBTORCH names (/opt/libtorch).`]);
  t.is(chooseBinary(dir, abi, { LIBTORCH: path.dirname(libs) }).file, path.join(dir, folder, prebuiltName(abi, '1.13')), 'LIBTORCH naming the folder above its lib/');
});

test('a prebuilt binary without its .json is not loaded: nothing says which libtorch it needs', (t) => {
  const dir = packageFolder(t, { [path.join(folder, prebuiltName(abi, '1.13'))]: markedFor(abi) });
  const choice = chooseBinary(dir, abi, {});
  t.is(choice.file, null);
  t.regex(choice.passedOver[0], /has no \.json saying which libtorch it links/);
});

test('a binary without the ABI mark, or a prebuilt one misnamed, is not loaded', (t) => {
  const libs = libtorchFolder(t, '1.13');
  const dir = packageFolder(t, { [localBuild]: Buffer.alloc(256, 1), ...prebuiltFiles(abi, '1.13', libs, markedFor(otherAbi)) });
  const choice = chooseBinary(dir, abi, {});
  t.is(choice.file, null);
  t.regex(choice.passedOver[0], /build\/Release\/torchts\.node carries no Node ABI mark/);
  t.regex(choice.passedOver[1], new RegExp(`${prebuiltName(abi, '1.13').replace(/\./g, '\\.')} was built for Node ABI ${otherAbi}`));
});

test('a real binary loads from a package whose build/Release is another Node\'s', (t) => {
  // In a child: the binary is loaded for real, and a second copy of the addon
  // does not belong in this test process.
  const real = chooseBinary(root).file!;
  const { libDir, version } = require('../scripts/libtorch.js').findLibtorch() as { libDir: string; version: string };
  const series = version.split('.').slice(0, 2).join('.');
  const files = prebuiltFiles(abi, series, libDir, fs.readFileSync(real));
  // The sonames that libtorch's own files carry, as prebuild.js reads them off a binary.
  const json = Object.keys(files).find((f) => f.endsWith('.json'))!;
  files[json] = JSON.stringify({ ...JSON.parse(files[json] as string), libtorch_libraries: fs.readdirSync(libDir).filter((f) => /^lib(torch_cpu|c10)\.so\.\d+\.\d+$/.test(f)) });
  const dir = packageFolder(t, { [localBuild]: markedFor(otherAbi), ...files });
  const loader = path.join(root, 'lib', 'native_loader.ts');
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', `
    const { loadAddon } = require(${JSON.stringify(loader)});
    const addon = loadAddon(${JSON.stringify(dir)});
    console.log(addon.opFind('aten::add', 'Tensor') >= 0 ? 'loaded' : 'no add');
  `], { encoding: 'utf8' });
  t.is(out.trim(), 'loaded');
});

test('with no binary for this Node, the error names the runtime, the shipped binaries and the command to build one', (t) => {
  const dir = packageFolder(t, { [localBuild]: markedFor(otherAbi), ...prebuiltFiles(otherAbi, '2.6', '/usr/lib') });
  const message = explain(`no binary here serves this Node's ABI (${abi})`, dir, chooseBinary(dir).passedOver);
  t.regex(message, new RegExp(`This is Node ${process.version} \\(ABI ${abi}\\)`));
  t.regex(message, new RegExp(`Prebuilt: torchts\\.node\\.abi${otherAbi}\\.libtorch2\\.6\\.glibc\\.node for Node v99\\.1\\.0 \\(ABI ${otherAbi}\\), libtorch 2\\.6\\.0 \\(system\\) in /usr/lib`));
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
