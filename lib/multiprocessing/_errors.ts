// An error thrown on a worker thread (a DataLoader worker, a remote()'s
// worker) crosses to the main thread as plain data, and is raised there
// again as Python re-raises a worker's exception: the same built-in class
// where it is one, its name and message in the new message, and the
// worker's stack kept under "Original".

/** What crosses: the error's class name, its message and its stack as the worker saw it. */
export interface DescribedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string;
}

const BUILT_IN: Record<string, ErrorConstructor> = { TypeError, RangeError, SyntaxError, ReferenceError };

/** The class an error named `name` is raised again as: that built-in one, or Error. */
export function errorClass(name: string): ErrorConstructor {
  return BUILT_IN[name] ?? Error;
}

/** Any thrown value as data a MessagePort carries (structured clone drops an Error's class). */
export function describeError(err: unknown): DescribedError {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack ?? `${err.name}: ${err.message}` };
  return { name: 'Error', message: String(err), stack: String(err) };
}

/**
 * The error to raise here for one described there: the same built-in class,
 * with `message`; its stack shows this thread's frames, then the worker's.
 */
export function reraise(described: DescribedError, message: string): Error {
  const err = new (errorClass(described.name))(message);
  err.stack = `${err.name}: ${err.message}\nOriginal ${described.stack}`;
  return err;
}
