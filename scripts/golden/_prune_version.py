"""Keeps in test/fixtures/torch-<major>.<minor>/ only what differs from the
base fixtures (PyTorch 1.13's, test/fixtures/): run after the golden scripts
ran under that torch (in the root of `sh scripts/debian_root.sh trixie` for 2.6):

    /usr/bin/python3 scripts/golden/_prune_version.py test/fixtures/torch-2.6

A JSON fixture is the same when all but its header (which script, which
torch, which OpenBLAS kernel) is, gzipped or not; any other file when its
bytes are. A test
reads the version's file where there is one, else the base's, so what is
left is exactly where that Python gives other numbers or messages."""
import gzip
import json
import os
import sys

HEADER = {"generated_by", "torch_version", "openblas_kernel"}


def body(path):
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".json.gz"):
        data = gzip.decompress(data)  # (the gzip header's time differs run to run)
    if path.endswith((".json", ".json.gz")):
        obj = json.loads(data)
        if isinstance(obj, dict):
            return {k: v for k, v in obj.items() if k not in HEADER}
        return obj
    return data


def main(version_dir):
    base = os.path.dirname(os.path.abspath(version_dir))
    kept, dropped = [], 0
    for folder, _, files in os.walk(version_dir):
        for name in files:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, version_dir)
            original = os.path.join(base, rel)
            if os.path.exists(original) and body(original) == body(path):
                os.remove(path)
                dropped += 1
            else:
                kept.append(rel)
    for folder, _, _ in sorted(os.walk(version_dir), reverse=True):
        if not os.listdir(folder):
            os.rmdir(folder)
    print(f"{version_dir}: {dropped} the same as the base's, removed; {len(kept)} differ:")
    for rel in sorted(kept):
        print(f"  {rel}")


if __name__ == "__main__":
    main(sys.argv[1])
