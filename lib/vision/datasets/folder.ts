// torchvision.datasets.DatasetFolder and ImageFolder: samples found as
// root/<class>/**/<file>, classes the sorted subfolder names, files in the
// order torchvision walks them; items loaded on demand by the loader.
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Tensor } from '../../tensor';
import { Dataset, checkIndex } from '../../utils/data/dataset';
import { _load_rgb_hwc } from '../io/image';
import { checkCallable, datasetArgs, visionRepr } from './vision';
import { torchvisionAtLeast } from '../version';

/** torchvision 0.18 added allow_empty (class folders without a valid file are then classes without samples). */
const HAS_ALLOW_EMPTY = torchvisionAtLeast(18);
/** The parameter as the signatures below add it, where the torchvision followed has it. */
const ALLOW_EMPTY_PARAM = HAS_ALLOW_EMPTY ? ', bool allow_empty=False' : '';

/** The extensions ImageFolder takes by default, as torchvision's IMG_EXTENSIONS. */
export const IMG_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.ppm', '.bmp', '.pgm', '.tif', '.tiff', '.webp'];

/** Whether filename ends (case-insensitively) in one of extensions. */
export function has_file_allowed_extension(filename: string, extensions: string | readonly string[]): boolean {
  const lower = filename.toLowerCase();
  return (typeof extensions === 'string' ? [extensions] : extensions).some((e) => lower.endsWith(e));
}

/** Python's sorted() on strings: by code point. */
function sortedStrings(xs: Iterable<string>): string[] {
  return [...xs].sort((a, b) => {
    const ca = [...a];
    const cb = [...b];
    for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
      const d = ca[i].codePointAt(0)! - cb[i].codePointAt(0)!;
      if (d !== 0) return d;
    }
    return ca.length - cb.length;
  });
}

/** The class folders of directory, sorted, and their indices. */
export function find_classes(directory: string): [string[], Record<string, number>] {
  const classes = sortedStrings(
    fs.readdirSync(directory, { withFileTypes: true })
      .filter((e) => e.isDirectory() || (e.isSymbolicLink() && fs.statSync(path.join(directory, e.name)).isDirectory()))
      .map((e) => e.name),
  );
  if (classes.length === 0) throw new Error(`Couldn't find any class folder in ${directory}.`);
  return [classes, Object.fromEntries(classes.map((c, i) => [c, i]))];
}

/** os.walk(top, followlinks=True): [folder, its file names] for every folder under top. */
function walk(top: string): [string, string[]][] {
  const out: [string, string[]][] = [];
  const stack = [top];
  const seen = new Set<string>();
  while (stack.length) {
    const dir = stack.pop()!;
    // A link back up the tree would walk forever; each real folder is walked once.
    const real = fs.realpathSync(dir);
    if (seen.has(real)) continue;
    seen.add(real);
    const files: string[] = [];
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      const isDir = e.isDirectory() || (e.isSymbolicLink() && fs.existsSync(p) && fs.statSync(p).isDirectory());
      if (isDir) stack.push(p);
      else files.push(e.name);
    }
    out.push([dir, files]);
  }
  return out;
}

export type Sample = [path: string, class_index: number];

/**
 * The [path, class index] of every valid file under directory/<class>,
 * classes in sorted order, folders and files sorted; a class without a
 * valid file is an error unless allow_empty (torchvision 0.18 on). Exactly
 * one of extensions and is_valid_file.
 */
export function make_dataset(
  directory: string,
  class_to_idx: Record<string, number> | null = null,
  extensions: string | readonly string[] | null = null,
  is_valid_file: ((path: string) => boolean) | null = null,
  allow_empty = false,
): Sample[] {
  if (allow_empty && !HAS_ALLOW_EMPTY) throw new TypeError("make_dataset() got an unexpected keyword argument 'allow_empty'");
  let classToIdx = class_to_idx;
  if (classToIdx === null) classToIdx = find_classes(directory)[1];
  else if (Object.keys(classToIdx).length === 0) throw new RangeError("make_dataset: 'class_to_index' must have at least one entry to collect any samples.");
  if ((extensions === null) === (is_valid_file === null)) throw new RangeError('make_dataset: Both extensions and is_valid_file cannot be None or not None at the same time');
  const valid = extensions !== null ? (p: string) => has_file_allowed_extension(p, extensions) : is_valid_file!;
  const instances: Sample[] = [];
  const available = new Set<string>();
  for (const targetClass of sortedStrings(Object.keys(classToIdx))) {
    const classIndex = classToIdx[targetClass];
    const targetDir = path.join(directory, targetClass);
    if (!fs.existsSync(targetDir) || !fs.statSync(targetDir).isDirectory()) continue;
    const folders = walk(targetDir);
    const order = new Map(folders.map(([d], i) => [d, i]));
    for (const root of sortedStrings(folders.map(([d]) => d))) {
      for (const fname of sortedStrings(folders[order.get(root)!][1])) {
        const p = path.join(root, fname);
        if (valid(p)) {
          instances.push([p, classIndex]);
          available.add(targetClass);
        }
      }
    }
  }
  const empty = sortedStrings(Object.keys(classToIdx).filter((c) => !available.has(c)));
  if (empty.length > 0 && !allow_empty) {
    let msg = `Found no valid file for the classes ${empty.join(', ')}. `;
    if (extensions !== null) msg += `Supported extensions are: ${typeof extensions === 'string' ? extensions : extensions.join(', ')}`;
    throw new Error(msg);
  }
  return instances;
}

/** ImageFolder's default loader: the file as RGB, uint8 (H, W, 3), as PIL's convert('RGB') holds it. */
export function default_loader(file: string): Tensor {
  return _load_rgb_hwc(file);
}

export interface DatasetFolderOptions<S, Img, Target> {
  extensions?: readonly string[] | null;
  transform?: ((sample: S) => Img) | null;
  target_transform?: ((target: number) => Target) | null;
  is_valid_file?: ((path: string) => boolean) | null;
  /** torchvision 0.18 on: a class folder without a valid file is a class without samples, not an error. */
  allow_empty?: boolean;
}

/**
 * A dataset of files laid out as root/<class>/**\/<file>: item i is
 * [loader(samples[i][0]), samples[i][1]] through the transforms.
 */
export class DatasetFolder<S = unknown, Img = S, Target = number> extends Dataset<[Img, Target]> {
  readonly root: string;
  readonly loader: (path: string) => S;
  readonly extensions: readonly string[] | null;
  readonly transform: ((sample: S) => Img) | null;
  readonly target_transform: ((target: number) => Target) | null;
  readonly classes: string[];
  readonly class_to_idx: Record<string, number>;
  readonly samples: Sample[];
  readonly targets: number[];

  /** torchvision's DatasetFolder(root, loader, extensions=None, transform=None, target_transform=None, is_valid_file=None). */
  constructor(root: string, loader: (path: string) => S, options?: DatasetFolderOptions<S, Img, Target>);
  constructor(
    root: string,
    loader: (path: string) => S,
    extensions?: readonly string[] | null,
    transform?: ((sample: S) => Img) | null,
    target_transform?: ((target: number) => Target) | null,
    is_valid_file?: ((path: string) => boolean) | null,
    allow_empty?: boolean,
  );
  constructor(options: DatasetFolderOptions<S, Img, Target> & { root: string; loader: (path: string) => S });
  constructor(...args: unknown[]) {
    const cls = new.target.name === 'ImageFolder' ? 'DatasetFolder' : new.target.name;
    const a = datasetArgs(`${cls}(str root, Any loader, Any extensions=None, Any transform=None, Any target_transform=None, Any is_valid_file=None${ALLOW_EMPTY_PARAM})`).parseNamed(args) as unknown as {
      root: string;
      loader: (path: string) => S;
      extensions: readonly string[] | string | null;
      transform: ((sample: S) => Img) | null;
      target_transform: ((target: number) => Target) | null;
      is_valid_file: ((path: string) => boolean) | null;
      allow_empty?: boolean;
    };
    super();
    this.init(new.target.name, a);
    this.root = a.root;
    this.loader = a.loader;
    this.extensions = a.extensions === null ? null : typeof a.extensions === 'string' ? [a.extensions] : a.extensions;
    this.transform = a.transform;
    this.target_transform = a.target_transform;
    const [classes, classToIdx] = this.find_classes(this.root);
    const makeDataset = (this.constructor as typeof DatasetFolder).make_dataset;
    this.samples = HAS_ALLOW_EMPTY ? makeDataset(this.root, classToIdx, a.extensions, a.is_valid_file, a.allow_empty ?? false) : makeDataset(this.root, classToIdx, a.extensions, a.is_valid_file);
    this.classes = classes;
    this.class_to_idx = classToIdx;
    this.targets = this.samples.map(([, c]) => c);
  }

  private init(cls: string, a: { loader: unknown; extensions: unknown; transform: unknown; target_transform: unknown; is_valid_file: unknown }): void {
    if (typeof a.loader !== 'function') throw new TypeError(`${cls}(): argument 'loader' must be callable, not ${typeof a.loader}`);
    checkCallable(cls, 'transform', a.transform);
    checkCallable(cls, 'target_transform', a.target_transform);
    checkCallable(cls, 'is_valid_file', a.is_valid_file);
    const e = a.extensions;
    if (e !== null && typeof e !== 'string' && !(Array.isArray(e) && e.every((x) => typeof x === 'string'))) {
      throw new TypeError(`${cls}(): argument 'extensions' must be a string or a list of strings, not ${typeof e}`);
    }
  }

  /** The class folders of directory and their indices; override to find classes another way. */
  find_classes(directory: string): [string[], Record<string, number>] {
    return find_classes(directory);
  }

  /** The samples; override to find files another way (allow_empty: torchvision 0.18 on). */
  static make_dataset(
    directory: string,
    class_to_idx: Record<string, number>,
    extensions: string | readonly string[] | null = null,
    is_valid_file: ((path: string) => boolean) | null = null,
    allow_empty = false,
  ): Sample[] {
    if (class_to_idx === null) throw new RangeError('make_dataset: The class_to_idx parameter cannot be None.');
    return make_dataset(directory, class_to_idx, extensions, is_valid_file, allow_empty);
  }

  getitem(index: number): [Img, Target] {
    const i = checkIndex(index, this.length, this.constructor.name);
    const [file, target] = this.samples[i];
    const sample = this.loader(file);
    return [this.transform ? this.transform(sample) : (sample as unknown as Img), this.target_transform ? this.target_transform(target) : (target as unknown as Target)];
  }

  get length(): number {
    return this.samples.length;
  }

  extra_repr(): string {
    return '';
  }

  override toString(): string {
    const extra = this.extra_repr();
    return visionRepr(this.constructor.name, this.length, this.root, extra ? extra.split('\n') : [], this.transform, this.target_transform);
  }
}

export interface ImageFolderOptions<Img, Target> {
  transform?: ((img: Tensor) => Img) | null;
  target_transform?: ((target: number) => Target) | null;
  loader?: (path: string) => Tensor;
  is_valid_file?: ((path: string) => boolean) | null;
  /** torchvision 0.18 on: a class folder without an image is a class without samples, not an error. */
  allow_empty?: boolean;
}

const imageFolderArgs = datasetArgs(`ImageFolder(str root, Any transform=None, Any target_transform=None, Any loader=None, Any is_valid_file=None${ALLOW_EMPTY_PARAM})`);

/**
 * Images laid out as root/<class>/**\/<image>, the files with
 * IMG_EXTENSIONS (unless is_valid_file decides); each item is [image,
 * class index], the image a uint8 (H, W, 3) RGB tensor from the default
 * loader (what PIL's convert('RGB') holds), so `new ToTensor()` makes it
 * (3, H, W) floats.
 */
export class ImageFolder<Img = Tensor, Target = number> extends DatasetFolder<Tensor, Img, Target> {
  /** The samples, as torchvision's alias. */
  get imgs(): Sample[] {
    return this.samples;
  }

  /** torchvision's ImageFolder(root, transform=None, target_transform=None, loader=default_loader, is_valid_file=None). */
  constructor(root: string, options?: ImageFolderOptions<Img, Target>);
  constructor(
    root: string,
    transform?: ((img: Tensor) => Img) | null,
    target_transform?: ((target: number) => Target) | null,
    loader?: (path: string) => Tensor,
    is_valid_file?: ((path: string) => boolean) | null,
    allow_empty?: boolean,
  );
  constructor(options: ImageFolderOptions<Img, Target> & { root: string });
  constructor(...args: unknown[]) {
    const a = imageFolderArgs.parseNamed(args) as unknown as Required<ImageFolderOptions<Img, Target>> & { root: string; loader: ((path: string) => Tensor) | null };
    super(a.root, a.loader ?? default_loader, {
      extensions: a.is_valid_file === null ? IMG_EXTENSIONS : null,
      transform: a.transform,
      target_transform: a.target_transform,
      is_valid_file: a.is_valid_file,
      ...(HAS_ALLOW_EMPTY ? { allow_empty: a.allow_empty } : {}),
    });
  }
}
