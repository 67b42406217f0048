// Which compiled addon serves the running Node, and the message when none
// does. Kept apart from lib/native.ts, which loads the addon as it is
// imported, so that the choice can be tested on any folder.
import * as fs from 'node:fs';
import * as path from 'node:path';

// lib/native_loader.ts and dist/native_loader.js both sit one folder below the package root.
const root = path.join(__dirname, '..');

/** The Node majors a prebuilt binary ships for (scripts/prebuild.js builds them). */
export const SHIPPED_NODE_MAJORS = [22, 24, 26];

// native/addon.cc writes the Node ABI (NODE_MODULE_VERSION) of the headers
// it was compiled against into the binary as this text.
const BUILT_FOR = 'torchts-built-for:node-abi=';

/** The Node ABI a torchts binary was compiled for, read from the file without loading it; null for a binary without the mark. */
export function builtFor(file: string): string | null {
  const bytes = fs.readFileSync(file);
  const at = bytes.indexOf(BUILT_FOR);
  if (at < 0) return null;
  const end = bytes.indexOf(';', at);
  return bytes.toString('latin1', at + BUILT_FOR.length, end < 0 ? undefined : end);
}

/** The runtime as a person would name it: Bun and Deno also answer to process.version. */
export function runtimeName(versions: NodeJS.ProcessVersions = process.versions): string {
  const v = versions as NodeJS.ProcessVersions & { bun?: string; deno?: string };
  if (v.bun) return `Bun ${v.bun} (reporting Node v${v.node}, ABI ${v.modules})`;
  if (v.deno) return `Deno ${v.deno} (reporting Node v${v.node}, ABI ${v.modules})`;
  return `Node v${v.node} (ABI ${v.modules})`;
}

export interface BinaryChoice {
  /** The binary to load, or null where none fits. */
  file: string | null;
  /** Each binary passed over, and why. */
  passedOver: string[];
}

/** What scripts/prebuild.js writes beside each prebuilt binary. */
export interface PrebuiltInfo {
  node_abi: string;
  node: string;
  libtorch: string;
  libtorch_source: string;
  libtorch_lib_dir: string;
  /** The libtorch libraries the binary links, by soname (libtorch_cpu.so.1.13, ...): it loads where these are. */
  libtorch_libraries: string[];
  cxx11_abi: boolean;
  cuda: boolean;
}

/**
 * A prebuilt binary's name: the Node ABI it serves and the libtorch release
 * series it links, `torchts.node.abi127.libtorch2.6.glibc.node`. Debian's
 * libtorch sonames carry the series (libtorch_cpu.so.1.13, .so.2.6), so a
 * binary loads only beside its own series.
 */
const PREBUILT_NAME = /^torchts\.node\.abi(\d+)\.libtorch(\d+)\.(\d+)\.glibc\.node$/;

/** The prebuilt binary for Node ABI `abi` and libtorch `series` ("1.13"): its file name. */
export function prebuiltName(abi: string, series: string): string {
  return `torchts.node.abi${abi}.libtorch${series}.glibc.node`;
}

/** The prebuilt binaries for this ABI, the newest libtorch first, each with its .json where it has one. */
function prebuiltsFor(packageRoot: string, abi: string): { file: string; info: PrebuiltInfo | null }[] {
  const folder = path.join(packageRoot, 'prebuilds', `${process.platform}-${process.arch}`);
  if (!fs.existsSync(folder)) return [];
  return fs.readdirSync(folder)
    .map((name) => ({ name, m: PREBUILT_NAME.exec(name) }))
    .filter(({ m }) => m !== null && m[1] === abi)
    .sort((a, b) => Number(b.m![2]) - Number(a.m![2]) || Number(b.m![3]) - Number(a.m![3]))
    .map(({ name }) => {
      const file = path.join(folder, name);
      const json = file.replace(/\.node$/, '.json');
      let info: PrebuiltInfo | null = null;
      try {
        info = JSON.parse(fs.readFileSync(json, 'utf8')) as PrebuiltInfo;
      } catch {
        // no .json, or not one prebuild.js wrote: passed over below
      }
      return { file, info };
    });
}

/**
 * Which binary serves this Node and the libtorch on this machine: a local
 * build (build/Release, from `npm run build:native` or a source install,
 * against whatever libtorch scripts/libtorch.js found) when it was compiled
 * for this Node's ABI; else a prebuilt one for this ABI whose libtorch is
 * here: the libraries it links are in the folder it was built against (and,
 * where LIBTORCH names a libtorch, that folder is LIBTORCH's). node-gyp-build
 * took any build/Release first, so a build made under one Node failed to
 * load after a switch to another, even where a matching prebuilt shipped.
 */
export function chooseBinary(packageRoot: string, abi: string = process.versions.modules, env: NodeJS.ProcessEnv = process.env): BinaryChoice {
  const passedOver: string[] = [];
  const shown = (file: string) => path.relative(packageRoot, file);
  const markFits = (file: string): boolean => {
    const built = builtFor(file);
    if (built === abi) return true;
    passedOver.push(built === null
      ? `${shown(file)} carries no Node ABI mark (built by an older torchts), so it is not loaded.`
      : `${shown(file)} was built for Node ABI ${built}, not this one.`);
    return false;
  };
  const local = path.join(packageRoot, 'build', 'Release', 'torchts.node');
  if (fs.existsSync(local) && markFits(local)) return { file: local, passedOver };
  for (const { file, info } of prebuiltsFor(packageRoot, abi)) {
    if (!markFits(file)) continue;
    if (info === null || !Array.isArray(info.libtorch_libraries)) {
      passedOver.push(`${shown(file)} has no .json saying which libtorch it links, so it is not loaded.`);
      continue;
    }
    const libDir = info.libtorch_lib_dir;
    if (env.LIBTORCH && path.relative(path.resolve(env.LIBTORCH), libDir).startsWith('..')) {
      passedOver.push(`${shown(file)} links libtorch ${info.libtorch} in ${libDir}, not the one LIBTORCH names (${env.LIBTORCH}).`);
      continue;
    }
    const missing = info.libtorch_libraries.filter((lib) => !fs.existsSync(path.join(libDir, lib)));
    if (missing.length > 0) {
      passedOver.push(`${shown(file)} links libtorch ${info.libtorch} (${info.libtorch_source}), and this machine lacks ${missing.join(', ')} in ${libDir}.`);
      continue;
    }
    return { file, passedOver };
  }
  return { file: null, passedOver };
}

/** Why the addon did not load, and what to do: which runtime this is, which binaries ship, how to build one. */
export function explain(message: string, packageRoot: string, passedOver: string[] = [], versions: NodeJS.ProcessVersions = process.versions): string {
  const lines = [`torchts could not load its native addon: ${message.split('\n')[0]}`];
  lines.push(`This is ${runtimeName(versions)} on ${process.platform}-${process.arch}.`);
  const folder = path.join(packageRoot, 'prebuilds', `${process.platform}-${process.arch}`);
  const shipped = fs.existsSync(folder) ? fs.readdirSync(folder).filter((f) => f.endsWith('.json')).sort() : [];
  if (shipped.length === 0) lines.push(`No prebuilt binary ships for ${process.platform}-${process.arch}.`);
  for (const f of shipped) {
    const info = JSON.parse(fs.readFileSync(path.join(folder, f), 'utf8'));
    lines.push(`Prebuilt: ${f.replace(/\.json$/, '.node')} for Node ${info.node} (ABI ${info.node_abi}), libtorch ${info.libtorch} (${info.libtorch_source}) in ${info.libtorch_lib_dir} (C++11 ABI ${info.cxx11_abi}).`);
  }
  lines.push(...passedOver);
  const v = versions as NodeJS.ProcessVersions & { bun?: string; deno?: string };
  if (v.bun || v.deno) {
    // The binaries make tensors through V8's C++ API, which only Node exports.
    lines.push(`torchts's binaries use V8's C++ API, which only Node.js provides: run this program with Node ${SHIPPED_NODE_MAJORS.join(', ')} (node --import tsx script.ts, or npx tsx script.ts).`);
    return lines.join('\n');
  }
  try {
    const found = require('../scripts/libtorch.js').findLibtorch();
    lines.push(`libtorch found here: ${found.version} (${found.source}) in ${found.libDir}, C++11 ABI ${found.cxx11Abi}.`);
    lines.push(`To build the addon for this Node from source (needs g++, make and python3): npm rebuild torchts in your project, or npm run build:native in a clone of torchts. Or use Node ${SHIPPED_NODE_MAJORS.join(', ')}, for which binaries ship, each with the libtorch named above.`);
  } catch (e) {
    lines.push((e as Error).message);
  }
  return lines.join('\n');
}

/** Loads the binary chooseBinary picks, or throws explain's message. */
export function loadAddon(packageRoot: string = root): unknown {
  const { file, passedOver } = chooseBinary(packageRoot);
  if (!file) throw new Error(explain(`no binary here serves this Node's ABI (${process.versions.modules}) with the libtorch on this machine`, packageRoot, passedOver));
  try {
    return require(file);
  } catch (err) {
    throw new Error(explain((err as Error).message, packageRoot, passedOver));
  }
}
