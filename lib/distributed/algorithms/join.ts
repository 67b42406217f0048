// torch.distributed.algorithms.join: training on uneven inputs. Ranks that
// run out of inputs before the others "join": until every rank has, each
// iteration the joined ones shadow the collectives the others still make
// (their joinables' join hooks), so that nothing waits forever; at the end
// the hooks' post_hook runs once (DDP: every rank takes the weights of the
// last rank to join).
//
// Python's `with Join([ddp]): ...` is `await new Join([ddp]).run(async () => ...)`
// here (or `ddp.join(...)`): run calls the body, and only if it succeeds, the
// loop of Python's __exit__, which blocks as the collectives it makes do.
import { describeValue } from '../../_describe';
import type { ProcessGroup } from '../distributed_c10d';
import { get_rank } from '../distributed_c10d';
import { native } from '../../native';

/** What a joinable does while it has joined: Python's JoinHook. */
export interface JoinHook {
  /** Shadows, once per iteration that another rank still trains, the collectives of one of its iterations. */
  main_hook(): void;
  /** Once every rank has joined; is_last_joiner: whether this rank was among the last to join. */
  post_hook(is_last_joiner: boolean): void;
}

/** Python's _JoinConfig: how a joinable takes part in the Join it is in. */
export interface JoinConfig {
  enable: boolean;
  throw_on_early_termination: boolean;
  is_first_joinable: boolean;
}

export const DISABLED_JOIN_CONFIG: JoinConfig = Object.freeze({ enable: false, throw_on_early_termination: false, is_first_joinable: false });

/** What a Join takes part with: Python's Joinable (DistributedDataParallel is one). */
export interface Joinable {
  _join_config: JoinConfig;
  join_hook(kwargs: Record<string, unknown>): JoinHook;
  readonly join_process_group: ProcessGroup;
  /** Whether the group's worker has collectives queued (which must reach Gloo before Join's own). */
  readonly _joinWorkerBusy: boolean;
}

/** The options of Python's Join(joinables, enable=True, throw_on_early_termination=False, **kwargs). */
export interface JoinOptions {
  /** false: the context does nothing (for when inputs are known to be even). Default true. */
  enable?: boolean;
  /** Fail every rank as soon as one runs out of inputs, instead of shadowing it. Default false. */
  throw_on_early_termination?: boolean;
  /** Passed to each joinable's join_hook (DDP: divide_by_initial_world_size). */
  [kwarg: string]: unknown;
}

// Python warns once a rank has shadowed this many iterations.
const WARN_THRESHOLD = 1000;

/**
 * The join context manager for uneven inputs over one process group.
 * Each rank's body trains on its own inputs; a rank that finishes first
 * keeps answering the others' collectives until the last one finishes.
 */
export class Join {
  private readonly joinables: Joinable[];
  private readonly joinHooks: JoinHook[];
  private readonly enable: boolean;
  private readonly throwOnEarlyTermination: boolean;
  private readonly processGroup: ProcessGroup;
  private readonly rank: number;

  constructor(joinables: Joinable[], options: JoinOptions = {}) {
    if (!Array.isArray(joinables)) throw new TypeError(`Join(): joinables must be a list of joinables, not ${describeValue(joinables)}`);
    if (joinables.length === 0) throw new RangeError('The join context manager requires at least one joinable');
    const { enable = true, throw_on_early_termination = false, ...kwargs } = options ?? {};
    if (typeof enable !== 'boolean') throw new TypeError(`Join(): enable must be a boolean, not ${describeValue(enable)}`);
    if (typeof throw_on_early_termination !== 'boolean') {
      throw new TypeError(`Join(): throw_on_early_termination must be a boolean, not ${describeValue(throw_on_early_termination)}`);
    }
    for (const j of joinables) {
      // (An nn.Module, DDP included, is a callable object: a function.)
      if (j === null || (typeof j !== 'object' && typeof j !== 'function') || typeof (j as Joinable).join_hook !== 'function') {
        throw new TypeError(`Join(): ${describeValue(j)} is not a Joinable (a DistributedDataParallel module, say)`);
      }
    }
    this.joinables = joinables;
    this.joinHooks = joinables.map((j) => j.join_hook(kwargs));
    this.enable = enable;
    this.throwOnEarlyTermination = throw_on_early_termination;
    joinables.forEach((j, i) => {
      j._join_config = { enable, throw_on_early_termination, is_first_joinable: i === 0 };
    });
    const group = joinables[0].join_process_group;
    if (joinables.some((j) => j.join_process_group !== group)) throw new RangeError('Using join context manager with multiple process groups');
    this.processGroup = group;
    this.rank = get_rank(group);
  }

  /**
   * Runs body, then (where it succeeded, and the context is enabled) joins:
   * while any rank still trains, runs the join hooks' main_hook; then each
   * post_hook. A promise from body is awaited first.
   */
  run<T>(body: () => T): T;
  run<T>(body: () => Promise<T>): Promise<T>;
  run<T>(body: () => T | Promise<T>): T | Promise<T> {
    if (typeof body !== 'function') throw new TypeError(`Join.run(): body must be a function, not ${describeValue(body)}`);
    const result = body();
    if (result instanceof Promise) return result.then((value) => (this.__exit__(), value));
    this.__exit__();
    return result;
  }

  /** Python's __exit__ after a body that did not raise: the joined rank's loop. */
  __exit__(): void {
    if (!this.enable) return;
    let isLastJoiner = true;
    let warned = false;
    for (let i = 0; ; i++) {
      if (i > WARN_THRESHOLD && !warned) {
        warned = true;
        process.emitWarning(
          `Detected uneven input skew of greater than ${WARN_THRESHOLD}. This means that rank ${this.rank} has at least ${WARN_THRESHOLD} fewer inputs ` +
            'than other currently-active ranks. This level of skew could lead to performance degradation during training.',
          'UserWarning',
        );
      }
      if (this.count(0) === 0) break;
      if (this.throwOnEarlyTermination) {
        this.count(1);
        throw new Error(`Rank ${this.rank} exhausted all inputs.`);
      }
      for (const hook of this.joinHooks) hook.main_hook();
      isLastJoiner = false;
    }
    for (const hook of this.joinHooks) hook.post_hook(isLastJoiner);
  }

  /** The sum over the ranks of value: 0 from this joined rank, 1 from each rank still training. */
  private count(value: number): number {
    return native.ddpJoinCount(this.processGroup._handle, value, this.joinables[0]._joinWorkerBusy);
  }
}
