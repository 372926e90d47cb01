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
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from pathlib import Path

import pandas as pd

from spcncl_score.criteria.categories import category_sets
from spcncl_score.criteria.loader import load_or_raise, shipped_sets
from spcncl_score.criteria.models import CriteriaSet
from spcncl_score.i18n import label
from spcncl_score.intake.discovery import FoundFile, discover
from spcncl_score.intake.reader import DossierRead, fold, read_dossier
from spcncl_score.intake.table import Mapping, load_mapping, with_tables
from spcncl_score.issues import Issue, Location, SpcnclError, error, info, warning
from spcncl_score.scoring.engine import score
from spcncl_score.scoring.overall import rank_overall
from spcncl_score.scoring.ranking import rank
from spcncl_score.scoring.result import RunResult, build_frame, enterprises, part_name
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
    files, reads, front = _read_files_and_tables(cs, inputs, progress=progress, jobs=jobs, mapping=mapping)
    check_identity(cs, reads)
    return files, reads, front + [i for r in reads for i in r.issues]


def _read_files_and_tables(
    cs: CriteriaSet,
    inputs: Sequence[Path],
    *,
    progress: Progress | None,
    jobs: int | None,
    mapping: Path | None,
) -> tuple[list[FoundFile], list[DossierRead], list[Issue]]:
    """Files and reads, and the issues of the run rather than of a read (discovery, tables as wholes)."""
    missing = [p for p in inputs if not p.exists()]
    if missing:
        raise SpcnclError([error("input-not-found", Location(file=str(p)), path=str(p)) for p in missing])
    columns = mapping_or_raise(mapping, cs)
    files, issues = discover(list(inputs))
    reads = read_all(cs, files, progress, jobs)
    files, reads, table_issues = with_tables(cs, files, reads, columns)
    return files, reads, issues + table_issues


def mapping_or_raise(path: Path | None, cs: CriteriaSet) -> Mapping | None:
    if path is None:
        return None
    mapping, problems = load_mapping(path, cs)
    if mapping is None:
        raise SpcnclError(problems)
    return mapping


@dataclass
class Intake:
    """What a run read, and with which criteria.

    ``criteria`` is the set asked for with ``-c`` (or the default); without ``-c``, forms that
    name another shipped set are read with that set, which is then in ``sets`` too."""

    criteria: CriteriaSet
    criteria_issues: list[Issue]
    files: list[FoundFile]
    reads: list[DossierRead]
    issues: list[Issue]
    sets: dict[tuple[str, str], tuple[CriteriaSet, list[Issue]]] = field(default_factory=dict)

    def set_of(self, read: DossierRead) -> CriteriaSet | None:
        """The set a dossier was read and is scored with: its criteria set, or its category's."""
        d = read.dossier
        if d is None:
            return None
        found = self.sets.get((d.criteria_id, d.criteria_version))
        cs = found[0] if found else self.criteria
        category = getattr(d, "category", None)
        if cs.categories is not None and category is not None:
            return category_sets(cs).get(category)
        return cs


def read_with_criteria(
    criteria: str | Path | None,
    inputs: Sequence[Path],
    *,
    progress: Progress | None = None,
    jobs: int | None = None,
    mapping: Path | None = None,
) -> Intake:
    """Load the criteria and read the inputs.

    Without ``criteria``, every form is read with the set it names (``meta.criteria_id``) when
    that is a shipped set in the same version: the files are read with the default set, and the
    forms of another set read again with theirs. A folder of several sets is scored set by set."""
    cs, criteria_issues = load_or_raise(criteria)
    files, reads, front = _read_files_and_tables(cs, inputs, progress=progress, jobs=jobs, mapping=mapping)
    named = _named_sets(reads) if criteria is None else {}
    first: list[Issue] = []
    if len(named) == 1 and not any(r.dossier is not None for r in reads):
        # every dossier names one other set: it is the run's set, as if chosen with -c (tables too)
        cs, criteria_issues = next(iter(named.values()))
        files, reads, front = _read_files_and_tables(cs, inputs, progress=progress, jobs=jobs, mapping=mapping)
        first, named = [info("criteria-from-forms", Location(), criteria=cs.id)], {}
    intake = Intake(cs, criteria_issues, files, reads, [], {(cs.id, cs.version): (cs, criteria_issues)})
    for other, other_issues in named.values():
        _read_with_other_set(intake, other, other_issues, jobs)
    for own, _ in intake.sets.values():
        # one product is one product within a scheme: its categories share the identity fields
        check_identity(own, [r for r in intake.reads if r.dossier is not None and r.dossier.criteria_id == own.id])
    intake.issues = first + front + [i for r in intake.reads for i in r.issues]
    if len(intake.sets) > 1 and not any(r.dossier is not None and r.dossier.criteria_id == cs.id for r in reads):
        del intake.sets[(cs.id, cs.version)]  # the default set read nothing: it is not one of the run's
        intake.criteria, intake.criteria_issues = next(iter(intake.sets.values()))
    return intake


def _named_sets(reads: list[DossierRead]) -> dict[str, tuple[CriteriaSet, list[Issue]]]:
    """The shipped sets that dossiers read with another set name in the shipped version, loaded."""
    shipped = shipped_sets()
    ids = sorted(
        {str(i.params["found_id"]) for r in reads for i in r.issues if i.code == "dossier-wrong-criteria"}
        & set(shipped)
    )
    named = {k: load_or_raise(k) for k in ids}
    return {
        k: (cs, issues)
        for k, (cs, issues) in named.items()
        if any(_names(i, cs.id, cs.version) for r in reads for i in r.issues)
    }


def _names(issue: Issue, set_id: str, version: str) -> bool:
    """Whether ``issue`` says its form names set ``set_id`` in ``version``."""
    p = issue.params
    return issue.code == "dossier-wrong-criteria" and p["found_id"] == set_id and p["found_version"] == version


def _read_with_other_set(intake: Intake, other: CriteriaSet, other_issues: list[Issue], jobs: int | None) -> None:
    """Read again, with their own set, the forms that name ``other`` in its version.

    Only forms: a table row naming another set keeps its issue, which names the -c to use."""
    by_display = {f.display: f for f in intake.files if f.kind == "workbook"}
    todo = [
        k
        for k, r in enumerate(intake.reads)
        if r.file in by_display and any(_names(i, other.id, other.version) for i in r.issues)
    ]
    if not todo:
        return
    intake.sets[(other.id, other.version)] = (other, other_issues)
    again = read_all(other, [by_display[intake.reads[k].file] for k in todo], None, jobs)
    for k, read in zip(todo, again, strict=True):
        intake.reads[k] = read


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
    intake = read_with_criteria(criteria, paths, progress=progress, jobs=jobs, mapping=mapping)
    if not any(f.kind in ("workbook", "table", "table_row") for f in intake.files):
        intake.issues.append(error("input-no-dossiers", Location(), path=", ".join(str(p) for p in paths)))
    read_time = clock() - t0
    result = score_intake(
        intake,
        progress=progress,
        council=council,
        scores=scores,
        sensitivity=sensitivity,
        minutes=minutes,
        preliminary=preliminary,
    )
    result.timings["read"] = result.timings.get("read", 0.0) + read_time
    return result


def score_intake(
    intake: Intake,
    *,
    progress: Progress | None = None,
    council: Path | None = None,
    scores: Path | None = None,
    sensitivity: SensitivitySettings | None = DEFAULT_SENSITIVITY,
    minutes: Path | None = None,
    preliminary: Path | None = None,
) -> RunResult:
    """Score what was read: as one run, or in parts (several sets, or a set's categories).

    A council scores one set's criteria: with a council, the dossiers of a set with categories are
    scored as one run when they are all of one category, with that category's criteria."""
    cs, criteria_issues = intake.criteria, intake.criteria_issues
    if len(intake.sets) > 1 or intake.criteria.categories is not None:
        if council is None:
            return _score_parts(intake, progress, sensitivity)
        parts = _parts(intake)
        if len(intake.sets) > 1 or len(parts) > 1:
            # a council's file names one set's criteria and members' forms are made from one set
            raise SpcnclError([error("council-one-part", Location(file=str(council)), parts=_part_names(intake))])
        if parts:
            cs = parts[0][0]
    return score_reads(
        cs,
        intake.files,
        intake.reads,
        intake.issues,
        criteria_issues,
        progress=progress,
        council=council,
        scores=scores,
        sensitivity=sensitivity,
        minutes=minutes,
        preliminary=preliminary,
    )


def _parts(intake: Intake) -> list[tuple[CriteriaSet, list[DossierRead]]]:
    """The dossiers of each part, parts in the order of their sets, then of their categories."""
    order: list[CriteriaSet] = []
    for cs, _ in intake.sets.values():
        order.extend(category_sets(cs).values() if cs.categories is not None else [cs])
    reads: dict[int, list[DossierRead]] = {id(cs): [] for cs in order}
    for r in intake.reads:
        own = intake.set_of(r)
        if own is not None and id(own) in reads:
            reads[id(own)].append(r)
    return [(cs, reads[id(cs)]) for cs in order if reads[id(cs)]]


def _part_names(intake: Intake) -> list[str]:
    return [part_name(cs) for cs, _ in _parts(intake)]


def _score_parts(intake: Intake, progress: Progress | None, sensitivity: SensitivitySettings | None) -> RunResult:
    """Score and rank each part with its own set; the run holds them, every file and issue, and
    the overall ranking of a set's categories when the set declares one."""
    parts: list[RunResult] = []
    issues = list(intake.issues)
    for own, reads in _parts(intake):
        names = {r.file for r in reads}
        files = [f for f in intake.files if f.display in names]
        own_issues = [i for r in reads for i in r.issues]
        known = len(own_issues)
        family = intake.sets.get((own.id, own.version), (own, []))[1]
        part = score_reads(own, files, reads, own_issues, family, progress=progress, sensitivity=sensitivity)
        # what scoring found belongs to the part: the run's list names it
        issues.extend(_in_part(i, part.part_key) for i in part.issues[known:])
        parts.append(part)
    result = RunResult(
        intake.criteria,
        intake.files,
        intake.reads,
        pd.DataFrame(),
        None,
        None,
        issues,
        intake.criteria_issues,
        {k: sum(p.timings.get(k, 0.0) for p in parts) for k in ("read", "validate", "score", "rank", "sensitivity")},
        parts=parts,
    )
    cats = intake.criteria.categories
    if cats is not None and cats.overall is not None:
        scored = [p for p in parts if p.scores is not None]
        result.overall, overall_issues = rank_overall(
            cats.overall,
            [(p.criteria, p.scores, p.frame, enterprises(p.criteria, p.frame)) for p in scored],  # type: ignore[misc]
        )
        result.issues.extend(_in_part(i, "overall") for i in overall_issues)
    return result


def _in_part(issue: Issue, part: str) -> Issue:
    loc = issue.location
    if loc.category is not None:
        return issue
    return dc_replace(issue, location=dc_replace(loc, category=part))


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
