// The check that every rank agrees on a collective before Gloo sees it.
//
// Gloo trusts its peers: when one rank's tensor is larger than another's,
// the smaller side's transport thread finds a message longer than its
// buffer and aborts the whole process ("op.preamble.length <= op.nbytes").
// So where every rank of a group is a torchts rank, each collective first
// exchanges a fixed-size fingerprint (what is called, the dtype and size of
// the tensor, the root, the reduction), and goes ahead only where all ranks
// agree; otherwise every rank gets the same clear error, naming each rank's
// side, and nothing is sent. For the collectives, native/distributed.cc does
// it (CheckedRunner: one collective after another, in call order, on a
// thread of the group's own); a send and its recv exchange fingerprints
// pairwise, here. A receiver that refuses the data still takes it, so that
// the sender does not wait out its timeout.
//
// The check costs one small round trip per call, and it only works where
// every rank takes part: a Python rank knows nothing of it, so in a group
// with Python ranks (which the group finds out when it is made) calls go to
// Gloo unchecked, as Python's own do. So does a group where any rank was
// started with TORCHTS_DISTRIBUTED_CHECK=0 (for Python's latency, at
// Python's risk).
import { dtypeFromCode, int64 } from '../dtype';
import { tensor as makeTensor, zeros } from '../factories';
import { native } from '../native';
import type { Tensor } from '../tensor';

/** The fixed fields: kind (9, a send), dtype code, element count, dimensions, first size, root, op. */
const FIELDS = 7;
const SEND = 9;

/** A send's fingerprint, read before the tensor is marked in flight. */
export function fingerprintOf(t: Tensor): number[] {
  return [SEND, t.dtype._code, t.numel(), t.dim(), t.dim() > 0 ? t.shape[0] : 0, -1, -1];
}

function describe(row: number[]): string {
  const [, dtype, numel] = row;
  return `a ${dtypeFromCode(dtype)} tensor of ${numel} element${numel === 1 ? '' : 's'}`;
}

// A pair's fingerprint travels on a tag of its own: the user's tag with bit
// 30 of Gloo's 32-bit tag set (user tags at or above 2^30 are refused).
function fingerprintTag(tag: number): number {
  return tag | 0x40000000;
}

/** The largest tag a send or recv may use in a checked group. */
export const MAX_USER_TAG = 0x3fffffff;

/** Sends a send's fingerprint to its receiver, ahead of the data. */
export async function sendFingerprint(group: object, where: string, own: number[], dst: number, tag: number): Promise<void> {
  await native.distSend(group, makeTensor(own, { dtype: int64 }), dst, fingerprintTag(tag), where);
}

/** The sender's group rank, once its fingerprint agrees with this rank's (own); globalRanks names ranks in messages. */
export async function recvFingerprint(group: object, globalRanks: readonly number[], where: string, own: number[], src: number, tag: number): Promise<number> {
  const theirs = zeros(FIELDS, { dtype: int64 });
  const from = await native.distRecv(group, theirs, src, fingerprintTag(tag), where);
  const row = theirs.tolist() as number[];
  if (JSON.stringify(row) === JSON.stringify(own)) return from;
  await native.distRecv(group, zeros(row[2], { dtype: dtypeFromCode(row[1]) }), from, tag, where);
  throw new Error(
    `torch.distributed.${where}: rank ${globalRanks[from]} sends ${describe(row)}, but this rank's tensor is ${describe(own)}; ` +
      `the tensor of a recv must have the sender's dtype and size (checked before Gloo sees them: Gloo itself would abort the process)`,
  );
}
