"""Where a training example's step spends its CPU time, by library, on each
side: torchts, Python PyTorch and libtorch's C++ (bench/example_steps.ts,
bench/example_steps.py and the C++ twin in bench/build, made by npm run bench).

Each side runs twice under `perf record -e cpu-clock` (one thread for
libtorch, as in the bench), with `short` and with `long` timed steps; the
difference between the two runs' samples per library, over the steps between
them, is the steady step's CPU time in that library, free of start-up
(loading libraries, compiling TypeScript, importing torch). torchts's is
given twice: every thread, and its main thread alone (V8 marks and sweeps
on threads of its own). The sides take turns, `repeats` times, and each
figure is the median of its repeats, since a shared machine's speed drifts
from one run to the next.

    /usr/bin/python3 bench/library_split.py transformer [--short 20 --long 80 --repeats 3]

Needs perf (Debian's linux-perf) and bench/build from `npm run bench`.
"""
import argparse
import collections
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUILD = os.path.join(HERE, "build")
GPL3 = "/usr/share/common-licenses/GPL-3"
TWINS = {"cnn": "mnist_cnn_step", "lstm": "lstm_lm_step", "transformer": "transformer_step"}
FREQUENCY = 4000  # samples a second


def command(side, example, steps):
    images, labels = os.path.join(BUILD, "train-images.u8"), os.path.join(BUILD, "train-labels.u8")
    data = [images, labels, "60000", str(steps)]
    if side == "torchts":
        return ["node", "--import=tsx", os.path.join(HERE, "example_steps.ts"), *data, "--only", example]
    if side == "Python":
        return ["/usr/bin/python3", os.path.join(HERE, "example_steps.py"), *data, "--only", example]
    twin = os.path.join(BUILD, TWINS[example])
    return [twin, *data] if example == "cnn" else [twin, GPL3, str(steps)]


def samples(data_file, main_thread_only=False):
    """Samples per library in one perf.data: every thread's, or the busiest thread's (the main one)."""
    def report(*extra):
        out = subprocess.run(["perf", "report", "-i", data_file, "-n", "--no-children", "--stdio", *extra],
                             capture_output=True, text=True, check=True).stdout
        return [line.split() for line in out.splitlines() if line.strip() and not line.startswith("#")]
    thread = []
    if main_thread_only:
        busiest = report("--sort", "pid")[0][2]  # "12345:node"
        thread = [f"--tid={busiest.split(':')[0]}"]
    counts = collections.Counter()
    # By symbol, then summed: perf 6.1 ignores --tid when sorting by dso alone.
    for fields in report("--sort", "dso,sym", *thread):
        counts[fields[2]] += int(fields[1])
    return counts


def split(side, example, short, long):
    """Milliseconds of CPU a steady step spends in each library: every thread's, and the main thread's."""
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for steps in (short, long):
            data_file = os.path.join(tmp, f"{steps}.data")
            subprocess.run(["perf", "record", "-F", str(FREQUENCY), "-e", "cpu-clock", "-o", data_file, "--",
                            *command(side, example, steps)],
                           cwd=ROOT, env={**os.environ, "OMP_NUM_THREADS": "1"}, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            runs.append((samples(data_file), samples(data_file, main_thread_only=True)))
    # Each run warms up for a tenth of its steps (at least 3) before timing them.
    warmed = lambda steps: steps + max(3, steps // 10)  # noqa: E731
    steps_between = warmed(long) - warmed(short)
    per_step = lambda a, b: {lib: (b[lib] - a[lib]) / FREQUENCY / steps_between * 1e3 for lib in a | b}  # noqa: E731
    return per_step(runs[0][0], runs[1][0]), per_step(runs[0][1], runs[1][1])


def median_split(splits):
    """Each library's median over repeats (0 where a run saw none of it)."""
    libs = {lib for s in splits for lib in s}
    return {lib: statistics.median(s.get(lib, 0.0) for s in splits) for lib in libs}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("example", choices=sorted(TWINS))
    parser.add_argument("--short", type=int, default=20)
    parser.add_argument("--long", type=int, default=80)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.long <= args.short:
        sys.exit("library_split: --long must be more steps than --short")
    if args.repeats < 1:
        sys.exit("library_split: --repeats must be at least 1")
    taken = {"torchts": [], "torchts main": [], "Python": [], "C++": []}
    for _ in range(args.repeats):
        every, main_thread = split("torchts", args.example, args.short, args.long)
        taken["torchts"].append(every)
        taken["torchts main"].append(main_thread)
        taken["Python"].append(split("Python", args.example, args.short, args.long)[0])
        taken["C++"].append(split("C++", args.example, args.short, args.long)[0])
    columns = {name: median_split(splits) for name, splits in taken.items()}
    libs = sorted({lib for c in columns.values() for lib in c}, key=lambda lib: -max(c.get(lib, 0) for c in columns.values()))
    print(f"{args.example} step, CPU ms per step by library ({args.long} against {args.short} steps, perf cpu-clock, "
          f"medians of {args.repeats})")
    print(f"{'library':32}" + "".join(f"{name:>14}" for name in columns))
    for lib in libs:
        if max(abs(c.get(lib, 0)) for c in columns.values()) >= 0.05:
            print(f"{lib[:32]:32}" + "".join(f"{c.get(lib, 0):14.2f}" for c in columns.values()))
    # The median of each repeat's whole step (not the sum of the medians above).
    totals = [statistics.median(sum(s.values()) for s in splits) for splits in taken.values()]
    print(f"{'whole step':32}" + "".join(f"{t:14.2f}" for t in totals))


if __name__ == "__main__":
    main()
