"""The benchmark's corpus and pipelines agree (correctness only: no timing is asserted here).

``benchmarks/run.py`` measures speed; this test only checks that what it measures is right:
the parallel read path, the single-process path and the naive openpyxl pipeline give the same
totals, recognition and ranks on a small synthetic corpus generated through the form contract.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from benchmarks import naive
from benchmarks.corpus import write_dossiers
from spcncl_score.criteria.loader import load_or_raise
from spcncl_score.evaluation import pipeline

N = 20  # covers every sample scenario (18), incl. text-typed figures and the invalid dossier


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bench-corpus")
    write_dossiers(range(N), folder, jobs=1)
    return folder


def _summary(r: pipeline.RunResult) -> pd.DataFrame:
    assert r.scores is not None and r.ranking is not None
    out = r.ranking[["position", "rank"]].copy()
    out["total"] = r.scores.total.reindex(out.index)
    out["recognised"] = r.scores.outcome["recognised"].reindex(out.index)
    return out


def test_corpus_is_what_the_generator_says(corpus_dir: Path) -> None:
    files = sorted(corpus_dir.glob("*.xlsx"))
    assert [f.name for f in files] == [f"d{i:05d}.xlsx" for i in range(N)]
    r = pipeline.evaluate([corpus_dir], "hanoi-spcncl", jobs=1)
    codes = {i.code for i in r.issues}
    assert "dossier-duplicate" not in codes  # unique tax code + product per dossier
    assert {"value-interpreted", "value-required", "value-not-number"} <= codes  # typed text, invalid dossier
    assert r.ranking is not None
    # dossier 17 is the invalid one (empty tax code, 'n/a' typed in a number cell): listed, not ranked
    assert len(r.ranking) == N - 1
    assert "d00017.xlsx" not in r.ranking.index


def test_parallel_equals_single_process(corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = pipeline.evaluate([corpus_dir], "hanoi-spcncl", jobs=1)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_FILES", 1)
    fast = pipeline.evaluate([corpus_dir], "hanoi-spcncl", jobs=2)
    pd.testing.assert_frame_equal(_summary(fast), _summary(plain), check_exact=True)
    assert [r.file for r in fast.reads] == [r.file for r in plain.reads]
    assert sorted(i.render("en") for i in fast.issues) == sorted(i.render("en") for i in plain.issues)


def test_naive_pipeline_gives_the_same_totals_and_ranks(corpus_dir: Path, tmp_path: Path) -> None:
    cs, _ = load_or_raise("hanoi-spcncl")
    plain = _summary(pipeline.evaluate([corpus_dir], "hanoi-spcncl", jobs=1))
    files = sorted(corpus_dir.glob("*.xlsx"))
    res = naive.run(files, cs, tmp_path / "naive.xlsx")
    assert (tmp_path / "naive.xlsx").stat().st_size > 0
    assert set(res) == set(plain.index)
    for name, row in plain.iterrows():
        got = res[str(name)]
        assert got["total"] == row["total"], name
        assert got["recognised"] == bool(row["recognised"]), name
        assert got["rank"] == (None if pd.isna(row["rank"]) else int(row["rank"])), name
        assert got["position"] == int(row["position"]), name


def test_jobs_option_reads_with_that_many_processes_and_changes_nothing(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from spcncl_score.cli.commands import app

    monkeypatch.setattr(pipeline, "PARALLEL_MIN_FILES", 1)
    seen: list[int | None] = []
    real = pipeline.read_all

    def spy(*args: object, **kw: object) -> list[pipeline.DossierRead]:
        seen.append(args[3] if len(args) > 3 else kw.get("jobs"))  # type: ignore[arg-type]
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "read_all", spy)
    outputs = {}
    for jobs in ("1", "2"):
        res = CliRunner().invoke(
            app, ["evaluate", str(corpus_dir), "--no-report", "--format", "json", "--jobs", jobs, "--mc-runs", "0"]
        )
        assert res.exit_code == 1, res.output  # the invalid dossier is a finding
        outputs[jobs] = res.stdout
    assert seen == [1, 2]
    assert outputs["1"] == outputs["2"]
    res = CliRunner().invoke(app, ["evaluate", str(corpus_dir), "--no-report", "--jobs", "0"])
    assert res.exit_code == 2
    assert "--jobs" in res.output
