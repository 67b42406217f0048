"""The seed notebook's three ways of building one MLP; the TypeScript twins
are in examples/notebook_models.ts."""
from torch import nn

NOTEBOOK_DIMS = [28 * 28, 32, 32, 32, 10]


class SimpleFixedMLP(nn.Module):
    """The notebook's fixed MLP: 784-32-32-32-10 with one shared ReLU."""

    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.input_layer = nn.Linear(in_features=28 * 28, out_features=32, bias=True)
        self.hidden_layer1 = nn.Linear(in_features=32, out_features=32, bias=True)
        self.hidden_layer2 = nn.Linear(in_features=32, out_features=32, bias=True)
        self.output_layer = nn.Linear(in_features=32, out_features=10, bias=True)
        self.activation = nn.ReLU()

    def forward(self, input):
        out = self.flatten(input)
        out = self.activation(self.input_layer(out))
        out = self.activation(self.hidden_layer1(out))
        out = self.activation(self.hidden_layer2(out))
        return self.output_layer(out)


class SimpleMLP(nn.Module):
    """The notebook's MLP of any depth, from a list of layer widths."""

    def __init__(self, dims):
        super().__init__()
        self.flatten = nn.Flatten()
        layers = []
        for i in range(len(dims) - 1):
            layers.append(nn.Linear(dims[i], dims[i + 1]))
            if i < len(dims) - 2:
                layers.append(nn.ReLU())
        self.layers = nn.Sequential(*layers)

    def forward(self, input):
        return self.layers(self.flatten(input))


def sequential_mlp(dims):
    layers = [nn.Flatten()]
    for i in range(len(dims) - 1):
        layers.append(nn.Linear(dims[i], dims[i + 1]))
        if i < len(dims) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)
