"""Bring the council into a run: conflicts, forms read back, aggregation, re-scoring, re-ranking."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from spcncl_score.council.aggregate import CouncilResult, aggregate
from spcncl_score.council.conflicts import ConflictFound, find_conflicts
from spcncl_score.council.forms import read_forms
from spcncl_score.council.model import Council, load_council
from spcncl_score.criteria.models import CriteriaSet
from spcncl_score.i18n import named
from spcncl_score.intake.reader import file_sha256
from spcncl_score.issues import Issue, Location, SpcnclError, info, warning
from spcncl_score.scoring.engine import score
from spcncl_score.scoring.frames import at, num
from spcncl_score.scoring.ranking import rank
from spcncl_score.scoring.result import RunResult, build_frame, enterprises


def load_or_raise(path: Path, result: RunResult) -> Council:
    council, issues = load_council(path, result.criteria)
    if council is None:
        raise SpcnclError(issues)
    return council


def conflicts_of(council: Council, result: RunResult) -> list[ConflictFound]:
    cs = result.criteria
    dossiers = {}
    for r in result.reads:
        if r.ok and r.dossier is not None:
            dossiers[r.file] = (r.dossier.text(cs.identity.tax_code), r.dossier.text(cs.identity.enterprise))
    return find_conflicts(council, dossiers)


def apply_council(
    result: RunResult,
    council_file: Path,
    scores_dir: Path,
    minutes: Path | None = None,
    preliminary: Path | None = None,
) -> None:
    """Replace self-scores of council criteria by the members' aggregate, with quorum, and re-rank.

    ``minutes``: a report whose minutes sheet holds the council's consensus decisions; each replaces
    the aggregate of its dossier and criterion (the aggregate is kept beside it). ``preliminary``: the
    preliminary round's forms, to show each member's changes between the rounds."""
    cs = result.criteria
    council = load_or_raise(council_file, result)
    conflicts = conflicts_of(council, result)
    assert result.scores is not None
    dossiers = [str(d) for d in result.scores.index]
    computed_ids = [c.id for _, c in cs.criteria() if not c.council]
    computed = result.scores.points[computed_ids]
    fs = read_forms(scores_dir, council, cs, result)
    result.council_inputs = {
        "file": council_file.name,
        "sha256": file_sha256(council_file),
        "forms": [{"file": f.file, "sha256": f.sha256, "member": f.member, "state": f.state} for f in fs.forms],
    }
    long = pd.DataFrame(fs.rows, columns=["member", "dossier", "criterion", "score", "comment", "cell", "form"])
    form_issues, with_forms = fs.issues, fs.members_with_forms
    cr = aggregate(council, cs, dossiers, computed, long, conflicts, with_forms)
    prelim_issues: list[Issue] = []
    if preliminary is not None:
        from spcncl_score.council.rounds import read_preliminary, round_changes

        prelim = read_preliminary(preliminary, council, cs, result)
        excluded = {(f.member, f.dossier) for f in conflicts}
        cr.round_changes, cr.unchanged = round_changes(prelim.rows, fs.rows, excluded)
        prelim_issues = prelim.issues
    if minutes is not None:
        _apply_minutes(cr, minutes, cs, dossiers)
        result.council_inputs["minutes"] = {"file": minutes.name, "sha256": file_sha256(minutes)}
    _missing_scores(council, cs, result, cr, conflicts, with_forms, form_issues)
    frame, selfs = build_frame(cs, result.reads)
    quorum = pd.DataFrame(
        {"ok": cr.quorum, "present": cr.present.astype(float), "needed": float(council.quorum_size())}
    )
    scores = score(cs, frame, selfs, council=cr.points, quorum=quorum)
    ranking, rank_issues = rank(cs, scores, frame, enterprises(cs, frame))
    # scoring issues of the first pass (self-scores standing in) no longer apply
    first = set(map(id, result.scores.issues)) | set(map(id, _rank_issues(result)))
    result.issues = [i for i in result.issues if id(i) not in first]
    result.issues += form_issues + prelim_issues + cr.issues + scores.issues + rank_issues
    result.scores, result.ranking, result.council = scores, ranking, cr


def _rank_issues(result: RunResult) -> list[object]:
    return [i for i in result.issues if i.code.startswith("rank-")]


def _missing_scores(
    council: Council,
    cs: CriteriaSet,
    result: RunResult,
    cr: CouncilResult,
    conflicts: list[ConflictFound],
    with_forms: set[str],
    issues: list[Issue],
) -> None:
    """List, per member, the assigned items still blank (and members who returned no form)."""
    conflicted = {(f.member, f.dossier) for f in conflicts}
    raw = cr.raw
    done = set(zip(raw["member"], raw["dossier"], raw["criterion"], strict=True))
    dossiers = [str(d) for d in result.scores.index] if result.scores is not None else []
    duplicated = {str(i.params.get("member")) for i in issues if i.code == "council-form-duplicate"}
    for m in council.voting:
        if m.id not in with_forms:
            if m.id not in duplicated:  # the duplicate message already says what to do
                issues.append(warning("council-form-missing", Location(), member=named(m.id, m.name)))
            continue
        todo = [
            f"{d}/{c.id}"
            for _, c in cs.criteria()
            if c.council and m in council.scorers(cs, c.id)
            for d in dossiers
            if (m.id, d) not in conflicted and (m.id, d, c.id) not in done
        ]
        if todo:
            issues.append(
                warning(
                    "council-score-missing",
                    Location(),
                    member=named(m.id, m.name),
                    count=len(todo),
                    items=todo[:10] + (["…"] if len(todo) > 10 else []),
                )
            )


def _apply_minutes(cr: CouncilResult, minutes: Path, cs: CriteriaSet, dossiers: list[str]) -> None:
    from spcncl_score.council.minutes import decisions_frame, read_minutes

    mr = read_minutes(minutes, cs, set(dossiers))
    frame = decisions_frame(mr.decisions)
    frame["aggregate"] = [
        num(at(cr.points, d, c)) if c in cr.points.columns else float("nan")
        for d, c in zip(frame["dossier"], frame["criterion"], strict=True)
    ]
    for d in mr.decisions:
        cr.points.at[d.dossier, d.criterion] = d.points
        before = frame.loc[(frame["dossier"] == d.dossier) & (frame["criterion"] == d.criterion), "aggregate"]
        cr.issues.append(
            info(
                "council-minutes-applied",
                Location(file=minutes.name, cell=d.cell, field=d.criterion),
                dossier=d.dossier,
                criterion=d.criterion,
                decision=d.points,
                aggregate=float(before.iloc[0]),
            )
        )
    cr.issues.extend(mr.issues)
    cr.decisions = frame
