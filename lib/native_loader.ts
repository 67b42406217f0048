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

/**
 * Which binary serves this Node: a local build (build/Release, from
 * `npm run build:native` or a source install) when it was compiled for this
 * Node's ABI, else the prebuilt one for this ABI. node-gyp-build took any
 * build/Release first, so a build made under one Node failed to load after
 * a switch to another, even where a matching prebuilt shipped.
 */
export function chooseBinary(packageRoot: string, abi: string = process.versions.modules): BinaryChoice {
  const passedOver: string[] = [];
  const local = path.join(packageRoot, 'build', 'Release', 'torchts.node');
  const prebuilt = path.join(packageRoot, 'prebuilds', `${process.platform}-${process.arch}`, `torchts.node.abi${abi}.glibc.node`);
  for (const file of [local, prebuilt]) {
    if (!fs.existsSync(file)) continue;
    const built = builtFor(file);
    if (built === abi) return { file, passedOver };
    const shown = path.relative(packageRoot, file);
    passedOver.push(built === null
      ? `${shown} carries no Node ABI mark (built by an older torchts), so it is not loaded.`
      : `${shown} was built for Node ABI ${built}, not this one.`);
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
    lines.push(`Prebuilt: ${f.replace(/\.json$/, '.node')} for Node ${info.node} (ABI ${info.node_abi}), libtorch ${info.libtorch} from ${info.libtorch_lib_dir} (C++11 ABI ${info.cxx11_abi}).`);
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
    lines.push(`To build the addon for this Node from source (needs g++, make and python3): npm rebuild torchts in your project, or npm run build:native in a clone of torchts. Or use Node ${SHIPPED_NODE_MAJORS.join(', ')}, for which binaries ship.`);
  } catch (e) {
    lines.push((e as Error).message);
  }
  return lines.join('\n');
}

/** Loads the binary chooseBinary picks, or throws explain's message. */
export function loadAddon(packageRoot: string = root): unknown {
  const { file, passedOver } = chooseBinary(packageRoot);
  if (!file) throw new Error(explain(`no binary here was built for this Node's ABI (${process.versions.modules})`, packageRoot, passedOver));
  try {
    return require(file);
  } catch (err) {
    throw new Error(explain((err as Error).message, packageRoot, passedOver));
  }
}
