// The notebook's models: a fixed MLP, an MLP of any depth from a list of
// widths, and the same as an nn.Sequential. Their Python twins are in
// scripts/golden/nn.py and scripts/golden/notebook.py.
import { nn, type Tensor } from 'torchts';

/** 784-32-32-32-10 with one ReLU module used after each hidden layer. */
export class SimpleFixedMLP extends nn.Module {
  flatten = new nn.Flatten();
  input_layer = new nn.Linear(28 * 28, 32, { bias: true });
  hidden_layer1 = new nn.Linear(32, 32, { bias: true });
  hidden_layer2 = new nn.Linear(32, 32, { bias: true });
  output_layer = new nn.Linear(32, 10, { bias: true });
  activation = new nn.ReLU();

  override forward(input: Tensor): Tensor {
    let out = this.flatten(input);
    out = this.activation(this.input_layer(out));
    out = this.activation(this.hidden_layer1(out));
    out = this.activation(this.hidden_layer2(out));
    return this.output_layer(out);
  }
}

/** Linear layers between consecutive widths of dims, with ReLU between them. */
export class SimpleMLP extends nn.Module {
  flatten = new nn.Flatten();
  layers: nn.Sequential;

  constructor(dims: number[]) {
    super();
    const layers: nn.Module[] = [];
    for (let i = 0; i < dims.length - 1; i++) {
      layers.push(new nn.Linear(dims[i], dims[i + 1]));
      if (i < dims.length - 2) layers.push(new nn.ReLU());
    }
    this.layers = new nn.Sequential(...layers);
  }

  override forward(input: Tensor): Tensor {
    return this.layers(this.flatten(input));
  }
}

/** SimpleMLP's layers as one nn.Sequential, flattening first. */
export function sequentialMLP(dims: number[]): nn.Sequential {
  const layers: nn.Module[] = [new nn.Flatten()];
  for (let i = 0; i < dims.length - 1; i++) {
    layers.push(new nn.Linear(dims[i], dims[i + 1]));
    if (i < dims.length - 2) layers.push(new nn.ReLU());
  }
  return new nn.Sequential(...layers);
}

export const NOTEBOOK_DIMS = [28 * 28, 32, 32, 32, 10];
