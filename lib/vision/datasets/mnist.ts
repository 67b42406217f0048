// torchvision.datasets.MNIST and its kin (FashionMNIST, KMNIST, EMNIST,
// QMNIST): the IDX files in torchvision's layout
// (root/MNIST/raw/train-images-idx3-ubyte, with or without .gz), or
// directly in root as Debian's dataset packages keep them.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { _C } from '../../_C';
import { int64, uint8 } from '../../dtype';
import { from_typed_array } from '../../factories';
import type { Tensor } from '../../tensor';
import { Dataset, checkIndex, indexTensor } from '../../utils/data/dataset';
import type { PyArgs } from '../../nn/modules/utils';
import { IDX_INT32, readIdx } from '../idx';
import { Transform } from '../transforms';
import { downloadFile, md5 } from './download';
import { checkCallable, datasetArgs, visionRepr } from './vision';
import { torchvisionAtLeast } from '../version';

/**
 * Img and Target are what the transforms return (a uint8 Tensor (28, 28) and
 * the label as a number without them), so `transform: new ToTensor()` types
 * the items as [Tensor, number].
 */
export interface MNISTOptions<Img = Tensor, Target = number> {
  root: string;
  train?: boolean;
  download?: boolean;
  transform?: ((img: Tensor) => Img) | null;
  target_transform?: ((target: number) => Target) | null;
}

type Resource = readonly [filename: string, md5: string];


export class MNIST<Img = Tensor, Target = number> extends Dataset<[Img, Target]> {
  static mirrors: readonly string[] = ['http://yann.lecun.com/exdb/mnist/', 'https://ossci-datasets.s3.amazonaws.com/mnist/'];
  static resources: readonly Resource[] = [
    ['train-images-idx3-ubyte.gz', 'f68b3c2dcbeaaa9fbdd348bbdeb94873'],
    ['train-labels-idx1-ubyte.gz', 'd53e105ee54ea40749a09fcbcd1e9432'],
    ['t10k-images-idx3-ubyte.gz', '9fb629c4189551a2d022fa330f9573f3'],
    ['t10k-labels-idx1-ubyte.gz', 'ec29112dd5afa0611ce80d1b7f02629c'],
  ];
  static classes: readonly string[] = ['0 - zero', '1 - one', '2 - two', '3 - three', '4 - four', '5 - five', '6 - six', '7 - seven', '8 - eight', '9 - nine'];

  readonly root: string;
  readonly train: boolean;
  readonly transform: ((img: Tensor) => Img) | null;
  readonly target_transform: ((target: number) => Target) | null;
  /** The images, uint8 (N, 28, 28). */
  readonly data: Tensor;
  /** The labels, int64 (N). */
  readonly targets: Tensor;
  /** The folder the files were read from. */
  readonly folder: string;

  /** torchvision's MNIST(root, train=True, transform=None, target_transform=None, download=False). */
  constructor(options: MNISTOptions<Img, Target>);
  constructor(root: string, options?: Omit<MNISTOptions<Img, Target>, 'root'>);
  constructor(
    root: string,
    train?: boolean,
    transform?: ((img: Tensor) => Img) | null,
    target_transform?: ((target: number) => Target) | null,
    download?: boolean,
    options?: Omit<MNISTOptions<Img, Target>, 'root'>,
  );
  constructor(...args: unknown[]) {
    const name = new.target.name;
    const a = datasetArgs((new.target as typeof MNIST)._signature(name)).parseNamed(args) as unknown as Required<MNISTOptions<Img, Target>> & Record<string, unknown>;
    checkCallable(name, 'transform', a.transform);
    checkCallable(name, 'target_transform', a.target_transform);
    super();
    this._configure(a);
    this.root = a.root;
    this.train = a.train;
    this.transform = a.transform;
    this.target_transform = a.target_transform;
    if (a.download) this.download();
    this.folder = this.findFolder();
    const [imagesName, labelsName] = this._files();
    [this.data, this.targets] = this._load_data(this.file(imagesName)!, this.file(labelsName)!);
  }

  /** The constructor's Python signature; the subclasses with more arguments (EMNIST's split, QMNIST's what) extend it. */
  static _signature(name: string): string {
    return `${name}(str root, bool train=True, Any transform=None, Any target_transform=None, bool download=False)`;
  }

  /** Takes the subclass's own arguments, before any file is looked for. */
  protected _configure(_args: Record<string, unknown>): void {}

  /** The images and labels files of this split, without .gz. */
  protected _files(): [images: string, labels: string] {
    const split = this.train ? 'train' : 't10k';
    return [`${split}-images-idx3-ubyte`, `${split}-labels-idx1-ubyte`];
  }

  /** The images, uint8 (N, H, W), and the labels, int64 (N), from the two files. */
  protected _load_data(imagesFile: string, labelsFile: string): [Tensor, Tensor] {
    const images = readIdx(imagesFile, 3);
    const labels = readIdx(labelsFile, 1);
    if (labels.dims[0] !== images.dims[0]) {
      throw new Error(`${this.constructor.name}: ${labelsFile} has ${labels.dims[0]} labels but ${imagesFile} has ${images.dims[0]} images`);
    }
    return [from_typed_array(images.data, images.dims, { dtype: uint8 }), from_typed_array(labels.data, labels.dims, { dtype: uint8 }).to(int64)];
  }

  get classes(): readonly string[] {
    return (this.constructor as typeof MNIST).classes;
  }

  get class_to_idx(): Record<string, number> {
    return Object.fromEntries(this.classes.map((c, i) => [c, i]));
  }

  /** torchvision's raw folder: root/<ClassName>/raw. */
  get raw_folder(): string {
    return path.join(this.root, this.constructor.name, 'raw');
  }

  private expectedFiles(): string[] {
    return this._files();
  }

  /** name or name.gz in folder, whichever exists. */
  protected fileIn(folder: string, name: string): string | null {
    for (const candidate of [name, `${name}.gz`]) {
      const p = path.join(folder, candidate);
      if (fs.existsSync(p)) return p;
    }
    return null;
  }

  private file(name: string): string | null {
    return this.fileIn(this.folder, name);
  }

  private findFolder(): string {
    for (const folder of [this.raw_folder, this.root]) {
      if (this.expectedFiles().every((f) => this.fileIn(folder, f))) return folder;
    }
    const names = this.expectedFiles().map((f) => `${f}(.gz)`).join(' and ');
    throw new Error(
      `${this.constructor.name} not found: expected ${names} in ${this.raw_folder} (or in ${this.root}). ` +
        'Pass download: true to fetch them, or put the files there.',
    );
  }

  download(): void {
    const cls = this.constructor as typeof MNIST;
    const have = (name: string) => this.fileIn(this.raw_folder, name.replace(/\.gz$/, '')) || this.fileIn(this.root, name.replace(/\.gz$/, ''));
    const missing = cls.resources.filter(([name]) => !have(name));
    if (missing.length === 0) return;
    fs.mkdirSync(this.raw_folder, { recursive: true });
    for (const [name, sum] of missing) {
      if (!downloadFile(cls.mirrors, name, this.raw_folder, sum)) {
        throw new Error(
          `${cls.name}: could not download ${name} from ${cls.mirrors.join(' or ')}. ` +
            `Without a network, put these files in ${this.raw_folder}: ${cls.resources.map(([n]) => n).join(', ')}`,
        );
      }
    }
  }

  /** Checks the files against torchvision's MD5 sums; returns the names that do not match. */
  check_integrity(): string[] {
    const cls = this.constructor as typeof MNIST;
    return cls.resources
      .filter(([name]) => fs.existsSync(path.join(this.folder, name)))
      .filter(([name, sum]) => md5(path.join(this.folder, name)) !== sum)
      .map(([name]) => name);
  }

  getitem(index: number): [Img, Target] {
    const i = checkIndex(index, this.length, this.constructor.name);
    const img: Tensor = _C.select(this.data, 0, i);
    const target = Number(_C.select(this.targets, 0, i).item());
    // Without a transform, Img and Target are their defaults, Tensor and number.
    return [this.transform ? this.transform(img) : (img as Img), this.target_transform ? this.target_transform(target) : (target as Target)];
  }

  get length(): number {
    return this.data.size(0);
  }

  /** A whole batch by one gather, when the transforms can take a batch. */
  override getbatch(indices: number[]): [unknown, Tensor] | undefined {
    if (this.target_transform) return undefined;
    const batched = this.transform === null ? (x: Tensor) => x : this.transform instanceof Transform ? this.transform.batched() : null;
    if (!batched) return undefined;
    const idx = indexTensor(indices, this.length, this.constructor.name);
    return [batched(_C.index_select(this.data, 0, idx)), _C.index_select(this.targets, 0, idx)];
  }

  extra_repr(): string {
    return `Split: ${this.train ? 'Train' : 'Test'}`;
  }

  override toString(): string {
    return visionRepr(this.constructor.name, this.length, this.root, this.extra_repr().split('\n'), this.transform, this.target_transform);
  }
}

export class FashionMNIST<Img = Tensor, Target = number> extends MNIST<Img, Target> {
  static override mirrors: readonly string[] = ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'];
  static override resources: readonly Resource[] = [
    ['train-images-idx3-ubyte.gz', '8d4fb7e6c68d591d4c3dfef9ec88bf0d'],
    ['train-labels-idx1-ubyte.gz', '25c81989df183df01b3e8a0aad5dffbe'],
    ['t10k-images-idx3-ubyte.gz', 'bef4ecab320f06d8554ea6380940ec79'],
    ['t10k-labels-idx1-ubyte.gz', 'bb300cfdad3c16e7a12a480ee83cd310'],
  ];
  static override classes: readonly string[] = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
}

/** Kuzushiji-MNIST: 28x28 cursive Japanese characters, ten classes, in MNIST's files and layout. */
export class KMNIST<Img = Tensor, Target = number> extends MNIST<Img, Target> {
  static override mirrors: readonly string[] = ['http://codh.rois.ac.jp/kmnist/dataset/kmnist/'];
  static override resources: readonly Resource[] = [
    ['train-images-idx3-ubyte.gz', 'bdb82020997e1d708af4cf47b453dcf7'],
    ['train-labels-idx1-ubyte.gz', 'e144d726b3acfaa3e44228e80efcd344'],
    ['t10k-images-idx3-ubyte.gz', '5c965bf0a639b31b8f53240b1b52f4d7'],
    ['t10k-labels-idx1-ubyte.gz', '7320c461ea6c1c855c0b718fb2a4b134'],
  ];
  static override classes: readonly string[] = ['o', 'ki', 'su', 'tsu', 'na', 'ha', 'ma', 'ya', 're', 'wo'];
}

/** torchvision's verify_str_arg: value must be one of valid. */
function verifyStrArg(cls: string, value: unknown, arg: string, valid: readonly string[]): string {
  if (typeof value !== 'string') throw new TypeError(`${cls}(): Expected type str for argument ${arg}, but got type ${typeof value}.`);
  if (!valid.includes(value)) {
    throw new RangeError(`${cls}(): Unknown value '${value}' for argument ${arg}. Valid values are {${valid.map((v) => `'${v}'`).join(', ')}}.`);
  }
  return value;
}

export interface EMNISTOptions<Img = Tensor, Target = number> extends MNISTOptions<Img, Target> {
  split: 'byclass' | 'bymerge' | 'balanced' | 'letters' | 'digits' | 'mnist';
}

const DIGITS = '0123456789'.split('');
const LOWER = 'abcdefghijklmnopqrstuvwxyz'.split('');
const UPPER = LOWER.map((c) => c.toUpperCase());
// Python sorts the set of digits and letters by code point: digits, capitals, small letters.
const ALL_CLASSES = [...DIGITS, ...UPPER, ...LOWER];
const MERGED = new Set('cijklmopsuvwxyz'.split(''));

/**
 * Extended MNIST: handwritten digits and letters in six splits, from the
 * IDX files of NIST's gzip.zip put in raw_folder
 * (emnist-<split>-<train|test>-images-idx3-ubyte, with or without .gz).
 */
export class EMNIST<Img = Tensor, Target = number> extends MNIST<Img, Target> {
  static splits = ['byclass', 'bymerge', 'balanced', 'letters', 'digits', 'mnist'] as const;
  // NIST moved the archive after torchvision 0.14, which still names its old place.
  static url = torchvisionAtLeast(15) ? 'https://biometrics.nist.gov/cs_links/EMNIST/gzip.zip' : 'https://www.itl.nist.gov/iaui/vip/cs_links/EMNIST/gzip.zip';
  static md5 = '58c8d27c78d21e728a6bc7b3cc06412e';
  static classes_split_dict: Record<string, readonly string[]> = {
    byclass: ALL_CLASSES,
    bymerge: ALL_CLASSES.filter((c) => !MERGED.has(c)),
    balanced: ALL_CLASSES.filter((c) => !MERGED.has(c)),
    letters: ['N/A', ...LOWER],
    digits: DIGITS,
    mnist: DIGITS,
  };
  // `declare`: set by _configure during MNIST's constructor, not reset by a field initialiser after it.
  declare readonly split: EMNISTOptions['split'];

  /** torchvision's EMNIST(root, split, train=True, transform=None, target_transform=None, download=False). */
  constructor(
    ...args: PyArgs<
      [root: string, split: EMNISTOptions['split']],
      [train: boolean, transform: ((img: Tensor) => Img) | null, target_transform: ((target: number) => Target) | null, download: boolean],
      EMNISTOptions<Img, Target>
    >
  );
  constructor(...args: unknown[]) {
    super(...(args as [string]));
  }

  static override _signature(name: string): string {
    return `${name}(str root, str split, bool train=True, Any transform=None, Any target_transform=None, bool download=False)`;
  }

  protected override _configure(args: Record<string, unknown>): void {
    (this as { split: string }).split = verifyStrArg(this.constructor.name, args.split, 'split', (this.constructor as typeof EMNIST).splits);
  }

  protected override _files(): [string, string] {
    const prefix = `emnist-${this.split}-${this.train ? 'train' : 'test'}`;
    return [`${prefix}-images-idx3-ubyte`, `${prefix}-labels-idx1-ubyte`];
  }

  override get classes(): readonly string[] {
    return (this.constructor as typeof EMNIST).classes_split_dict[this.split];
  }

  /** torchvision unpacks NIST's 536 MB gzip.zip; this build reads zip archives no more than it fetches them. */
  override download(): void {
    if (this._files().every((f) => this.fileIn(this.raw_folder, f) || this.fileIn(this.root, f))) return;
    throw new Error(
      `${this.constructor.name}: download is not available: torchvision fetches ${(this.constructor as typeof EMNIST).url} (a zip archive) and unpacks it. ` +
        `Unpack it yourself and put ${this._files().join(' and ')} (or their .gz) in ${this.raw_folder}`,
    );
  }
}

export interface QMNISTOptions<Img = Tensor, Target = number> extends MNISTOptions<Img, Target> {
  what?: 'train' | 'test' | 'test10k' | 'test50k' | 'nist' | null;
  compat?: boolean;
}

type QResource = readonly [url: string, md5: string];

/**
 * QMNIST: MNIST's digits with their full NIST provenance. `what` picks the
 * subset (train, test, test10k = the first 10000 of test, test50k = the
 * rest, nist); the targets are int64 (N, 8) rows (class, NIST writer, ...);
 * with compat (the default) an item's target is the class alone, as MNIST's.
 */
export class QMNIST<Img = Tensor, Target = number> extends MNIST<Img, Target> {
  static subsets: Record<string, string> = { train: 'train', test: 'test', test10k: 'test', test50k: 'test', nist: 'nist' };
  static qresources: Record<string, readonly QResource[]> = {
    train: [
      ['https://raw.githubusercontent.com/facebookresearch/qmnist/master/qmnist-train-images-idx3-ubyte.gz', 'ed72d4157d28c017586c42bc6afe6370'],
      ['https://raw.githubusercontent.com/facebookresearch/qmnist/master/qmnist-train-labels-idx2-int.gz', '0058f8dd561b90ffdd0f734c6a30e5e4'],
    ],
    test: [
      ['https://raw.githubusercontent.com/facebookresearch/qmnist/master/qmnist-test-images-idx3-ubyte.gz', '1394631089c404de565df7b7aeaf9412'],
      ['https://raw.githubusercontent.com/facebookresearch/qmnist/master/qmnist-test-labels-idx2-int.gz', '5b5b05890a5e13444e108efe57b788aa'],
    ],
    nist: [
      ['https://raw.githubusercontent.com/facebookresearch/qmnist/master/xnist-images-idx3-ubyte.xz', '7f124b3b8ab81486c9d8c2749c17f834'],
      ['https://raw.githubusercontent.com/facebookresearch/qmnist/master/xnist-labels-idx2-int.xz', '5ed0e788978e45d4a8bd4b7caec3d79d'],
    ],
  };
  declare readonly what: NonNullable<QMNISTOptions['what']>;
  declare readonly compat: boolean;

  /** torchvision's QMNIST(root, what=None, compat=True, train=True, transform=None, target_transform=None, download=False). */
  constructor(
    ...args: PyArgs<
      [root: string],
      [
        what: QMNISTOptions['what'],
        compat: boolean,
        train: boolean,
        transform: ((img: Tensor) => Img) | null,
        target_transform: ((target: number) => Target) | null,
        download: boolean,
      ],
      QMNISTOptions<Img, Target>
    >
  );
  constructor(...args: unknown[]) {
    super(...(args as [string]));
  }

  static override _signature(name: string): string {
    return `${name}(str root, str? what=None, bool compat=True, bool train=True, Any transform=None, Any target_transform=None, bool download=False)`;
  }

  protected override _configure(args: Record<string, unknown>): void {
    const cls = this.constructor as typeof QMNIST;
    const what = args.what ?? (args.train ? 'train' : 'test');
    (this as { what: string }).what = verifyStrArg(cls.name, what, 'what', Object.keys(cls.subsets));
    (this as { compat: boolean }).compat = args.compat as boolean;
  }

  /** The local names: the URLs' file names less their compression suffix, as torchvision unpacks them. */
  protected override _files(): [string, string] {
    const [[images], [labels]] = (this.constructor as typeof QMNIST).qresources[(this.constructor as typeof QMNIST).subsets[this.what]];
    const local = (url: string) => path.basename(url).replace(/\.(gz|xz)$/, '');
    return [local(images), local(labels)];
  }

  protected override _load_data(imagesFile: string, labelsFile: string): [Tensor, Tensor] {
    const images = readIdx(imagesFile, 3);
    const labels = readIdx(labelsFile, 2, IDX_INT32);
    if (labels.dims[0] !== images.dims[0]) throw new Error(`${this.constructor.name}: ${labelsFile} has ${labels.dims[0]} rows but ${imagesFile} has ${images.dims[0]} images`);
    // The ints are big-endian in the file.
    const view = new DataView(labels.data.buffer, labels.data.byteOffset, labels.data.byteLength);
    const ints = new Int32Array(labels.data.byteLength / 4);
    for (let i = 0; i < ints.length; i++) ints[i] = view.getInt32(4 * i, false);
    let data = from_typed_array(images.data, images.dims, { dtype: uint8 });
    let targets = from_typed_array(ints, labels.dims).to(int64);
    if (this.what === 'test10k') {
      data = data.narrow(0, 0, Math.min(10000, data.size(0))).clone();
      targets = targets.narrow(0, 0, Math.min(10000, targets.size(0))).clone();
    } else if (this.what === 'test50k') {
      const from = Math.min(10000, data.size(0));
      data = data.narrow(0, from, data.size(0) - from).clone();
      targets = targets.narrow(0, from, targets.size(0) - from).clone();
    }
    return [data, targets];
  }

  override getitem(index: number): [Img, Target] {
    const i = checkIndex(index, this.length, this.constructor.name);
    const img: Tensor = _C.select(this.data, 0, i);
    const row: Tensor = _C.select(this.targets, 0, i);
    const target = this.compat ? Number(_C.select(row, 0, 0).item()) : row;
    return [this.transform ? this.transform(img) : (img as Img), this.target_transform ? this.target_transform(target as number) : (target as Target)];
  }

  override getbatch(indices: number[]): [unknown, Tensor] | undefined {
    const batch = super.getbatch(indices);
    if (batch === undefined || !this.compat) return batch;
    return [batch[0], batch[1].select(1, 0)];
  }

  override download(): void {
    const cls = this.constructor as typeof QMNIST;
    if (this._files().every((f) => this.fileIn(this.raw_folder, f) || this.fileIn(this.root, f))) return;
    fs.mkdirSync(this.raw_folder, { recursive: true });
    for (const [url, sum] of cls.qresources[cls.subsets[this.what]]) {
      const name = path.basename(url);
      // .gz is read as it is; Node has no xz decoder, and nist ships only as .xz.
      if (name.endsWith('.xz')) throw new Error(`${cls.name}: ${name} is xz-compressed, which this build cannot unpack; unpack it yourself into ${path.join(this.raw_folder, name.slice(0, -3))}`);
      if (!downloadFile([url.slice(0, url.length - name.length)], name, this.raw_folder, sum)) {
        throw new Error(`${cls.name}: could not download ${url}. Without a network, put ${name} (or it unpacked) in ${this.raw_folder}`);
      }
    }
  }

  override extra_repr(): string {
    return `Split: ${this.what}`;
  }
}
