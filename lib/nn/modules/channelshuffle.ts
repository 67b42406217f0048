// nn.ChannelShuffle, after torch/nn/modules/channelshuffle.py.
import { aten } from '../../aten';
import type { Tensor } from '../../tensor';
import { moduleError } from './_module_error';
import { Module } from './module';
import { def_, type PyArgs } from './utils';

const channelShuffleOp = aten('channel_shuffle', '');
const channelShuffleArgs = def_<{ groups: number }>('ChannelShuffle(int groups)');

/**
 * Splits the channels into g groups and interleaves them (ShuffleNet):
 * input (*, C, H, W) seen as (*, g, C/g, H, W) is transposed to
 * (*, C/g, g, H, W) and flattened back; C must be divisible by g.
 */
export class ChannelShuffle extends Module {
  groups: number;

  /** Python's ChannelShuffle(groups). */
  constructor(...args: PyArgs<[groups: number], [], { groups: number }>);
  constructor(...args: unknown[]) {
    const { groups } = channelShuffleArgs(args);
    super();
    if (!(groups >= 1)) throw new RangeError(`ChannelShuffle: groups must be a positive integer, got ${groups}`);
    this.groups = groups;
  }

  override forward(input: Tensor): Tensor {
    try {
      return channelShuffleOp(input, this.groups);
    } catch (err) {
      throw moduleError(this, err);
    }
  }

  override extra_repr(): string {
    return `groups=${this.groups}`;
  }
}
