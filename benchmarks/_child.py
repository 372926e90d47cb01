"""One measured run in a fresh interpreter (started by benchmarks/run.py; prints one JSON line).

python benchmarks/_child.py stages DIR OUT.xlsx RESULTS.json [--jobs N] [--no-write]
python benchmarks/_child.py naive DIR OUT.xlsx RESULTS.json
python benchmarks/_child.py scoring ROWS [--issues]
"""

from __future__ import annotations

import time

T_START = time.perf_counter()

import json  # noqa: E402
import sys  # noqa: E402
from itertools import pairwise  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def results_of(r) -> dict:  # type: ignore[no-untyped-def]
    """{dossier: [total, rank or None, recognised, position]} of a RunResult."""
    import pandas as pd

    rec = r.scores.outcome["recognised"].to_dict()
    total = r.scores.total.to_dict()
    ranks = r.ranking["rank"].tolist()
    positions = r.ranking["position"].tolist()
    return {
        str(name): [float(total[name]), None if pd.isna(rank) else int(rank), bool(rec[name]), int(pos)]
        for name, rank, pos in zip(r.ranking.index, ranks, positions, strict=True)
    }


def stages(folder: Path, out: Path, results: Path, jobs: int | None, write: bool = True) -> dict:
    t0 = time.perf_counter()
    from spcncl_score.evaluation.pipeline import evaluate
    from spcncl_score.report.xlsx import write_xlsx

    t_import = time.perf_counter() - t0
    ticks: list[float] = []

    def progress(done: int, total: int, name: str) -> None:
        ticks.append(time.perf_counter())

    t1 = time.perf_counter()
    r = evaluate([folder], "hanoi-spcncl", progress=progress, jobs=jobs)
    t2 = time.perf_counter()
    if write:
        write_xlsx(r, out, lang="vi", progress=progress)
    t3 = time.perf_counter()
    results.write_text(json.dumps(results_of(r)), encoding="utf-8")
    # the bars move while files are read and while the report is built: measure the silences
    marks = [t1, *ticks, t3]
    gaps = [b - a for a, b in pairwise(marks)]
    return {
        "import": t_import,
        **r.timings,
        "write": t3 - t2,
        "evaluate": t2 - t1,
        "in_process": t3 - t1,
        "files": len(r.files),
        "ranked": len(r.ranking) if r.ranking is not None else 0,
        "issues": len(r.issues),
        "progress_updates": len(ticks),
        "progress_first": (ticks[0] - t1) if ticks else None,
        "progress_max_gap_during_read": max((b - a for a, b in pairwise(ticks)), default=0.0),
        "progress_silent_tail": (t3 - ticks[-1]) if ticks else t3 - t1,
        "progress_longest_silence": max(gaps) if gaps else 0.0,
        "rss_mb": _rss_mb(),
    }


def naive(folder: Path, out: Path, results: Path) -> dict:
    t0 = time.perf_counter()
    import openpyxl  # noqa: F401

    from benchmarks import naive as nv
    from spcncl_score.criteria.loader import load_criteria

    t_import = time.perf_counter() - t0
    cs, _ = load_criteria("hanoi-spcncl")
    assert cs is not None
    files = sorted(p for p in folder.iterdir() if p.suffix == ".xlsx")
    timings: dict = {}
    t1 = time.perf_counter()
    res = nv.run(files, cs, out, timings)
    t2 = time.perf_counter()
    results.write_text(
        json.dumps({k: [v["total"], v["rank"], v["recognised"], v["position"]] for k, v in res.items()}),
        encoding="utf-8",
    )
    return {"import": t_import, **timings, "in_process": t2 - t1, "ranked": len(res), "rss_mb": _rss_mb()}


def main(argv: list[str]) -> int:
    mode = argv[0]
    if mode == "stages":
        jobs = int(argv[argv.index("--jobs") + 1]) if "--jobs" in argv else None
        out = stages(Path(argv[1]), Path(argv[2]), Path(argv[3]), jobs, write="--no-write" not in argv)
    elif mode == "naive":
        out = naive(Path(argv[1]), Path(argv[2]), Path(argv[3]))
    elif mode == "scoring":
        from benchmarks.scoring import measure

        out = measure(int(argv[1]), issues="--issues" in argv)
        out["rss_mb"] = _rss_mb()
    else:
        raise SystemExit(f"unknown mode {mode}")
    out["process_to_end"] = time.perf_counter() - T_START
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
