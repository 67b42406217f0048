// torch.distributed.algorithms.ddp_comm_hooks.default_hooks: Python's
// default DDP communication hooks, for DistributedDataParallel.
// register_comm_hook(state, hook). DDP's Reducer runs a hook on backward's
// threads, where no JavaScript can run, so these are markers of the C++
// twins in native/ddp.cc (Python's op order exactly: a torchts rank and a
// Python rank that register the same hook agree to the bit), not functions
// to call.

/** What makes a function one of the hooks torchts runs natively (its code for native/ddp.cc). */
export const NATIVE_HOOK: unique symbol = Symbol('torchts.ddp_comm_hook');

/** A DDP communication hook: fn(state, bucket) in Python; here a marker register_comm_hook recognizes. */
export type CommHook = ((state: unknown, bucket: unknown) => never) & { readonly [NATIVE_HOOK]?: number };

function nativeHook(name: string, code: number): CommHook {
  const hook = {
    [name]: (): never => {
      throw new TypeError(
        `default_hooks.${name}(state, bucket) is run by DDP's Reducer during backward, on a GradBucket it makes; ` +
          `register it with ddp.register_comm_hook(state, default_hooks.${name}) instead of calling it`,
      );
    },
  }[name] as CommHook;
  Object.defineProperty(hook, NATIVE_HOOK, { value: code });
  return hook;
}

/**
 * Averages each bucket: divides it by the group's size, then all-reduces it
 * (a sum). DDP's result is the same as with no hook.
 */
export const allreduce_hook = nativeHook('allreduce_hook', 0);

/**
 * Gradient compression: all-reduces the bucket cast to float16 (divided by
 * the group's size first, against overflow), and copies the sum back into
 * the bucket's dtype.
 */
export const fp16_compress_hook = nativeHook('fp16_compress_hook', 1);

/**
 * As fp16_compress_hook in bfloat16. Python allows it only with a CUDA
 * build of PyTorch (NCCL 2.10+); so does torchts.
 */
export const bf16_compress_hook = nativeHook('bf16_compress_hook', 2);
