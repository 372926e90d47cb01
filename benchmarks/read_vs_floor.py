"""Read + validate per dossier against the zip floor, as benchmarks/run.py measures them, quickly.

    python benchmarks/read_vs_floor.py [--roots ROOT[,ROOT...]] [--sizes 100:1,1000:2] [--repeat 7]

For each size N and process count J, every repeat runs two fresh processes per root: the zip floor
(run.floor: open each file and inflate the members a reader needs) and read + validate
(pipeline.read_inputs + build_frame, the 'read' and 'validate' stages of evaluate). Roots are
interleaved repeat by repeat, so that the load of a shared machine hits them alike; medians are
printed. Compare a branch with another by giving both worktrees as roots.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from benchmarks.corpus import corpus
from benchmarks.run import floor
n, jobs, what = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
folder = corpus(n, progress=False)
files = sorted(str(p) for p in folder.iterdir() if p.suffix == ".xlsx")
if what == "floor":
    seconds = floor(files, jobs)
else:
    from spcncl_score.criteria.loader import load_or_raise
    from spcncl_score.evaluation.pipeline import read_inputs
    from spcncl_score.scoring.result import build_frame
    cs, _ = load_or_raise("hanoi-spcncl")
    t0 = time.perf_counter()
    _, reads, _ = read_inputs(cs, [folder], jobs=jobs)
    build_frame(cs, reads)
    seconds = time.perf_counter() - t0
print(json.dumps(seconds))
"""


def run(root: str, n: int, jobs: int, what: str) -> float:
    env = {**os.environ, "PYTHONPATH": root}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, root, str(n), str(jobs), what], capture_output=True, text=True, env=env
    )
    if out.returncode:
        raise SystemExit(out.stderr)
    return float(json.loads(out.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--roots", default=str(HERE.parent), help="comma-separated source trees to compare")
    ap.add_argument("--sizes", default="100:1,1000:2,1000:1", help="N:processes, comma-separated")
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args(argv)
    roots = args.roots.split(",")
    for spec in args.sizes.split(","):
        n, jobs = map(int, spec.split(":"))
        floors: dict[str, list[float]] = {r: [] for r in roots}
        reads: dict[str, list[float]] = {r: [] for r in roots}
        for _ in range(args.repeat):
            for r in roots:
                floors[r].append(run(r, n, jobs, "floor"))
                reads[r].append(run(r, n, jobs, "read"))
        for r in roots:
            fl, rd = statistics.median(floors[r]), statistics.median(reads[r])
            print(
                f"{r}  N={n:,} processes={jobs}: read+validate {rd / n * 1e3:.3f} ms/dossier, "
                f"floor {fl / n * 1e3:.3f} ms/dossier, ratio {rd / fl:.2f}x",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
