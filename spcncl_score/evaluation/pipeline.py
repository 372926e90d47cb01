"""The one place that sequences a run: criteria -> files -> dossiers -> scores -> ranking."""

from __future__ import annotations

import multiprocessing as mp
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from spcncl_score.criteria.loader import load_or_raise, shipped_sets
from spcncl_score.criteria.models import CriteriaSet
from spcncl_score.i18n import label
from spcncl_score.intake.discovery import FoundFile, discover
from spcncl_score.intake.reader import DossierRead, fold, read_dossier
from spcncl_score.intake.table import Mapping, load_mapping, with_tables
from spcncl_score.issues import Issue, Location, SpcnclError, error, info, warning
from spcncl_score.scoring.engine import score
from spcncl_score.scoring.ranking import rank
from spcncl_score.scoring.result import RunResult, build_frame, enterprises
from spcncl_score.scoring.sensitivity import SensitivitySettings
from spcncl_score.scoring.sensitivity import sensitivity as compute_sensitivity

Progress = Callable[[int, int, str], None]
DEFAULT_SENSITIVITY = SensitivitySettings()
_TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")


# Below this many files a second process costs more to start than it saves. Measured on 2 vCPUs
# (fresh processes, medians of 9), reading 1 process / 2 processes: 50 files 39 / 42 ms, 100 files
# 68 / 70 ms, 200 files 130 / 87 ms, 400 files 251 / 185 ms.
PARALLEL_MIN_FILES = 150


def _read_safely(cs: CriteriaSet, path: Path, display: str) -> DossierRead:
    try:
        return read_dossier(path, cs, display)
    except Exception as exc:  # one bad file must never stop a batch
        return DossierRead(
            display, "", None, [error("internal-error", Location(file=display), detail=f"{type(exc).__name__}: {exc}")]
        )


CHUNK = 16  # files a worker reads per task: enough to make a task's overhead small, few enough to show progress


# The criteria set of the parallel read in progress: forked workers inherit it, instead of receiving
# a pickled copy with every task.
_WORKER_CRITERIA: CriteriaSet | None = None


def _start_worker(parent: int) -> None:
    """In each worker: leave Ctrl-C to the parent, and end when the parent is gone.

    A worker waits for tasks on a queue whose write end it inherited; if the parent is killed
    (SIGKILL, or SIGTERM before it could stop its pool) nothing ever closes that queue, and the
    worker would wait forever, holding the parent's stdout open for whatever reads it (a CI step,
    a pipe). So a worker checks twice a second that its parent is still the one that started it.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)  # no parent to report to, and nothing of this process worth flushing

    threading.Thread(target=watch, daemon=True).start()


def _read_chunk(chunk: list[FoundFile]) -> list[DossierRead]:
    assert _WORKER_CRITERIA is not None
    return _read_files(_WORKER_CRITERIA, chunk)


def _read_in_parallel(
    cs: CriteriaSet, todo: list[FoundFile], jobs: int, progress: Progress | None
) -> list[DossierRead]:
    """Read ``todo`` in ``jobs`` forked worker processes, in chunks, results in file order."""
    global _WORKER_CRITERIA
    _WORKER_CRITERIA = cs
    chunks = [todo[i : i + CHUNK] for i in range(0, len(todo), CHUNK)]
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=mp.get_context("fork"), initializer=_start_worker, initargs=(os.getpid(),)
    )
    reads: list[DossierRead] = []
    try:
        for chunk, future in zip(chunks, [pool.submit(_read_chunk, c) for c in chunks], strict=True):
            try:
                done = future.result()
            except BrokenProcessPool:
                # a worker died (killed, or out of memory): read what is left here, where any
                # problem becomes an issue of its file
                done = _read_files(cs, chunk)
            for read in done:
                reads.append(read)
                if progress:
                    progress(len(reads), len(todo), read.file)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _WORKER_CRITERIA = None
    return reads


def _read_files(cs: CriteriaSet, chunk: list[FoundFile]) -> list[DossierRead]:
    return [_read_safely(cs, f.path, f.display) for f in chunk]


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def read_all(
    cs: CriteriaSet, files: Sequence[FoundFile], progress: Progress | None = None, jobs: int | None = None
) -> list[DossierRead]:
    """Read every workbook; in parallel for large batches, always in file order."""
    todo = [f for f in files if f.kind == "workbook"]
    jobs = default_jobs() if jobs is None else jobs
    reads: list[DossierRead] = []
    if jobs > 1 and len(todo) >= PARALLEL_MIN_FILES and "fork" in mp.get_all_start_methods():
        return _read_in_parallel(cs, todo, jobs, progress)
    for i, f in enumerate(todo):
        reads.append(_read_safely(cs, f.path, f.display))
        if progress:
            progress(i + 1, len(todo), f.display)
    return reads


def check_identity(cs: CriteriaSet, reads: list[DossierRead]) -> None:
    """Tax-code format and duplicate submissions: issues added to the reads themselves.

    One product (tax code + folded product name) submitted more than once is ranked at most once:
    copies with the same inputs are withheld in favour of the first in file order; copies that
    differ are all in error, since only the working group can say which one counts."""
    seen: dict[tuple[str, str], list[DossierRead]] = {}
    ident = cs.identity
    for r in reads:
        if r.dossier is None:
            continue
        tax = r.dossier.text(ident.tax_code).strip()
        cell = r.dossier.cells.get(ident.tax_code)
        if tax and not _TAX_CODE.match(tax):
            r.issues.append(
                error(
                    "tax-code-format",
                    Location(
                        file=r.file,
                        sheet=cell.sheet if cell else None,
                        cell=cell.cell if cell else None,
                        field=ident.tax_code,
                    ),
                    value=tax,
                )
            )
        product = fold(r.dossier.text(ident.product))
        if tax and product:
            seen.setdefault((tax, product), []).append(r)
    for (tax, _), group in seen.items():
        if len(group) > 1:
            _settle_duplicates(tax, group, ident.product)


def _inputs_of(read: DossierRead) -> tuple[object, ...]:
    """What a dossier says, whatever file format carried it: its values (texts folded, as the
    product name is compared) and self-scores, and its reporting year."""
    d = read.dossier
    assert d is not None
    values = tuple(sorted((k, fold(v) if isinstance(v, str) else v) for k, v in d.values.items()))
    return values, tuple(sorted(d.self_scores.items())), d.reporting_year


def _settle_duplicates(tax: str, group: list[DossierRead], product_field: str) -> None:
    # the copy that counts is the first without errors: a clean re-sent file stands in for a damaged one
    first = next((g for g in group if g.ok), group[0])
    assert first.dossier is not None
    product = first.dossier.text(product_field)
    contents = {_inputs_of(g) for g in group}
    if len(contents) == 1:
        for g in (g for g in group if g is not first):
            g.withheld = warning(
                "dossier-duplicate-copy", Location(file=g.file), original=first.file, tax_code=tax, product=product
            )
            g.issues.append(g.withheld)
        return
    for g in group:
        others = [o.file for o in group if o is not g]
        g.issues.append(
            error("dossier-duplicate-conflict", Location(file=g.file), tax_code=tax, product=product, others=others)
        )


def read_inputs(
    cs: CriteriaSet,
    inputs: Sequence[Path],
    *,
    progress: Progress | None = None,
    jobs: int | None = None,
    mapping: Path | None = None,
) -> tuple[list[FoundFile], list[DossierRead], list[Issue]]:
    """Find and read every file under ``inputs``: the files, the reads, and all issues so far.

    Tables (one row per dossier) are read into their rows; ``mapping`` names their columns' fields."""
    missing = [p for p in inputs if not p.exists()]
    if missing:
        raise SpcnclError([error("input-not-found", Location(file=str(p)), path=str(p)) for p in missing])
    columns = mapping_or_raise(mapping, cs)
    files, issues = discover(list(inputs))
    reads = read_all(cs, files, progress, jobs)
    files, reads, table_issues = with_tables(cs, files, reads, columns)
    issues.extend(table_issues)
    check_identity(cs, reads)
    for r in reads:
        issues.extend(r.issues)
    return files, reads, issues


def mapping_or_raise(path: Path | None, cs: CriteriaSet) -> Mapping | None:
    if path is None:
        return None
    mapping, problems = load_mapping(path, cs)
    if mapping is None:
        raise SpcnclError(problems)
    return mapping


def read_with_criteria(
    criteria: str | Path | None,
    inputs: Sequence[Path],
    *,
    progress: Progress | None = None,
    jobs: int | None = None,
    mapping: Path | None = None,
) -> tuple[CriteriaSet, list[Issue], list[FoundFile], list[DossierRead], list[Issue]]:
    """Load the criteria and read the inputs: (set, its issues, files, reads, issues).

    Without ``criteria``, the set is the one the forms name (``meta.criteria_id``), when it is a
    shipped set: the files are read with the default set, and again with the forms' set if they
    all name that other one. Forms of several sets are refused: a run has one set of rules, and
    the ``-c`` to choose is named."""
    cs, criteria_issues = load_or_raise(criteria)
    files, reads, issues = read_inputs(cs, inputs, progress=progress, jobs=jobs, mapping=mapping)
    if criteria is not None:
        return cs, criteria_issues, files, reads, issues
    found: dict[tuple[str, str], int] = {}
    for i in issues:
        if i.code == "dossier-wrong-criteria":
            pair = (str(i.params["found_id"]), str(i.params["found_version"]))
            found[pair] = found.get(pair, 0) + 1
    if not found:
        return cs, criteria_issues, files, reads, issues
    matched = sum(1 for r in reads if r.dossier is not None)
    if matched:
        found[(cs.id, cs.version)] = matched
    ids = sorted({fid for fid, _ in found})
    if len(found) > 1:
        sets = [f"{fid} {version} ({n})" for (fid, version), n in sorted(found.items())]
        example = " | ".join(f"-c {fid}" for fid in ids)
        raise SpcnclError([error("criteria-mixed", Location(), sets=sets, example=example)])
    if ids[0] == cs.id or ids[0] not in shipped_sets():
        # another version of this set, or a set not shipped: each form's issue says what to do
        return cs, criteria_issues, files, reads, issues
    cs, criteria_issues = load_or_raise(ids[0])
    files, reads, issues = read_inputs(cs, inputs, progress=progress, jobs=jobs, mapping=mapping)
    issues.insert(0, info("criteria-from-forms", Location(), criteria=cs.id))
    return cs, criteria_issues, files, reads, issues


def evaluate(
    inputs: Sequence[str | Path],
    criteria: str | Path | None = None,
    *,
    progress: Progress | None = None,
    jobs: int | None = None,
    council: Path | None = None,
    scores: Path | None = None,
    sensitivity: SensitivitySettings | None = DEFAULT_SENSITIVITY,
    minutes: Path | None = None,
    preliminary: Path | None = None,
    mapping: Path | None = None,
) -> RunResult:
    """Score every dossier under ``inputs`` (forms and tables, one row per dossier, mixed);
    raise SpcnclError only if the criteria are unusable. Without ``criteria``, the set the forms
    name (read_with_criteria)."""
    # the council's extra files are checked before anything is read
    for option, extra in (("--minutes", minutes), ("--preliminary", preliminary)):
        if extra is not None and (council is None or scores is None):
            raise SpcnclError([error("council-option-needs-council", Location(file=str(extra)), option=option)])
    if minutes is not None and not minutes.is_file():
        raise SpcnclError([error("path-not-file", Location(file=str(minutes)), option="--minutes", path=str(minutes))])
    if preliminary is not None and not preliminary.is_dir():
        raise SpcnclError(
            [error("path-not-folder", Location(file=str(preliminary)), option="--preliminary", path=str(preliminary))]
        )
    clock = time.perf_counter
    t0 = clock()
    paths = [Path(p) for p in inputs]  # the Python API takes text paths too
    cs, criteria_issues, files, reads, issues = read_with_criteria(
        criteria, paths, progress=progress, jobs=jobs, mapping=mapping
    )
    if not any(f.kind in ("workbook", "table", "table_row") for f in files):
        issues.append(error("input-no-dossiers", Location(), path=", ".join(str(p) for p in paths)))
    read_time = clock() - t0
    result = score_reads(
        cs,
        files,
        reads,
        issues,
        criteria_issues,
        progress=progress,
        council=council,
        scores=scores,
        sensitivity=sensitivity,
        minutes=minutes,
        preliminary=preliminary,
    )
    result.timings["read"] += read_time
    return result


def score_reads(
    cs: CriteriaSet,
    files: list[FoundFile],
    reads: list[DossierRead],
    issues: list[Issue],
    criteria_issues: list[Issue],
    *,
    progress: Progress | None = None,
    council: Path | None = None,
    scores: Path | None = None,
    sensitivity: SensitivitySettings | None = DEFAULT_SENSITIVITY,
    minutes: Path | None = None,
    preliminary: Path | None = None,
) -> RunResult:
    """Score, rank and (optionally) aggregate the council and the sensitivity of dossiers read."""
    clock = time.perf_counter
    t0 = clock()
    steps = 3 + (council is not None) + (sensitivity is not None)

    def step(k: int) -> None:
        if progress is not None:
            # the pipeline does not know the reader's language: both, like the reading bar
            progress(k, steps, f"{label('scoring', 'vi')} / {label('scoring', 'en').lower()}")

    t1 = clock()
    frame, selfs = build_frame(cs, reads)
    step(1)
    t2 = clock()
    scored = score(cs, frame, selfs)
    issues.extend(scored.issues)
    step(2)
    t3 = clock()
    ranking, rank_issues = rank(cs, scored, frame, enterprises(cs, frame))
    issues.extend(rank_issues)
    step(3)
    t4 = clock()
    # 'read' includes the identity checks, which need every dossier read first
    timings = {"read": t1 - t0, "validate": t2 - t1, "score": t3 - t2, "rank": t4 - t3}
    result = RunResult(cs, files, reads, frame, scored, ranking, issues, criteria_issues, timings)
    if council is not None:
        from spcncl_score.council.run import apply_council

        if scores is None:
            raise SpcnclError([error("council-needs-scores", Location(file=str(council)))])
        apply_council(result, council, scores, minutes, preliminary)
        step(4)
    if sensitivity is not None and result.scores is not None and result.ranking is not None:
        t5 = clock()
        what = f"{label('sensitivity_step', 'vi')} / {label('sensitivity_step', 'en').lower()}"
        result.sensitivity = compute_sensitivity(
            cs,
            result.scores,
            result.ranking,
            sensitivity,
            None if progress is None else lambda done, runs, _: progress(done, runs, what),
        )
        result.timings["sensitivity"] = clock() - t5
    step(steps)
    return result
