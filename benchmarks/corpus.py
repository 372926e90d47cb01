"""Synthetic Hanoi SPCNCL dossiers for the benchmark, written through the form contract.

Every dossier is a real self-assessment form written by ``spcncl_score.intake.form.write_form`` (the
same writer as the samples), so the benchmark reads exactly what an enterprise would send back.
Dossier ``i`` is derived from sample ``samples/specs.HANOI[i % 18]`` with:

- a unique tax code (``01`` + 8 digits of ``i``) and product name (``… — lô i``): no two dossiers
  are duplicates, so no ``dossier-duplicate`` warnings;
- every yearly figure scaled by a per-dossier factor and jittered per year (seeded by ``i``), so
  growth, scale, productivity and export share vary and exact ties are rare, as in a real batch;
- the council-scored self-score ``d2_technology`` drawn 0..10;
- the samples' special cases kept: figures typed as text the Vietnamese way (1 in 18 dossiers,
  re-typed from the new numbers), an overclaiming self-assessment (1 in 18) and an invalid dossier
  (1 in 18: empty tax code, 'n/a' in a number cell) that is listed but not ranked.

Generation is deterministic (same ``i`` -> same file) and cached: all dossiers live once in a
pool folder keyed by the generator version, the package version, the criteria fingerprint and a
hash of the form writer's source (intake/form.py, intake/names.py);
the folder for size N holds hard links to the first N pool files (copies if links fail).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import shutil
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `samples` and `spcncl_score` importable
    sys.path.insert(0, str(ROOT))

GENERATOR_VERSION = "1"
CRITERIA = "hanoi-spcncl"
REPORTING_YEAR = 2025
YEARLY = ("revenue", "export_usd", "workers", "budget_contribution")


def default_cache_dir() -> Path:
    return Path(os.environ.get("SPCNCL_BENCH_CACHE") or Path(tempfile.gettempdir()) / "spcncl-bench-cache")


def vi_number(x: float) -> str:
    """A number as typed the Vietnamese way: '.' groups thousands, ',' is the decimal mark."""
    text = f"{x:,.1f}" if not float(x).is_integer() else f"{int(x):,}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def dossier_spec(i: int) -> dict[str, Any]:
    """The values, typed texts and self-scores of synthetic dossier ``i`` (deterministic)."""
    from samples import specs

    base = specs.HANOI[i % len(specs.HANOI)]
    rng = random.Random(1_000_003 * (i + 1))
    values = dict(base["values"])
    if values.get("tax_code") is not None:
        values["tax_code"] = f"01{i:08d}"
    values["product_name"] = f"{values['product_name']} — lô {i}"
    scale = rng.uniform(0.75, 1.3)
    for fid in YEARLY:
        s = scale if fid != "workers" else rng.uniform(0.8, 1.25)
        for k in range(3):
            v = values.get(f"{fid}@{k}")
            if v is None:
                continue
            v = v * s * rng.uniform(0.97, 1.03)
            if fid == "workers":
                v = max(1, round(v))
            elif fid == "export_usd":
                v = float(round(v, -3))
            else:
                v = round(v, 1)
            values[f"{fid}@{k}"] = v
    typed: dict[str, Any] = {}
    for key, text in base.get("typed", {}).items():
        # re-type the new number the way the sample's enterprise typed it; keep non-numbers ('n/a')
        typed[key] = vi_number(values[key]) if values.get(key) is not None else text
    self_scores = dict(base["self_scores"])
    self_scores["d2_technology"] = rng.randint(0, 10)
    return {
        "file": f"d{i:05d}.xlsx",
        "scenario": base["scenario"],
        "values": values,
        "typed": typed,
        "self_scores": self_scores,
    }


def form_values(spec: dict[str, Any]) -> dict[str, Any]:
    values = dict(spec["values"])
    values.update(spec["typed"])
    return values


_cs: Any = None


def _write_one(job: tuple[int, str]) -> None:
    from spcncl_score.intake.form import write_form

    i, folder = job
    spec = dossier_spec(i)
    path = Path(folder) / spec["file"]
    tmp = path.with_suffix(".tmp")
    write_form(
        _cs, tmp, lang="vi", reporting_year=REPORTING_YEAR, values=form_values(spec), self_scores=spec["self_scores"]
    )
    os.replace(tmp, path)


def _load() -> Any:
    from spcncl_score.criteria.loader import load_criteria

    cs, issues = load_criteria(CRITERIA)
    if cs is None:
        raise RuntimeError("criteria did not load: " + "; ".join(i.render("en") for i in issues))
    return cs


def cache_key() -> str:
    """Generator version, package version, criteria fingerprint and a hash of the form writer."""
    import hashlib

    import spcncl_score
    from spcncl_score import __version__

    pkg = Path(spcncl_score.__file__).resolve().parent
    h = hashlib.sha256()
    for name in ("intake/form.py", "intake/names.py"):  # the form writer and the defined-name contract
        h.update((pkg / name).read_bytes())  # a moved file must fail here, not hash as empty
    return f"g{GENERATOR_VERSION}-v{__version__}-{_load().fingerprint}-{h.hexdigest()[:8]}"


def write_dossiers(indices: Iterable[int], folder: Path, jobs: int = 2, progress: bool = False) -> None:
    """Write the forms of ``indices`` into ``folder`` (2 processes by default)."""
    global _cs
    _cs = _load()
    folder.mkdir(parents=True, exist_ok=True)
    todo = [(i, str(folder)) for i in indices]
    if jobs > 1 and len(todo) > 50 and "fork" in mp.get_all_start_methods():
        with mp.get_context("fork").Pool(jobs) as pool:
            for n, _ in enumerate(pool.imap_unordered(_write_one, todo, chunksize=16), 1):
                if progress and n % 500 == 0:
                    print(f"  generated {n}/{len(todo)}", file=sys.stderr, flush=True)
    else:
        for job in todo:
            _write_one(job)


def corpus(n: int, cache_dir: Path | None = None, jobs: int = 2, progress: bool = True) -> Path:
    """The folder holding dossiers 0..n-1 (generated once, then reused)."""
    cache = (cache_dir or default_cache_dir()) / cache_key()
    pool = cache / "pool"
    pool.mkdir(parents=True, exist_ok=True)
    missing = [i for i in range(n) if not (pool / f"d{i:05d}.xlsx").exists()]
    if missing:
        if progress:
            print(
                f"generating {len(missing)} dossiers into {pool} (cached for later runs)", file=sys.stderr, flush=True
            )
        write_dossiers(missing, pool, jobs=jobs, progress=progress)
    target = cache / f"n{n}"
    wanted = {f"d{i:05d}.xlsx" for i in range(n)}
    if target.is_dir():
        present = {p.name for p in target.iterdir()}
        if present == wanted:
            return target
        shutil.rmtree(target)
    target.mkdir()
    for name in sorted(wanted):
        try:
            os.link(pool / name, target / name)
        except OSError:
            shutil.copyfile(pool / name, target / name)
    return target


def main(argv: list[str]) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--out", type=Path, help="write the N forms into this folder (no cache)")
    ap.add_argument("--cache-dir", type=Path)
    a = ap.parse_args(argv)
    if a.out:
        write_dossiers(range(a.n), a.out, progress=True)
        print(a.out)
    else:
        print(corpus(a.n, a.cache_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
