// How an error message names a value it was given. Its own module, with no
// imports, so that the argument binder can use it without importing Tensor
// (whose module builds binders at load time).

/** What a value is, for a message: `number 2.5`, `string 'x'`, `Tensor`, `null`. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return `${typeof v} ${String(v)}`;
  if (typeof v === 'string') return `string '${v.length > 40 ? `${v.slice(0, 40)}...` : v}'`;
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}
