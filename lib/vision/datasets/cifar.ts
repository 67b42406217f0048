// torchvision.datasets.CIFAR10 and CIFAR100: the python-pickle batches
// (root/cifar-10-batches-py/data_batch_1..5, test_batch, batches.meta;
// root/cifar-100-python/train, test, meta), each file checked against
// torchvision's MD5 before it is read.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { _C } from '../../_C';
import { int64, uint8 } from '../../dtype';
import { from_typed_array, tensor } from '../../factories';
import type { Tensor } from '../../tensor';
import { Dataset, checkIndex, indexTensor } from '../../utils/data/dataset';
import { Transform } from '../transforms';
import { NdArray, loadNumpyPickle } from './_numpy_pickle';
import { check_integrity, download_and_extract_archive } from './utils';
import { checkCallable, datasetArgs, visionRepr } from './vision';
import { torchvisionAtLeast } from '../version';

export interface CIFAROptions<Img = Tensor, Target = number> {
  root: string;
  train?: boolean;
  transform?: ((img: Tensor) => Img) | null;
  target_transform?: ((target: number) => Target) | null;
  download?: boolean;
}

type FileSum = readonly [filename: string, md5: string];

/**
 * CIFAR-10: 60000 32x32 colour images in 10 classes, 50000 for training.
 * `data` is uint8 (N, 32, 32, 3) as torchvision's numpy array; an item is
 * [image, target] with the image a uint8 (32, 32, 3) tensor, what the PIL
 * image holds in Python (so `new ToTensor()` makes it (3, 32, 32) floats),
 * and the target the class index.
 */
export class CIFAR10<Img = Tensor, Target = number> extends Dataset<[Img, Target]> {
  static base_folder = 'cifar-10-batches-py';
  static url = 'https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz';
  static filename = 'cifar-10-python.tar.gz';
  static tgz_md5 = 'c58f30108f718f92721af3b95e74349a';
  static train_list: readonly FileSum[] = [
    ['data_batch_1', 'c99cafc152244af753f735de768cd75f'],
    ['data_batch_2', 'd4bba439e000b95fd0a9bffe97cbabec'],
    ['data_batch_3', '54ebc095f3ab1f0389bbae665268c751'],
    ['data_batch_4', '634d18415352ddfa80567beed471001a'],
    ['data_batch_5', '482c414d41f54cd18b22e5b47cb7c3cb'],
  ];
  static test_list: readonly FileSum[] = [['test_batch', '40351d587109b95175f43aff81a1287e']];
  static meta = { filename: 'batches.meta', key: 'label_names', md5: '5ff9c542aee3614f3951f8cda6e48888' };

  readonly root: string;
  readonly train: boolean;
  readonly transform: ((img: Tensor) => Img) | null;
  readonly target_transform: ((target: number) => Target) | null;
  /** The images, uint8 (N, 32, 32, 3). */
  readonly data: Tensor;
  /** The class index of each image. */
  readonly targets: number[];
  readonly classes: string[];
  readonly class_to_idx: Record<string, number>;

  /** torchvision's CIFAR10(root, train=True, transform=None, target_transform=None, download=False). */
  constructor(options: CIFAROptions<Img, Target>);
  constructor(root: string, options?: Omit<CIFAROptions<Img, Target>, 'root'>);
  constructor(root: string, train?: boolean, transform?: ((img: Tensor) => Img) | null, target_transform?: ((target: number) => Target) | null, download?: boolean);
  constructor(...args: unknown[]) {
    const name = new.target.name;
    const a = datasetArgs(`${name}(str root, bool train=True, Any transform=None, Any target_transform=None, bool download=False)`).parseNamed(args) as unknown as Required<CIFAROptions<Img, Target>>;
    checkCallable(name, 'transform', a.transform);
    checkCallable(name, 'target_transform', a.target_transform);
    super();
    this.root = a.root;
    this.train = a.train;
    this.transform = a.transform;
    this.target_transform = a.target_transform;
    if (a.download) this.download();
    const cls = this.constructor as typeof CIFAR10;
    if (!this._check_integrity()) {
      throw new Error(`${name}: Dataset not found or corrupted in ${path.join(this.root, cls.base_folder)} (expected ${[...cls.train_list, ...cls.test_list].map(([f]) => f).join(', ')} with torchvision's MD5 sums). You can use download: true to download it`);
    }
    const chunks: Uint8Array[] = [];
    const targets: number[] = [];
    for (const [file] of this.train ? cls.train_list : cls.test_list) {
      const entry = this.readPickle(file);
      const data = entry.data;
      if (!(data instanceof NdArray) || data.dtype !== 'u1' || data.shape.length !== 2 || data.shape[1] !== 3072) {
        throw new Error(`${name}: ${file}: 'data' should be a uint8 array of shape (N, 3072), got ${data instanceof NdArray ? `${data.dtype} (${data.shape.join(', ')})` : typeof data}`);
      }
      const labels = (entry.labels ?? entry.fine_labels) as unknown;
      if (!Array.isArray(labels) || labels.length !== data.shape[0] || !labels.every((l) => Number.isInteger(l))) {
        throw new Error(`${name}: ${file}: expected ${data.shape[0]} integer labels under 'labels' or 'fine_labels'`);
      }
      chunks.push(data.data);
      targets.push(...(labels as number[]));
    }
    const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const c of chunks) (all.set(c, offset), (offset += c.length));
    // Stored channel-planar (N, 3, 32, 32); torchvision transposes to (N, 32, 32, 3) for PIL.
    this.data = from_typed_array(all, [targets.length, 3, 32, 32], { dtype: uint8 }).permute(0, 2, 3, 1).contiguous();
    this.targets = targets;
    const meta = this.readPickle(cls.meta.filename, cls.meta.md5);
    const classes = meta[cls.meta.key];
    if (!Array.isArray(classes) || !classes.every((c) => typeof c === 'string')) throw new Error(`${name}: ${cls.meta.filename}: '${cls.meta.key}' should be a list of class names`);
    this.classes = classes as string[];
    this.class_to_idx = Object.fromEntries(this.classes.map((c, i) => [c, i]));
  }

  private readPickle(file: string, md5: string | null = null): Record<string, unknown> {
    const cls = this.constructor as typeof CIFAR10;
    const p = path.join(this.root, cls.base_folder, file);
    if (md5 !== null && !check_integrity(p, md5)) {
      throw new Error(`${cls.name}: Dataset metadata file ${p} not found or corrupted. You can use download: true to download it`);
    }
    const v = loadNumpyPickle(fs.readFileSync(p), p);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${cls.name}: ${p} should hold a dict`);
    return v as Record<string, unknown>;
  }

  /** Whether every batch file is there with torchvision's MD5. */
  _check_integrity(): boolean {
    const cls = this.constructor as typeof CIFAR10;
    return [...cls.train_list, ...cls.test_list].every(([file, md5]) => check_integrity(path.join(this.root, cls.base_folder, file), md5));
  }

  /** Fetches and unpacks the archive into root, unless the files are already there and verified. */
  download(): void {
    if (this._check_integrity()) {
      // torchvision 0.14 says so; later releases return quietly.
      if (!torchvisionAtLeast(15)) process.stderr.write('Files already downloaded and verified\n');
      return;
    }
    const cls = this.constructor as typeof CIFAR10;
    download_and_extract_archive(cls.url, this.root, null, cls.filename, cls.tgz_md5);
  }

  getitem(index: number): [Img, Target] {
    const i = checkIndex(index, this.length, this.constructor.name);
    const img: Tensor = _C.select(this.data, 0, i);
    const target = this.targets[i];
    return [this.transform ? this.transform(img) : (img as Img), this.target_transform ? this.target_transform(target) : (target as Target)];
  }

  get length(): number {
    return this.targets.length;
  }

  /** A whole batch by one gather, when the transforms can take a batch. */
  override getbatch(indices: number[]): [unknown, Tensor] | undefined {
    if (this.target_transform) return undefined;
    const batched = this.transform === null ? (x: Tensor) => x : this.transform instanceof Transform ? this.transform.batched() : null;
    if (!batched) return undefined;
    const idx = indexTensor(indices, this.length, this.constructor.name);
    // default_collate makes the int targets one int64 tensor.
    const targets = tensor(indices.map((i) => this.targets[i < 0 ? i + this.length : i]), { dtype: int64 });
    return [batched(_C.index_select(this.data, 0, idx)), targets];
  }

  extra_repr(): string {
    return `Split: ${this.train ? 'Train' : 'Test'}`;
  }

  override toString(): string {
    return visionRepr(this.constructor.name, this.length, this.root, this.extra_repr().split('\n'), this.transform, this.target_transform);
  }
}

/** CIFAR-100: as CIFAR-10 with 100 classes; targets are the fine labels. */
export class CIFAR100<Img = Tensor, Target = number> extends CIFAR10<Img, Target> {
  static override base_folder = 'cifar-100-python';
  static override url = 'https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz';
  static override filename = 'cifar-100-python.tar.gz';
  static override tgz_md5 = 'eb9058c3a382ffc7106e4002c42a8d85';
  static override train_list: readonly FileSum[] = [['train', '16019d7e3df5f24257cddd939b257f8d']];
  static override test_list: readonly FileSum[] = [['test', 'f0ef6b0ae62326f3e7ffdfab6717acfc']];
  static override meta = { filename: 'meta', key: 'fine_label_names', md5: '7973b15100ade9c7d40fb424638fde48' };
}
