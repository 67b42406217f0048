// torchvision/datasets/vision.py: what every vision dataset prints, and the
// binder shared by their constructors.
import { PYTHON_DEF, PythonArgParser } from '../../_arg_parser';

/** torchvision's StandardTransform repr lines: each transform's repr under its heading, continuation lines aligned. */
function formatTransform(transform: unknown, head: string): string[] {
  const lines = String(transform).split('\n');
  return [`${head}${lines[0]}`, ...lines.slice(1).map((l) => `${' '.repeat(head.length)}${l}`)];
}

/** VisionDataset.__repr__: the name, the count, the root, the dataset's own lines, the transforms. */
export function visionRepr(name: string, length: number, root: string | null, extra: string[], transform: unknown, target_transform: unknown): string {
  const body = [`Number of datapoints: ${length}`];
  if (root !== null) body.push(`Root location: ${root}`);
  body.push(...extra);
  if (transform || target_transform) {
    const std = ['StandardTransform'];
    if (transform) std.push(...formatTransform(transform, 'Transform: '));
    if (target_transform) std.push(...formatTransform(target_transform, 'Target transform: '));
    body.push(std.join('\n'));
  }
  return [`Dataset ${name}`, ...body.map((l) => `    ${l}`)].join('\n');
}

export function checkCallable(cls: string, name: string, v: unknown): void {
  if (v !== null && typeof v !== 'function') throw new TypeError(`${cls}(): argument '${name}' must be callable or null, not ${typeof v}`);
}

// One binder per class and signature, so that a message names the class the user made.
const binders = new Map<string, PythonArgParser>();
export function datasetArgs(signature: string): PythonArgParser {
  let parser = binders.get(signature);
  if (!parser) binders.set(signature, (parser = new PythonArgParser([signature], PYTHON_DEF)));
  return parser;
}
