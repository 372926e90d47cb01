"""From the preliminary round to the official one: each member's preliminary scores carried into
their official form, and each member's changes between the rounds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from spcncl_score.council.forms import FormScores, read_forms
from spcncl_score.council.model import Council
from spcncl_score.criteria.models import CriteriaSet
from spcncl_score.issues import Issue, Location, SpcnclError, error
from spcncl_score.scoring.result import RunResult

PRELIMINARY = "preliminary"
CHANGE_COLUMNS = ["member", "dossier", "criterion", "preliminary", "official", "change"]


def read_preliminary(folder: Path, council: Council, cs: CriteriaSet, result: RunResult) -> FormScores:
    """The preliminary round's filled forms of the same council, for the official round.

    Their problems (a form refused, a dossier changed since) only mean less is carried over: they are
    reported as warnings, never as errors of the official round."""
    if not folder.is_dir():
        raise SpcnclError(
            [error("path-not-folder", Location(file=str(folder)), option="--carry-over", path=str(folder))]
        )
    if council.round != "official":
        raise SpcnclError([error("council-carry-over-round", Location(), round=council.round)])
    prelim = council.model_copy(update={"round": PRELIMINARY})
    fs = read_forms(folder, prelim, cs, result)
    fs.issues = [_as_warning(i) for i in fs.issues]
    return fs


def _as_warning(i: Issue) -> Issue:
    from spcncl_score.issues import Severity

    if i.severity is not Severity.ERROR:
        return i
    return Issue(i.code, Severity.WARNING, {**i.params, "preliminary": True}, i.location)


def carried(fs: FormScores) -> dict[str, dict[tuple[str, str], tuple[float, str]]]:
    """member -> (dossier, criterion) -> (preliminary score, comment), to pre-fill the official form."""
    out: dict[str, dict[tuple[str, str], tuple[float, str]]] = {}
    for r in fs.rows:
        out.setdefault(str(r["member"]), {})[(str(r["dossier"]), str(r["criterion"]))] = (
            float(r["score"]),
            str(r.get("comment") or ""),
        )
    return out


def round_changes(
    preliminary: list[dict[str, Any]], official: list[dict[str, Any]], excluded: set[tuple[str, str]]
) -> tuple[pd.DataFrame, int]:
    """Each member's scores that differ between the rounds (a score given in one round only counts
    as a change), and how many stayed the same. ``excluded``: (member, dossier) pairs in conflict."""
    before = {
        (str(r["member"]), str(r["dossier"]), str(r["criterion"])): float(r["score"])
        for r in preliminary
        if (str(r["member"]), str(r["dossier"])) not in excluded
    }
    after = {
        (str(r["member"]), str(r["dossier"]), str(r["criterion"])): float(r["score"])
        for r in official
        if (str(r["member"]), str(r["dossier"])) not in excluded
    }
    rows = []
    same = 0
    for key in sorted(set(before) | set(after), key=lambda k: (k[1], k[2], k[0])):
        a, b = before.get(key), after.get(key)
        if a is not None and b is not None and a == b:
            same += 1
            continue
        change = b - a if a is not None and b is not None else float("nan")
        rows.append([key[0], key[1], key[2], _nan(a), _nan(b), change])
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS), same


def _nan(v: float | None) -> float:
    return float("nan") if v is None else v
