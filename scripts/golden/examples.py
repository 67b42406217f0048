"""Golden outputs for test/examples.test.ts: the three training examples'
Python twins (examples/mnist_cnn.py, lstm_lm.py, transformer_encoder.py)
run in short mode, each with the arguments the test gives their TypeScript
twins: every step's loss, the evaluation losses and the printed lines.

    cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 examples.py

The runs are kept short (a dozen or two steps, small models) so that their
losses stay within the test's 1e-5 relative of these on any OpenBLAS or
oneDNN kernel, not only the one that made them (the fixture is not per kernel).
"""
import contextlib
import io
import os
import sys

import torch

from _common import ROOT, write_fixture

sys.path.insert(0, os.path.join(ROOT, "examples"))
import lstm_lm  # noqa: E402
import mnist_cnn  # noqa: E402
import transformer_encoder  # noqa: E402

RUNS = {
    "mnist_cnn": (mnist_cnn, ["--epochs", "2", "--batches", "8", "--batch-size", "16", "--log-interval", "4",
                              "--test-batches", "1", "--test-batch-size", "100"]),
    "lstm_lm": (lstm_lm, ["--epochs", "3", "--batches", "5", "--emsize", "32", "--nhid", "32", "--log-interval", "2"]),
    "transformer_encoder": (transformer_encoder, ["--epochs", "3", "--batches", "5", "--emsize", "32", "--d_hid", "32", "--lr", "1.0",
                                                  "--log-interval", "2"]),
}


def run(module, argv):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = module.main(argv)
    return {"argv": argv, "stdout": out.getvalue(), **result}


def main():
    # The examples run with libtorch's default thread count; so does the test.
    payload = {name: run(module, argv) for name, (module, argv) in RUNS.items()}
    payload["threads"] = torch.get_num_threads()
    # Printed lines are compared exactly under the kernel that made them, and
    # to a unit in their last digit under others.
    payload["openblas_kernel"] = os.environ.get("OPENBLAS_CORETYPE")
    write_fixture("examples.json", payload)


if __name__ == "__main__":
    main()
