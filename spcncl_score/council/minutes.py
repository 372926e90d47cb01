"""The council's consensus decisions, typed in the "Council decision" column of the minutes sheet
(Biên bản thống nhất) of a report, read back and applied as the council's score.

A decision cell holds ``<criterion>: <points>`` (several separated by ``;`` or new lines), or only
``<points>`` when the council scores a single criterion; "điểm"/"points" after the number is allowed
and numbers are read as on the forms (``8,5`` or ``8.5``). A decision without any digit is a note
of the meeting and changes no score. Anything else with a digit is reported, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spcncl_score.criteria.models import CriteriaSet
from spcncl_score.i18n import label
from spcncl_score.issues import Issue, Location, error, info

_ITEM = re.compile(
    r"^\s*(?:(?P<crit>[A-Za-z][\w.\-]*)\s*[:=]\s*)?(?P<num>[^\s:=][^:=]*?)\s*(?:điểm|points?)?\s*$", re.I
)


@dataclass
class Decision:
    dossier: str
    criterion: str
    points: float
    cell: str


@dataclass
class MinutesRead:
    decisions: list[Decision] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def _header_names(key: str) -> set[str]:
    return {label(key, "vi"), label(key, "en")}


def read_minutes(path: Path, cs: CriteriaSet, dossiers: set[str]) -> MinutesRead:
    """The decisions of the minutes sheet of ``path`` (a report, or a copy the secretary typed into)."""
    from spcncl_score.intake.numbers import NumberError, parse_number
    from spcncl_score.intake.workbook import open_workbook

    out = MinutesRead()
    display = path.name
    wb, issues = open_workbook(path, display)
    if wb is None:
        out.issues.extend(issues)
        return out
    council_crit = {c.id: c for _, c in cs.criteria() if c.council}
    try:
        sheets = [s for s in wb.sheets if s in _header_names("sheet_minutes")]
        if not sheets:
            out.issues.append(error("council-minutes-no-sheet", Location(file=display)))
            return out
        sheet = sheets[0]
        rows = wb.rows(sheet)
        decision_names, file_names = _header_names("decision"), _header_names("file")
        header = next(
            (i for i, r in enumerate(rows) if decision_names & set(map(str, r)) and file_names & set(map(str, r))),
            None,
        )
        if header is None:
            out.issues.append(error("council-minutes-no-sheet", Location(file=display)))
            return out
        head = [str(v) for v in rows[header]]
        fcol = next(i for i, h in enumerate(head) if h in file_names)
        dcol = next(i for i, h in enumerate(head) if h in decision_names)
        seen: dict[tuple[str, str], Decision] = {}
        for r_i in range(header + 1, len(rows)):
            r = rows[r_i]
            text = "" if len(r) <= dcol or r[dcol] is None else str(r[dcol]).strip()
            dossier = "" if len(r) <= fcol or r[fcol] is None else str(r[fcol]).strip()
            if not text:
                continue
            cell = f"{_col(dcol)}{r_i + 1}"
            loc = Location(file=display, sheet=sheet, cell=cell)
            if not any(ch.isdigit() for ch in text):
                out.issues.append(info("council-minutes-note", loc, dossier=dossier or "—", text=text))
                continue
            if dossier not in dossiers:
                out.issues.append(error("council-minutes-unknown-dossier", loc, dossier=dossier or "—"))
                continue
            for part in re.split(r"[;\n]", text):
                if not part.strip():
                    continue
                m = _ITEM.match(part)
                crit = m.group("crit") if m else None
                if m is not None and crit is None and len(council_crit) == 1:
                    crit = next(iter(council_crit))
                value: float | None = None
                if m is not None and crit is not None:
                    try:
                        value, _ = parse_number(m.group("num"))
                    except NumberError:
                        value = None
                if m is None or crit is None or value is None:
                    out.issues.append(
                        error("council-minutes-unreadable", loc, text=part.strip(), criteria=sorted(council_crit))
                    )
                    continue
                if crit not in council_crit:
                    out.issues.append(error("council-minutes-not-council", loc, criterion=crit))
                    continue
                if not 0 <= value <= council_crit[crit].max:
                    out.issues.append(
                        error(
                            "council-score-invalid",
                            loc,
                            value=f"{value:g}",
                            criterion=crit,
                            dossier=dossier,
                            max=council_crit[crit].max,
                        )
                    )
                    continue
                earlier = seen.get((dossier, crit))
                if earlier is not None and earlier.points != value:
                    out.issues.append(
                        error(
                            "council-minutes-conflict",
                            loc,
                            dossier=dossier,
                            criterion=crit,
                            first=earlier.points,
                            second=value,
                            cell=earlier.cell,
                        )
                    )
                    continue
                seen[(dossier, crit)] = Decision(dossier, crit, value, cell)
    finally:
        wb.close()
    conflicted = {
        (i.params["dossier"], i.params["criterion"]) for i in out.issues if i.code == "council-minutes-conflict"
    }
    out.decisions = [d for k, d in seen.items() if k not in conflicted]
    return out


def _col(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def decisions_frame(decisions: list[Decision]) -> Any:
    import pandas as pd

    return pd.DataFrame(
        [(d.dossier, d.criterion, d.points, d.cell) for d in decisions],
        columns=["dossier", "criterion", "decision", "cell"],
    )
