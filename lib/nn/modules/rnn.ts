// The recurrent modules, after torch/nn/modules/rnn.py (1.13): RNNBase with
// RNN, LSTM and GRU over whole sequences, and RNNCellBase with RNNCell,
// LSTMCell and GRUCell for one step. Each forward checks what Python checks
// (with Python's words, after the module's repr) and then calls the ATen
// operator Python's _VF calls, with the flat weight list in Python's order.
import { describeValue } from '../../_describe';
import { splitKeywords } from '../../_arg_parser';
import { pyFloatRepr } from '../../_pyformat';
import { aten } from '../../aten';
import { empty, zeros } from '../../factories';
import { Tensor } from '../../tensor';
import { warn } from '../_functional/_utils';
import * as init from '../init';
import { Parameter } from '../parameter';
import { PackedSequence } from '../utils/rnn';
import { Module } from './module';
import { checkSize, def_, pyBool, type FactoryKwargs, type PyArgs } from './utils';
import { libtorchAtLeast } from '../../_libtorch_version';

const C = {
  rnn_tanh: aten('rnn_tanh', 'input'),
  rnn_tanh_packed: aten('rnn_tanh', 'data'),
  rnn_relu: aten('rnn_relu', 'input'),
  rnn_relu_packed: aten('rnn_relu', 'data'),
  lstm: aten('lstm', 'input'),
  lstm_packed: aten('lstm', 'data'),
  gru: aten('gru', 'input'),
  gru_packed: aten('gru', 'data'),
  rnn_tanh_cell: aten('rnn_tanh_cell', ''),
  rnn_relu_cell: aten('rnn_relu_cell', ''),
  lstm_cell: aten('lstm_cell', ''),
  gru_cell: aten('gru_cell', ''),
};

export type RNNMode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';

/** The gates each mode computes per hidden unit: the rows of its weights are gate_size = chunks * hidden_size. */
const GATES: Record<RNNMode, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };

/** The keywords of RNN, LSTM and GRU (Python's RNNBase.__init__). */
export interface RNNBaseKwargs extends FactoryKwargs {
  input_size: number;
  hidden_size: number;
  num_layers?: number;
  bias?: boolean;
  batch_first?: boolean;
  dropout?: number;
  bidirectional?: boolean;
  proj_size?: number;
}

export interface RNNKwargs extends Omit<RNNBaseKwargs, 'proj_size'> {
  nonlinearity?: 'tanh' | 'relu';
}

/** 2.x's RNN: nonlinearity is the fourth positional. */
type RNN2Opt = [
  num_layers: number, nonlinearity: 'tanh' | 'relu', bias: boolean, batch_first: boolean, dropout: number, bidirectional: boolean,
  proj_size: number, device: FactoryKwargs['device'], dtype: FactoryKwargs['dtype'],
];

type BaseOpt = [num_layers: number, bias: boolean, batch_first: boolean, dropout: number, bidirectional: boolean, proj_size: number, device: FactoryKwargs['device'], dtype: FactoryKwargs['dtype']];

const BASE_PARAMS =
  'int input_size, int hidden_size, int num_layers=1, bool bias=True, bool batch_first=False, Any dropout=0.0, ' +
  'bool bidirectional=False, int proj_size=0, Device? device=None, dtype? dtype=None';
type BaseBound = Required<RNNBaseKwargs>;
const rnnBaseArgs = def_<BaseBound & { mode: string }>(`RNNBase(str mode, ${BASE_PARAMS})`);
// RNN's nonlinearity: keyword-only in 1.13 (RNN passes *args on to RNNBase);
// 2.x's RNN takes it as the fourth positional (and passes the rest on).
const rnnArgs = def_<BaseBound & { nonlinearity: string }>(
  libtorchAtLeast(2)
    ? `RNN(int input_size, int hidden_size, int num_layers=1, Any nonlinearity="tanh", ${BASE_PARAMS.replace(/^.*?num_layers=1, /, '')})`
    : `RNN(${BASE_PARAMS}, *, str nonlinearity="tanh")`,
);
const lstmArgs = def_<BaseBound>(`LSTM(${BASE_PARAMS})`);
const gruArgs = def_<BaseBound>(`GRU(${BASE_PARAMS})`);

/** Python's repr of a tuple of ints: `(2, 3, 20)`. */
function tupleRepr(xs: readonly number[]): string {
  return xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`;
}

function listRepr(t: Tensor): string {
  return `[${[...t.shape].join(', ')}]`;
}

function sameShape(t: Tensor, shape: readonly number[]): boolean {
  const dims = t.shape;
  return dims.length === shape.length && shape.every((d, i) => dims[i] === d);
}

/** RNN and GRU forbid proj_size, as Python's do: given by keyword (even 0), or positionally as anything but 0. */
function refuseProjSize(name: string, args: readonly unknown[], bound: BaseBound): void {
  const [, keywords] = splitKeywords(args);
  if ((keywords !== undefined && Object.prototype.hasOwnProperty.call(keywords, 'proj_size')) || bound.proj_size !== 0) {
    throw new RangeError(`${name}(): proj_size argument is only supported for LSTM, not RNN or GRU`);
  }
}

/**
 * What RNN, LSTM and GRU share: the parameters of every layer and
 * direction, registered under Python's names in Python's order
 * (weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k},
 * weight_hr_l{k}, then the same with _reverse), and the checks and the
 * call of forward.
 */
export class RNNBase extends Module {
  mode: RNNMode;
  input_size: number;
  hidden_size: number;
  num_layers: number;
  bias: boolean;
  batch_first: boolean;
  dropout: number;
  bidirectional: boolean;
  proj_size: number;
  /** The parameters' names in the order ATen takes them (Python's _flat_weights_names). */
  _flat_weights_names: string[];
  /** The names per layer and direction (Python's _all_weights). */
  _all_weights: string[][];
  /** The parameters by Python's names: weight_ih_l0, bias_hh_l1_reverse, weight_hr_l0... */
  [param: `weight_${string}` | `bias_${string}`]: Parameter;

  /** Python's RNNBase(mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0., bidirectional=False, proj_size=0, device=None, dtype=None). */
  constructor(...args: PyArgs<[mode: RNNMode, input_size: number, hidden_size: number], BaseOpt, RNNBaseKwargs & { mode: RNNMode }>);
  constructor(...args: unknown[]) {
    const { mode, input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, proj_size, device, dtype } = rnnBaseArgs(args);
    super();
    if (!(mode in GATES)) throw new RangeError(`RNNBase(): Unrecognized RNN mode: ${mode}`);
    this.mode = mode as RNNMode;
    const name = this._get_name();
    this.input_size = checkSize(name, 'input_size', input_size);
    this.hidden_size = checkSize(name, 'hidden_size', hidden_size);
    // Python 1.13 fails later with an IndexError; 2.x says this.
    if (num_layers < 1) throw new RangeError(`${name}(): num_layers must be greater than or equal to 1, got ${num_layers}`);
    this.num_layers = num_layers;
    this.bias = bias;
    this.batch_first = batch_first;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 1)) {
      throw new RangeError(`${name}(): dropout should be a number in range [0, 1] representing the probability of an element being zeroed, got ${describeValue(dropout)}`);
    }
    this.dropout = dropout;
    this.bidirectional = bidirectional;
    this.proj_size = proj_size;
    if (dropout > 0 && num_layers === 1) {
      warn(
        'dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects ' +
          `num_layers greater than 1, but got dropout=${pyFloatRepr(dropout)} and num_layers=${num_layers}`,
      );
    }
    if (proj_size < 0) throw new RangeError(`${name}(): proj_size should be a positive integer or zero to disable projections`);
    if (proj_size >= hidden_size) throw new RangeError(`${name}(): proj_size has to be smaller than hidden_size`);

    const gate_size = GATES[this.mode] * hidden_size;
    const factory = { device, dtype };
    const directions = bidirectional ? 2 : 1;
    const real_hidden_size = proj_size > 0 ? proj_size : hidden_size;
    this._flat_weights_names = [];
    this._all_weights = [];
    for (let layer = 0; layer < num_layers; layer++) {
      for (let direction = 0; direction < directions; direction++) {
        const layer_input_size = layer === 0 ? input_size : real_hidden_size * directions;
        const suffix = `_l${layer}${direction === 1 ? '_reverse' : ''}`;
        const params: [string, number[]][] = [
          [`weight_ih${suffix}`, [gate_size, layer_input_size]],
          [`weight_hh${suffix}`, [gate_size, real_hidden_size]],
        ];
        if (bias) params.push([`bias_ih${suffix}`, [gate_size]], [`bias_hh${suffix}`, [gate_size]]);
        if (proj_size > 0) params.push([`weight_hr${suffix}`, [proj_size, hidden_size]]);
        for (const [param, shape] of params) (this as any)[param] = new Parameter(empty(shape, factory));
        this._flat_weights_names.push(...params.map(([param]) => param));
        this._all_weights.push(params.map(([param]) => param));
      }
    }
    this.reset_parameters();
  }

  /**
   * The weights in ATen's order, read from the fields each time, so that a
   * parameter assigned anew (`lstm.weight_ih_l0 = new Parameter(...)`) is the
   * one used, as Python's __setattr__ arranges.
   */
  get _flat_weights(): Tensor[] {
    return this._flat_weights_names.map((n) => (this as any)[n] as Tensor);
  }

  /** The parameters per layer and direction. */
  get all_weights(): Parameter[][] {
    return this._all_weights.map((names) => names.map((n) => (this as any)[n] as Parameter));
  }

  /**
   * On CUDA with cuDNN, Python copies the weights into one buffer for cuDNN.
   * Here, as on Python's CPU, it does nothing: ATen takes the weights as they
   * are (on CUDA it may warn that they are not one contiguous chunk).
   */
  flatten_parameters(): void {}

  /** Every parameter from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), drawn in registration order as Python's loop over parameters() draws them. */
  reset_parameters(): void {
    const stdv = this.hidden_size > 0 ? 1.0 / Math.sqrt(this.hidden_size) : 0;
    for (const weight of this.parameters()) init.uniform_(weight, -stdv, stdv);
  }

  override extra_repr(): string {
    let s = `${this.input_size}, ${this.hidden_size}`;
    if (this.proj_size !== 0) s += `, proj_size=${this.proj_size}`;
    if (this.num_layers !== 1) s += `, num_layers=${this.num_layers}`;
    if (this.bias !== true) s += `, bias=${pyBool(this.bias)}`;
    if (this.batch_first !== false) s += `, batch_first=${pyBool(this.batch_first)}`;
    if (this.dropout !== 0) s += `, dropout=${pyFloatRepr(this.dropout)}`;
    if (this.bidirectional !== false) s += `, bidirectional=${pyBool(this.bidirectional)}`;
    return s;
  }

  /** An error (a RangeError unless kind says otherwise) naming this module, as `LSTM(10, 20): <what>`. */
  protected _error(message: string, kind: new (m: string) => Error = RangeError): Error {
    return new kind(`${this.toString()}: ${message}`);
  }

  /**
   * Python's forward of RNN, LSTM and GRU (one body here, where Python keeps
   * three for TorchScript): the input, packed or not, batched or not; the
   * initial state, zeros when not given, in the sorted order of a packed
   * batch; the checks; the ATen call; and the results in the caller's order
   * and shape. Returns the output and the final states (h_n, or h_n and c_n).
   */
  protected _forward(input: unknown, hx: unknown): [Tensor | PackedSequence, Tensor[]] {
    const lstm = this.mode === 'LSTM';
    const directions = this.bidirectional ? 2 : 1;
    const batchDim = this.batch_first ? 0 : 1;
    let data: Tensor;
    let batch_sizes: Tensor | null = null;
    let sorted_indices: Tensor | null = null;
    let unsorted_indices: Tensor | null = null;
    let isBatched = true;
    let maxBatch: number;
    if (input instanceof PackedSequence) {
      ({ data, batch_sizes, sorted_indices, unsorted_indices } = input);
      maxBatch = batch_sizes.numel() > 0 ? Number(batch_sizes.select(0, 0).item()) : 0;
    } else if (input instanceof Tensor) {
      // Python unsqueezes any input that is not 3-D, and so reports a 4-D one
      // as "input must have 3 dimensions, got 5"; say what was given.
      if (input.ndim !== 2 && input.ndim !== 3) {
        throw this._error(`Expected input to be 2-D (unbatched) or 3-D (batched), got ${input.ndim}-D tensor of shape ${listRepr(input)}`);
      }
      isBatched = input.ndim === 3;
      data = isBatched ? input : input.unsqueeze(batchDim);
      maxBatch = data.shape[batchDim];
    } else {
      throw this._error(`input must be a Tensor or a PackedSequence, not ${describeValue(input)}`, TypeError);
    }

    let hidden: Tensor[];
    if (hx === null || hx === undefined) {
      const options = { dtype: data.dtype, device: data.device };
      const real_hidden_size = this.proj_size > 0 ? this.proj_size : this.hidden_size;
      hidden = [zeros([this.num_layers * directions, maxBatch, real_hidden_size], options)];
      if (lstm) hidden.push(zeros([this.num_layers * directions, maxBatch, this.hidden_size], options));
    } else {
      hidden = this._hiddenTensors(hx);
      if (batch_sizes === null) {
        const want = isBatched ? 3 : 2;
        if (hidden.some((h) => h.ndim !== want)) {
          const kind = isBatched ? 'batched 3-D' : 'unbatched 2-D';
          throw this._error(
            lstm
              ? `For ${kind} input, hx and cx should also be ${want}-D but got (${hidden[0].ndim}-D, ${hidden[1].ndim}-D) tensors`
              : `For ${kind} input, hx should also be ${want}-D but got ${hidden[0].ndim}-D tensor`,
          );
        }
        if (!isBatched) hidden = hidden.map((h) => h.unsqueeze(1));
      }
      // Each sequence's state goes where packing sorted the sequence.
      if (sorted_indices !== null) hidden = hidden.map((h) => h.index_select(1, sorted_indices!));
    }

    this._checkForwardArgs(data, hidden, batch_sizes, maxBatch);

    const w = this._flat_weights;
    const h0 = lstm ? hidden : hidden[0];
    const result: Tensor[] = calling(this, data, hidden, w[0], () => {
      if (batch_sizes === null) {
        const op = { RNN_TANH: C.rnn_tanh, RNN_RELU: C.rnn_relu, LSTM: C.lstm, GRU: C.gru }[this.mode];
        return op(data, h0, w, this.bias, this.num_layers, this.dropout, this.training, this.bidirectional, this.batch_first);
      }
      const op = { RNN_TANH: C.rnn_tanh_packed, RNN_RELU: C.rnn_relu_packed, LSTM: C.lstm_packed, GRU: C.gru_packed }[this.mode];
      return op(data, batch_sizes, h0, w, this.bias, this.num_layers, this.dropout, this.training, this.bidirectional);
    });
    const [output, ...states] = result;
    if (input instanceof PackedSequence) {
      const unsorted = unsorted_indices;
      return [
        new PackedSequence(output, batch_sizes!, sorted_indices, unsorted_indices),
        unsorted === null ? states : states.map((h) => h.index_select(1, unsorted)),
      ];
    }
    if (!isBatched) return [output.squeeze(batchDim), states.map((h) => h.squeeze(1))];
    return [output, states];
  }

  /** hx as the list of state tensors: [h_0] for RNN and GRU, [h_0, c_0] for LSTM. */
  private _hiddenTensors(hx: unknown): Tensor[] {
    if (this.mode === 'LSTM') {
      if (Array.isArray(hx) && hx.length === 2 && hx[0] instanceof Tensor && hx[1] instanceof Tensor) return [hx[0], hx[1]];
      throw this._error(`hx must be the pair [h_0, c_0] of Tensors, not ${describeValue(hx)}`, TypeError);
    }
    if (hx instanceof Tensor) return [hx];
    throw this._error(`hx must be a Tensor, not ${describeValue(hx)}`, TypeError);
  }

  /** Python's check_forward_args (check_input, then the expected hidden sizes), and the dtype checks ATen would fail on with worse words. */
  private _checkForwardArgs(data: Tensor, hidden: Tensor[], batch_sizes: Tensor | null, maxBatch: number): void {
    const expectedDim = batch_sizes !== null ? 2 : 3;
    if (data.ndim !== expectedDim) throw this._error(`input must have ${expectedDim} dimensions, got ${data.ndim}`);
    const dims = data.shape;
    const features = dims[dims.length - 1];
    if (this.input_size !== features) {
      throw this._error(`input.size(-1) must be equal to input_size. Expected ${this.input_size}, got ${features}`);
    }
    // ATen's check, made here so that the message names the module.
    if (batch_sizes === null && dims[this.batch_first ? 1 : 0] === 0) throw this._error('Expected sequence length to be larger than 0 in RNN');
    const layers = this.num_layers * (this.bidirectional ? 2 : 1);
    const expectedHidden = [layers, maxBatch, this.proj_size > 0 ? this.proj_size : this.hidden_size];
    if (this.mode === 'LSTM') {
      const expectedCell = [layers, maxBatch, this.hidden_size];
      if (!sameShape(hidden[0], expectedHidden)) throw this._error(`Expected hidden[0] size ${tupleRepr(expectedHidden)}, got ${listRepr(hidden[0])}`);
      if (!sameShape(hidden[1], expectedCell)) throw this._error(`Expected hidden[1] size ${tupleRepr(expectedCell)}, got ${listRepr(hidden[1])}`);
    } else if (!sameShape(hidden[0], expectedHidden)) {
      throw this._error(`Expected hidden size ${tupleRepr(expectedHidden)}, got ${listRepr(hidden[0])}`);
    }
    checkDtypes(this, data, hidden, this._flat_weights[0]);
  }
}

/** The input must have the parameters' dtype, and so must the states (ATen would say "mat1 and mat2 must have the same dtype"). */
function checkDtypes(module: RNNBase | RNNCellBase, input: Tensor, hidden: readonly Tensor[], weight: Tensor): void {
  const fail = (message: string) => new TypeError(`${module.toString()}: ${message}`);
  if (input.dtype !== weight.dtype) {
    throw fail(`input has dtype ${String(input.dtype)} but the module's parameters have dtype ${String(weight.dtype)}; convert the input (input.to(${String(weight.dtype)})) or the module (module.to(${String(input.dtype)}))`);
  }
  hidden.forEach((h, i) => {
    if (h.dtype !== input.dtype) throw fail(`${hidden.length > 1 ? `hx[${i}]` : 'hx'} has dtype ${String(h.dtype)} but input has dtype ${String(input.dtype)}`);
  });
}

/**
 * Runs the module's ATen call. The devices are checked only when it fails
 * (a device read costs a native call on every step); the error then names
 * the module, and says which tensor is on which device.
 */
function calling<T>(module: RNNBase | RNNCellBase, input: Tensor, hidden: readonly Tensor[], weight: Tensor, call: () => T): T {
  try {
    return call();
  } catch (err) {
    const on = (t: Tensor) => String(t.device);
    const name = module.toString();
    if (on(input) !== on(weight)) throw new TypeError(`${name}: input is on ${on(input)} but the module's parameters are on ${on(weight)}`);
    hidden.forEach((h, i) => {
      if (on(h) !== on(input)) throw new TypeError(`${name}: ${hidden.length > 1 ? `hx[${i}]` : 'hx'} is on ${on(h)} but input is on ${on(input)}`);
    });
    if (err instanceof Error) err.message = `${name}: ${err.message}`;
    throw err;
  }
}

/**
 * A multi-layer Elman RNN: for each layer and time step
 *   h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)
 * (relu instead of tanh with nonlinearity='relu'); layer l > 0 takes layer
 * l-1's h_t as its x_t, through dropout when training.
 *
 * Input: (L, N, H_in), (N, L, H_in) when batch_first, (L, H_in) unbatched,
 * or a PackedSequence; h_0: (D*num_layers, N, H_out), (D*num_layers, H_out)
 * unbatched, zeros when not given; D = 2 if bidirectional else 1.
 * Returns [output, h_n]: output (L, N, D*H_out) (batch_first: (N, L, ...);
 * packed when the input is), h_n like h_0.
 * weight_ih_l{k}: (hidden_size, input_size) for k = 0, else
 * (hidden_size, D*hidden_size); weight_hh_l{k}: (hidden_size, hidden_size);
 * biases (hidden_size); all from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class RNN extends RNNBase {
  nonlinearity: 'tanh' | 'relu';

  /**
   * Python's RNN(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.,
   * bidirectional=False, device=None, dtype=None, *, nonlinearity='tanh'); 2.x's
   * RNN(input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True, ...).
   */
  constructor(...args: PyArgs<[input_size: number, hidden_size: number], BaseOpt, RNNKwargs>);
  /** 2.x's positional form: nonlinearity fourth. */
  constructor(...args: PyArgs<[input_size: number, hidden_size: number], RNN2Opt, RNNKwargs>);
  constructor(...args: unknown[]) {
    const bound = rnnArgs(args);
    refuseProjSize('RNN', args, bound);
    const { nonlinearity } = bound;
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') {
      // Python's f-string: str() of whatever was given (2.x takes it positionally, so anything).
      const given = typeof nonlinearity === 'boolean' ? (nonlinearity ? 'True' : 'False') : nonlinearity === null ? 'None' : String(nonlinearity);
      throw new RangeError(`RNN(): Unknown nonlinearity '${given}'${libtorchAtLeast(2) ? ". Select from 'tanh' or 'relu'." : ''}`);
    }
    const { input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, device, dtype } = bound;
    super(nonlinearity === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, 0, device, dtype);
    this.nonlinearity = nonlinearity;
  }

  override forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  override forward(input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  override forward(input: Tensor | PackedSequence, hx: Tensor | null = null): [Tensor | PackedSequence, Tensor] {
    const [output, [h_n]] = this._forward(input, hx);
    return [output, h_n];
  }
}

// `rnn(x)` typed as forward's overloads (Module's call type sees only the last).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface RNN {
  (input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  (input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
}

/**
 * A multi-layer long short-term memory RNN: for each layer and time step
 *   i_t = σ(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)
 *   f_t = σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf)
 *   g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)
 *   o_t = σ(W_io x_t + b_io + W_ho h_{t-1} + b_ho)
 *   c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
 *   h_t = o_t ⊙ tanh(c_t)            (then h_t = W_hr h_t when proj_size > 0)
 * Layer l > 0 takes layer l-1's h_t as its x_t, through dropout when training.
 *
 * Input: (L, N, H_in), (N, L, H_in) when batch_first, (L, H_in) unbatched,
 * or a PackedSequence; hx: the pair [h_0, c_0], h_0 (D*num_layers, N, H_out)
 * and c_0 (D*num_layers, N, hidden_size) (without N unbatched), zeros when
 * not given; H_out = proj_size if > 0 else hidden_size; D = 2 if
 * bidirectional else 1. Returns [output, [h_n, c_n]], as Python's
 * `output, (h_n, c_n) = lstm(x)`: output (L, N, D*H_out).
 * weight_ih_l{k}: (4*hidden_size, input_size) for k = 0, else
 * (4*hidden_size, D*H_out); weight_hh_l{k}: (4*hidden_size, H_out); biases
 * (4*hidden_size); weight_hr_l{k}: (proj_size, hidden_size); all from
 * U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class LSTM extends RNNBase {
  /** Python's LSTM(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0., bidirectional=False, proj_size=0, device=None, dtype=None). */
  constructor(...args: PyArgs<[input_size: number, hidden_size: number], BaseOpt, RNNBaseKwargs>);
  constructor(...args: unknown[]) {
    const { input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, proj_size, device, dtype } = lstmArgs(args);
    super('LSTM', input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, proj_size, device, dtype);
  }

  override forward(input: Tensor, hx?: readonly [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]];
  override forward(input: PackedSequence, hx?: readonly [Tensor, Tensor] | null): [PackedSequence, [Tensor, Tensor]];
  override forward(input: Tensor | PackedSequence, hx: readonly [Tensor, Tensor] | null = null): [Tensor | PackedSequence, [Tensor, Tensor]] {
    const [output, [h_n, c_n]] = this._forward(input, hx);
    return [output, [h_n, c_n]];
  }
}

// `lstm(x)` typed as forward's overloads (Module's call type sees only the last).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface LSTM {
  (input: Tensor, hx?: readonly [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]];
  (input: PackedSequence, hx?: readonly [Tensor, Tensor] | null): [PackedSequence, [Tensor, Tensor]];
}

/**
 * A multi-layer gated recurrent unit RNN: for each layer and time step
 *   r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)
 *   z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)
 *   n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn))
 *   h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1}
 * Layer l > 0 takes layer l-1's h_t as its x_t, through dropout when training.
 *
 * Shapes as RNN's; weight_ih_l{k}: (3*hidden_size, input_size) for k = 0,
 * else (3*hidden_size, D*hidden_size); weight_hh_l{k}: (3*hidden_size,
 * hidden_size); biases (3*hidden_size); all from
 * U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)). Returns [output, h_n].
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class GRU extends RNNBase {
  /** Python's GRU(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0., bidirectional=False, device=None, dtype=None). */
  constructor(...args: PyArgs<[input_size: number, hidden_size: number], BaseOpt, Omit<RNNBaseKwargs, 'proj_size'>>);
  constructor(...args: unknown[]) {
    const bound = gruArgs(args);
    refuseProjSize('GRU', args, bound);
    const { input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, device, dtype } = bound;
    super('GRU', input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, 0, device, dtype);
  }

  override forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  override forward(input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  override forward(input: Tensor | PackedSequence, hx: Tensor | null = null): [Tensor | PackedSequence, Tensor] {
    const [output, [h_n]] = this._forward(input, hx);
    return [output, h_n];
  }
}

// `gru(x)` typed as forward's overloads (Module's call type sees only the last).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface GRU {
  (input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  (input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
}

// ---------------------------------------------------------------- cells

export interface RNNCellBaseKwargs extends FactoryKwargs {
  input_size: number;
  hidden_size: number;
  bias?: boolean;
}

const CELL_PARAMS = 'int input_size, int hidden_size, bool bias=True';
const rnnCellBaseArgs = def_<Required<RNNCellBaseKwargs> & { num_chunks: number }>(
  'RNNCellBase(int input_size, int hidden_size, bool bias, int num_chunks, Device? device=None, dtype? dtype=None)',
);
const rnnCellArgs = def_<Required<RNNCellBaseKwargs> & { nonlinearity: string }>(
  `RNNCell(${CELL_PARAMS}, str nonlinearity="tanh", Device? device=None, dtype? dtype=None)`,
);
const lstmCellArgs = def_<Required<RNNCellBaseKwargs>>(`LSTMCell(${CELL_PARAMS}, Device? device=None, dtype? dtype=None)`);
const gruCellArgs = def_<Required<RNNCellBaseKwargs>>(`GRUCell(${CELL_PARAMS}, Device? device=None, dtype? dtype=None)`);

/**
 * What the cells share: weight_ih (num_chunks*hidden_size, input_size),
 * weight_hh (num_chunks*hidden_size, hidden_size) and, with bias, bias_ih
 * and bias_hh (num_chunks*hidden_size), all from
 * U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), and the checks of one step.
 */
export class RNNCellBase extends Module {
  input_size: number;
  hidden_size: number;
  bias: boolean;
  weight_ih: Parameter;
  weight_hh: Parameter;
  bias_ih: Parameter | null;
  bias_hh: Parameter | null;

  /** Python's RNNCellBase(input_size, hidden_size, bias, num_chunks, device=None, dtype=None). */
  constructor(...args: PyArgs<[input_size: number, hidden_size: number, bias: boolean, num_chunks: number], [device: FactoryKwargs['device'], dtype: FactoryKwargs['dtype']], RNNCellBaseKwargs & { num_chunks: number }>);
  constructor(...args: unknown[]) {
    const { input_size, hidden_size, bias, num_chunks, device, dtype } = rnnCellBaseArgs(args);
    super();
    const name = this._get_name();
    this.input_size = checkSize(name, 'input_size', input_size);
    this.hidden_size = checkSize(name, 'hidden_size', hidden_size);
    this.bias = bias;
    const factory = { device, dtype };
    this.weight_ih = new Parameter(empty([num_chunks * hidden_size, input_size], factory));
    this.weight_hh = new Parameter(empty([num_chunks * hidden_size, hidden_size], factory));
    this.bias_ih = bias ? new Parameter(empty([num_chunks * hidden_size], factory)) : null;
    this.bias_hh = bias ? new Parameter(empty([num_chunks * hidden_size], factory)) : null;
    this.reset_parameters();
  }

  override extra_repr(): string {
    let s = `${this.input_size}, ${this.hidden_size}`;
    if (this.bias !== true) s += `, bias=${pyBool(this.bias)}`;
    const nonlinearity = (this as { nonlinearity?: string }).nonlinearity;
    if (nonlinearity !== undefined && nonlinearity !== 'tanh') s += `, nonlinearity=${nonlinearity}`;
    return s;
  }

  /** Every parameter from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), in registration order. */
  reset_parameters(): void {
    const stdv = this.hidden_size > 0 ? 1.0 / Math.sqrt(this.hidden_size) : 0;
    for (const weight of this.parameters()) init.uniform_(weight, -stdv, stdv);
  }

  /**
   * One step's input and states made batched, zeros for states not given,
   * with the checks Python and ATen make (ATen's words, naming the module).
   * Returns the batched input, the batched states, and whether the input was.
   */
  protected _prepare(input: unknown, hx: unknown, states: 1 | 2): [Tensor, Tensor[], boolean] {
    const fail = (message: string, kind: new (m: string) => Error = RangeError) => new kind(`${this.toString()}: ${message}`);
    if (!(input instanceof Tensor)) throw fail(`input must be a Tensor, not ${describeValue(input)}`, TypeError);
    if (input.ndim !== 1 && input.ndim !== 2) {
      // (Python 2.x's words)
      if (libtorchAtLeast(2)) throw new RangeError(`${this._get_name()}: Expected input to be 1D or 2D, got ${input.ndim}D instead`);
      throw new RangeError(`${this._get_name()}: Expected input to be 1-D or 2-D but received ${input.ndim}-D tensor`);
    }
    const isBatched = input.ndim === 2;
    const x = isBatched ? input : input.unsqueeze(0);
    let hidden: Tensor[];
    if (hx === null || hx === undefined) {
      const h = zeros([x.shape[0], this.hidden_size], { dtype: x.dtype, device: x.device });
      hidden = states === 2 ? [h, h] : [h];
    } else {
      if (states === 2) {
        if (!(Array.isArray(hx) && hx.length === 2 && hx[0] instanceof Tensor && hx[1] instanceof Tensor)) {
          throw fail(`hx must be the pair [h_0, c_0] of Tensors, not ${describeValue(hx)}`, TypeError);
        }
        hidden = [hx[0], hx[1]];
      } else {
        if (!(hx instanceof Tensor)) throw fail(`hx must be a Tensor, not ${describeValue(hx)}`, TypeError);
        hidden = [hx];
      }
      hidden.forEach((h, i) => {
        if (h.ndim !== input.ndim) {
          const label = states === 2 ? `hx[${i}]` : 'hx';
          throw fail(`Expected ${label} to be ${input.ndim}-D for a ${input.ndim}-D (${isBatched ? 'batched' : 'unbatched'}) input, got a ${h.ndim}-D tensor of shape ${listRepr(h)}`);
        }
      });
      if (!isBatched) hidden = hidden.map((h) => h.unsqueeze(0));
    }
    const [batch, features] = x.shape;
    if (features !== this.input_size) throw fail(`input has inconsistent input_size: got ${features} expected ${this.input_size}`);
    hidden.forEach((h, i) => {
      const [hBatch, hSize] = h.shape;
      if (hBatch !== batch) throw fail(`Input batch size ${batch} doesn't match hidden${i} batch size ${hBatch}`);
      if (hSize !== this.hidden_size) throw fail(`hidden${i} has inconsistent hidden_size: got ${hSize}, expected ${this.hidden_size}`);
    });
    checkDtypes(this, x, hidden, this.weight_ih);
    return [x, hidden, isBatched];
  }
}

/**
 * One step of an Elman RNN: h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh),
 * relu instead of tanh with nonlinearity='relu'.
 * Input: (N, H_in) or (H_in); hx: (N, H_out) or (H_out), zeros when not
 * given; returns h' of hx's shape.
 */
export class RNNCell extends RNNCellBase {
  nonlinearity: 'tanh' | 'relu';

  /** Python's RNNCell(input_size, hidden_size, bias=True, nonlinearity='tanh', device=None, dtype=None). */
  constructor(
    ...args: PyArgs<[input_size: number, hidden_size: number], [bias: boolean, nonlinearity: 'tanh' | 'relu', device: FactoryKwargs['device'], dtype: FactoryKwargs['dtype']], RNNCellBaseKwargs & { nonlinearity?: 'tanh' | 'relu' }>
  );
  constructor(...args: unknown[]) {
    const { input_size, hidden_size, bias, nonlinearity, device, dtype } = rnnCellArgs(args);
    // Python takes any string here and fails at the first forward; fail where the mistake is.
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') throw new RangeError(`RNNCell(): Unknown nonlinearity: ${nonlinearity} (expected 'tanh' or 'relu')`);
    super(input_size, hidden_size, bias, 1, device, dtype);
    this.nonlinearity = nonlinearity;
  }

  override forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const [x, [h], isBatched] = this._prepare(input, hx, 1);
    const op = this.nonlinearity === 'tanh' ? C.rnn_tanh_cell : C.rnn_relu_cell;
    const ret: Tensor = calling(this, x, [h], this.weight_ih, () => op(x, h, this.weight_ih, this.weight_hh, this.bias_ih, this.bias_hh));
    return isBatched ? ret : ret.squeeze(0);
  }
}

/**
 * One step of an LSTM:
 *   i = σ(W_ii x + b_ii + W_hi h + b_hi),  f = σ(W_if x + b_if + W_hf h + b_hf)
 *   g = tanh(W_ig x + b_ig + W_hg h + b_hg),  o = σ(W_io x + b_io + W_ho h + b_ho)
 *   c' = f ⊙ c + i ⊙ g,  h' = o ⊙ tanh(c')
 * Input: (N, H_in) or (H_in); hx: the pair [h, c], each (N, hidden_size) or
 * (hidden_size), zeros when not given; returns [h', c'].
 */
export class LSTMCell extends RNNCellBase {
  /** Python's LSTMCell(input_size, hidden_size, bias=True, device=None, dtype=None). */
  constructor(...args: PyArgs<[input_size: number, hidden_size: number], [bias: boolean, device: FactoryKwargs['device'], dtype: FactoryKwargs['dtype']], RNNCellBaseKwargs>);
  constructor(...args: unknown[]) {
    const { input_size, hidden_size, bias, device, dtype } = lstmCellArgs(args);
    super(input_size, hidden_size, bias, 4, device, dtype);
  }

  override forward(input: Tensor, hx: readonly [Tensor, Tensor] | null = null): [Tensor, Tensor] {
    const [x, hidden, isBatched] = this._prepare(input, hx, 2);
    const [h, c]: Tensor[] = calling(this, x, hidden, this.weight_ih, () => C.lstm_cell(x, hidden, this.weight_ih, this.weight_hh, this.bias_ih, this.bias_hh));
    return isBatched ? [h, c] : [h.squeeze(0), c.squeeze(0)];
  }
}

/**
 * One step of a GRU:
 *   r = σ(W_ir x + b_ir + W_hr h + b_hr),  z = σ(W_iz x + b_iz + W_hz h + b_hz)
 *   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),  h' = (1 - z) ⊙ n + z ⊙ h
 * Input: (N, H_in) or (H_in); hx: (N, H_out) or (H_out), zeros when not
 * given; returns h' of hx's shape.
 */
export class GRUCell extends RNNCellBase {
  /** Python's GRUCell(input_size, hidden_size, bias=True, device=None, dtype=None). */
  constructor(...args: PyArgs<[input_size: number, hidden_size: number], [bias: boolean, device: FactoryKwargs['device'], dtype: FactoryKwargs['dtype']], RNNCellBaseKwargs>);
  constructor(...args: unknown[]) {
    const { input_size, hidden_size, bias, device, dtype } = gruCellArgs(args);
    super(input_size, hidden_size, bias, 3, device, dtype);
  }

  override forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const [x, [h], isBatched] = this._prepare(input, hx, 1);
    const ret: Tensor = calling(this, x, [h], this.weight_ih, () => C.gru_cell(x, h, this.weight_ih, this.weight_hh, this.bias_ih, this.bias_hh));
    return isBatched ? ret : ret.squeeze(0);
  }
}
