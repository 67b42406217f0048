// Which torchvision torchts.vision follows: the release paired with the
// libtorch the addon runs (lib/_libtorch_version.ts), as a pip or Debian
// install pairs them (Debian 12: torch 1.13 with torchvision 0.14; Debian
// 13: 2.6 with 0.21). Where torchvision changed a behaviour between those
// releases (a default, a repr, an op's precision), the code asks
// torchvisionAtLeast(minor) here, beside a comment saying what changed.
// The release is the one that made the change where that is known
// (antialias=True: 0.17 and 16-bit PNGs: 0.21, as torchvision's source says;
// NEAREST_EXACT: 0.15; allow_empty: 0.18; torch.uint16 came with torch 2.3,
// beside 0.18); the other changes between 0.14 and 0.21 are taken from 0.15
// on, which matters only on the libtorch releases between (2.0 to 2.5).
import { LIBTORCH_VERSION } from '../_libtorch_version';

/** PyTorch's compatibility table: torch major.minor -> the torchvision minor released with it (0.x). */
const PAIRED: ReadonlyArray<readonly [torch: string, torchvision: number]> = [
  ['1.13', 14],
  ['2.0', 15],
  ['2.1', 16],
  ['2.2', 17],
  ['2.3', 18],
  ['2.4', 19],
  ['2.5', 20],
  ['2.6', 21],
  // Debian 14 (forky) pairs 2.14 with 0.27, older than PyTorch's own pairing:
  // the pair measured here.
  ['2.14', 27],
];

function pairedMinor(libtorch: string): number {
  const [major, minor] = libtorch.split('.').map(Number);
  const key = major * 1000 + minor;
  const known = PAIRED.map(([t, v]) => {
    const [tm, tn] = t.split('.').map(Number);
    return [tm * 1000 + tn, v] as const;
  });
  // A libtorch between two entries gets the older one's torchvision (2.11:
  // 0.21's), one newer than the table the newest, an older one (not
  // supported) the oldest.
  const notNewer = known.filter(([k]) => k <= key);
  return notNewer.length > 0 ? notNewer[notNewer.length - 1][1] : known[0][1];
}

const MINOR = pairedMinor(LIBTORCH_VERSION);

/** The torchvision (major.minor) whose behaviour torchts.vision follows: "0.14" on libtorch 1.13, "0.21" on 2.6. */
export const TORCHVISION_VERSION: string = `0.${MINOR}`;

/** Whether the torchvision followed is 0.minor or newer. */
export function torchvisionAtLeast(minor: number): boolean {
  return MINOR >= minor;
}
