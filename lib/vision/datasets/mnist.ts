// torchvision.datasets.MNIST and FashionMNIST: the IDX files in
// torchvision's layout (root/MNIST/raw/train-images-idx3-ubyte, with or
// without .gz), or directly in root as Debian's dataset packages keep them.
import { PythonArgParser } from '../../_arg_parser';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { _C } from '../../_C';
import { int64, uint8 } from '../../dtype';
import { from_typed_array } from '../../factories';
import type { Tensor } from '../../tensor';
import { Dataset, checkIndex, indexTensor } from '../../utils/data/dataset';
import { readIdx } from '../idx';
import { Transform } from '../transforms';
import { downloadFile, md5 } from './download';

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

// One binder per class, so that a message names the class the user made.
const binders = new Map<string, PythonArgParser>();
function mnistArgs(name: string): PythonArgParser {
  let parser = binders.get(name);
  if (!parser) {
    parser = new PythonArgParser([`${name}(str root, bool train=True, Any transform=None, Any target_transform=None, bool download=False)`]);
    binders.set(name, parser);
  }
  return parser;
}

function checkCallable(cls: string, name: string, v: unknown): void {
  if (v !== null && typeof v !== 'function') throw new TypeError(`${cls}(): argument '${name}' must be callable or null, not ${typeof v}`);
}

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
    const { root, train, download, transform, target_transform } = mnistArgs(name).parseNamed(args) as unknown as Required<MNISTOptions<Img, Target>>;
    checkCallable(name, 'transform', transform);
    checkCallable(name, 'target_transform', target_transform);
    super();
    this.root = root;
    this.train = train;
    this.transform = transform;
    this.target_transform = target_transform;
    if (download) this.download();
    this.folder = this.findFolder();
    const split = train ? 'train' : 't10k';
    const images = readIdx(this.file(`${split}-images-idx3-ubyte`)!, 3);
    const labels = readIdx(this.file(`${split}-labels-idx1-ubyte`)!, 1);
    if (labels.dims[0] !== images.dims[0]) {
      throw new Error(
        `${this.constructor.name}: ${this.file(`${split}-labels-idx1-ubyte`)} has ${labels.dims[0]} labels but ${this.file(`${split}-images-idx3-ubyte`)} has ${images.dims[0]} images`,
      );
    }
    this.data = from_typed_array(images.data, images.dims, { dtype: uint8 });
    this.targets = from_typed_array(labels.data, labels.dims, { dtype: uint8 }).to(int64);
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
    const split = this.train ? 'train' : 't10k';
    return [`${split}-images-idx3-ubyte`, `${split}-labels-idx1-ubyte`];
  }

  /** name or name.gz in folder, whichever exists. */
  private fileIn(folder: string, name: string): string | null {
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

  override toString(): string {
    const lines = [`Dataset ${this.constructor.name}`, `    Number of datapoints: ${this.length}`, `    Root location: ${this.root}`, `    Split: ${this.train ? 'Train' : 'Test'}`];
    if (this.transform) lines.push(`    StandardTransform\nTransform: ${String(this.transform).split('\n').join('\n           ')}`);
    return lines.join('\n');
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
