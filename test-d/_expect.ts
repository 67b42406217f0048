// Type-level assertions for the test-d/ files, which tsc compiles (strict,
// no emit) in `npm run typecheck` and test/typecheck.test.ts; nothing here runs.

/** True when A and B are the same type; `any` equals only `any`. */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/**
 * `expectType<Tensor>()(model(x))` compiles only if model(x) is exactly a
 * Tensor: a wider type, a narrower one or `any` asks for a second argument.
 */
export function expectType<Expected>() {
  return <Actual>(_actual: Actual, ..._mismatch: Equal<Actual, Expected> extends true ? [] : [Expected: Expected, Actual: Actual]): void => {};
}
