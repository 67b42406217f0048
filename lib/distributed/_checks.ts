// The check that every rank's collective agrees before Gloo sees it.
//
// Gloo trusts its peers: when one rank's tensor is larger than another's,
// the smaller side's transport thread finds a message longer than its
// buffer and aborts the whole process ("op.preamble.length <= op.nbytes").
// So where every rank of a group is a torchts rank, each collective first
// exchanges a fixed-size fingerprint (what is called, the dtype and size of
// the tensor, the root, the reduction) with all_gather, and the collective
// itself goes ahead only where all ranks agree; otherwise every rank gets
// the same clear error, naming each rank's side, and nothing is sent.
// A send and its recv exchange their fingerprints pairwise the same way; a
// receiver that refuses the data still takes it, so that the sender does
// not wait out its timeout.
//
// The check costs one small round trip per collective, and it only works
// where every rank takes part: a Python rank knows nothing of it, so in a
// group with Python ranks (which the group finds out when it is made)
// collectives go to Gloo unchecked, as Python's own do.
//
// Collectives of a checked group run one after another in the order they
// were called (each waits for the one before to settle), so that every
// rank pairs the same fingerprints and the same collectives whatever the
// timing; their tensors are marked in flight from the call.
import { dtypeFromCode, int64 } from '../dtype';
import { tensor as makeTensor, zeros } from '../factories';
import { native } from '../native';
import type { Tensor } from '../tensor';

/** What each collective is, in a fingerprint. */
export const Kind = {
  all_reduce: 1,
  broadcast: 2,
  reduce: 3,
  all_gather: 4,
  gather: 5,
  scatter: 6,
  reduce_scatter: 7,
  barrier: 8,
  send: 9,
} as const;

const KIND_NAMES = new Map<number, string>(Object.entries(Kind).map(([name, code]) => [code, name]));

/** The fixed fields: kind, dtype code, element count, dimensions, first size, root, reduction code. */
const FIELDS = 7;

/** What a rank says about the collective it is about to run. */
export interface Fingerprint {
  kind: number;
  tensor: Tensor | null;
  root?: number;
  op?: number;
}

/** A fingerprint as the row of numbers every rank sends (read before the tensor is marked in flight). */
export function encode(fp: Fingerprint): number[] {
  const t = fp.tensor;
  return [fp.kind, t ? t.dtype._code : -1, t ? t.numel() : 0, t ? t.dim() : 0, t && t.dim() > 0 ? t.shape[0] : 0, fp.root ?? -1, fp.op ?? -1];
}

function describe(row: number[]): string {
  const [kind, dtype, numel, , , root, op] = row;
  const parts = [`${KIND_NAMES.get(kind) ?? `collective ${kind}`}`];
  if (dtype >= 0) parts.push(`a ${dtypeFromCode(dtype)} tensor of ${numel} element${numel === 1 ? '' : 's'}`);
  if (root >= 0) parts.push(`root ${root}`);
  if (op >= 0) parts.push(`op code ${op}`);
  return parts.join(', ');
}

function mismatch(where: string, rows: number[][], ranks: number[]): Error {
  const sides = rows.map((row, i) => `rank ${ranks[i]}: ${describe(row)}`).join('; ');
  return new Error(
    `torch.distributed.${where}: the ranks disagree on this collective (${sides}); every rank must call the same collective ` +
      `with the same dtype and size, and the same root and op (checked before Gloo sees them: Gloo itself would abort the process)`,
  );
}

/** The serial queue of a checked group: each collective waits for the one before. */
export class CheckedQueue {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    /** @internal the native group */
    private readonly handle: object,
    /** The group's ranks, in group order, as global ranks (for messages). */
    private readonly globalRanks: number[],
  ) {}

  /**
   * Runs `start` (which enqueues the collective natively) once every
   * collective called before it on this group has settled and every rank
   * has agreed on `fp`; tensors are marked in flight meanwhile.
   */
  run<T>(where: string, fp: Fingerprint, tensors: Tensor[], start: () => Promise<T>): Promise<T> {
    const row = encode(fp);
    const mark = native.markInFlight(tensors);
    let marked = true;
    const unmark = () => {
      if (marked) native.unmarkInFlight(mark);
      marked = false;
    };
    const result = this.tail.then(async () => {
      try {
        await this.agree(where, row);
      } catch (e) {
        unmark();
        throw e;
      }
      unmark();
      return start();
    });
    result.catch(unmark);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async agree(where: string, row: number[]): Promise<void> {
    const size = this.globalRanks.length;
    const mine = makeTensor(row, { dtype: int64 });
    const all = Array.from({ length: size }, () => zeros(FIELDS, { dtype: int64 }));
    await native.distAllGather(this.handle, all, mine, where);
    const rows = all.map((t) => t.tolist() as number[]);
    const first = JSON.stringify(rows[0]);
    if (rows.some((r) => JSON.stringify(r) !== first)) throw mismatch(where, rows, this.globalRanks);
  }

  /**
   * A send's fingerprint goes to its receiver first, on a tag of its own;
   * the receiver compares it with its own tensor before it posts the recv.
   */
  async sendFingerprint(where: string, own: number[], dst: number, tag: number): Promise<void> {
    await native.distSend(this.handle, makeTensor(own, { dtype: int64 }), dst, fingerprintTag(tag), where);
  }

  /** The sender's group rank, once its fingerprint agrees with t's. */
  async recvFingerprint(where: string, own: number[], src: number, tag: number): Promise<number> {
    const theirs = zeros(FIELDS, { dtype: int64 });
    const from = await native.distRecv(this.handle, theirs, src, fingerprintTag(tag), where);
    const row = theirs.tolist() as number[];
    if (JSON.stringify(row) !== JSON.stringify(own)) {
      // Take the sender's data into a tensor of its own kind, so that its
      // send completes instead of waiting out the timeout; then refuse it.
      await native.distRecv(this.handle, zeros(row[2], { dtype: dtypeFromCode(row[1]) }), from, tag, where);
      throw new Error(
        `torch.distributed.${where}: rank ${this.globalRanks[from]} sends ${describe(row).replace('send, ', '')}, but this rank's tensor is ` +
          `${describe(own).replace('send, ', '')}; the tensor of a recv must have the sender's dtype and size (checked before Gloo sees them)`,
      );
    }
    return from;
  }
}

// A p2p tag's fingerprint travels on a tag of its own: the user's tag with
// the top bit of Gloo's 32-bit tag set (user tags at or above 2^30 are refused).
function fingerprintTag(tag: number): number {
  return tag | 0x40000000;
}

/** The largest tag a send or recv may use in a checked group. */
export const MAX_USER_TAG = 0x3fffffff;

