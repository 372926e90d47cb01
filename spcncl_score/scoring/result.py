"""A run's result: what was read, scored and ranked, and what each dossier's outcome means.

The stages above scoring (council, evaluation, report) share this one type; it sits here, below
them, so that none of them imports another to know it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from spcncl_score import __version__
from spcncl_score.criteria.models import CriteriaSet
from spcncl_score.i18n import label
from spcncl_score.intake.discovery import FoundFile
from spcncl_score.intake.names import input_slots
from spcncl_score.intake.reader import DossierRead
from spcncl_score.issues import Issue
from spcncl_score.scoring.engine import ScoreResult
from spcncl_score.scoring.frames import at


class PastApplication(NamedTuple):
    """A re-applicant's last appearance in the history: shown beside its new score."""

    last_year: int
    last_total: float | None
    last_recognised: int | None  # the last year it was recognised, if ever


@dataclass
class RunResult:
    criteria: CriteriaSet
    files: list[FoundFile]
    reads: list[DossierRead]
    frame: pd.DataFrame
    scores: ScoreResult | None
    ranking: pd.DataFrame | None
    issues: list[Issue] = field(default_factory=list)
    criteria_issues: list[Issue] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, for the benchmark
    council: Any = None  # CouncilResult when members' scores were aggregated
    sensitivity: pd.DataFrame | None = None  # margins and Monte-Carlo stability per scored dossier
    # the council file and every workbook of the forms folder, hashed, when a council was applied:
    # {"file", "sha256", "forms": [{"file", "sha256", "member", "state"}]}
    council_inputs: dict[str, Any] | None = None
    # dossier -> its last application, when a history database was consulted (None: no history)
    previous: dict[str, PastApplication] | None = None
    # a run scored in parts (the categories of a set, or the sets of a folder mixing them): each
    # part is a run of its own; this run then holds every file, read and issue, and no scores
    parts: list[RunResult] = field(default_factory=list)
    # every category ranked together, when the set declares it (rank's columns, plus 'part')
    overall: pd.DataFrame | None = None

    @property
    def has_errors(self) -> bool:
        return any(i.is_error for i in self.issues)

    @property
    def part_key(self) -> str:
        """What a part is called in file names, sheet names and JSON: its category, or its set."""
        cat = self.criteria.category
        return cat.id if cat is not None else self.criteria.id

    def part_label(self, lang: str = "vi") -> str:
        """A part's name for people: its category's label, or its set's title."""
        cat = self.criteria.category
        if cat is not None:
            from spcncl_score.criteria.categories import category_label

            return category_label(self.criteria, cat.id, lang)
        return self.criteria.title.get(lang)

    def ranked(self) -> set[str]:
        """The dossiers ranked in this run, or in any of its parts."""
        runs = self.parts or [self]
        return {str(d) for r in runs if r.ranking is not None for d in r.ranking.index}

    def recognised_count(self) -> int:
        runs = self.parts or [self]
        return sum(int(r.scores.outcome["recognised"].sum()) for r in runs if r.scores is not None)

    def part_of(self, dossier: str) -> RunResult | None:
        """The part a dossier was scored in (None: not scored, or a run without parts)."""
        return next((p for p in self.parts if p.read_of(dossier) is not None), None)

    def read_of(self, display: str) -> DossierRead | None:
        index = self.__dict__.get("_read_index")
        if index is None or len(index) != len(self.reads):
            index = {r.file: r for r in self.reads}
            self.__dict__["_read_index"] = index
        return index.get(display)

    def run_info(self) -> dict[str, Any]:
        cs = self.criteria
        return {
            "tool": "spcncl-score",
            "tool_version": __version__,
            "criteria_id": cs.id,
            "criteria_version": cs.version,
            "criteria_file": Path(cs.source_path or "").name,
            "criteria_sha256": cs.file_sha256,
            "criteria_fingerprint": cs.fingerprint,
            "inputs": self._inputs(),
        } | ({"council": self.council_inputs} if self.council_inputs is not None else {})

    def _inputs(self) -> list[dict[str, str]]:
        """Every file read, with its SHA-256: a table once, not once per dossier row."""
        rows = {f.display for f in self.files if f.kind == "table_row"}
        out: list[dict[str, str]] = []
        seen: set[str] = set()
        for r in self.reads:
            # a row is named TABLE#row N (a DataFrame's NAME#index): the table is what was read
            name = r.file.rsplit("#", 1)[0] if r.file in rows else r.file
            if name not in seen:
                seen.add(name)
                out.append({"file": name, "sha256": r.sha256})
        return out


def part_name(cs: CriteriaSet) -> str:
    """How a message names a part: its category, or its set and version."""
    return cs.category.id if cs.category is not None else f"{cs.id} {cs.version}"


def build_frame(cs: CriteriaSet, reads: list[DossierRead]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The scoring frame (one row per valid dossier) and the self-scores beside it."""
    ok = [r for r in reads if r.ok]
    index = pd.Index([r.file for r in ok], name="dossier")
    columns: dict[str, list[Any]] = {}
    for _, fid, k in input_slots(cs):
        key = fid if k is None else f"{fid}@{k}"
        f = cs.field(fid)
        col = [r.dossier.values.get(key) for r in ok]  # type: ignore[union-attr]
        if f is not None and f.type in ("number", "integer", "yes_no"):
            # the reader has validated these as numbers or booleans
            columns[key] = [float("nan") if v is None else float(v) for v in col]  # type: ignore[arg-type]
        else:
            columns[key] = col
    frame = pd.DataFrame(columns, index=index)
    crit_ids = [c.id for _, c in cs.criteria()]
    selfs = pd.DataFrame(
        {cid: [r.dossier.self_scores.get(cid) for r in ok] for cid in crit_ids},  # type: ignore[union-attr]
        index=index,
        dtype=float,
    )
    return frame, selfs


def enterprises(cs: CriteriaSet, frame: pd.DataFrame) -> pd.Series:
    """Each dossier's enterprise (its tax code), for the per-enterprise cap of the ranking."""
    return frame[cs.identity.tax_code] if cs.identity.tax_code in frame else pd.Series(dtype=object)


def _outcome(top: bool, top_tie: bool, recognised: bool, capped: bool, n: int, lang: str) -> tuple[str, str]:
    if top:
        return label("outcome_top", lang, n=n), "top"
    if top_tie:
        return label("outcome_top_tie", lang, n=n), "tie"
    if recognised:
        return (label("outcome_capped", lang) if capped else label("outcome_recognised", lang)), "recognised"
    return label("outcome_not_recognised", lang), "not_recognised"


def outcome_of(result: RunResult, dossier: str, lang: str) -> tuple[str, str]:
    """(text, style) of a scored dossier's outcome."""
    assert result.ranking is not None and result.scores is not None
    r = result.ranking.loc[dossier]
    recognised = bool(at(result.scores.outcome, dossier, "recognised"))
    n = result.criteria.ranking.top_n or 0
    return _outcome(bool(r["top"]), bool(r["top_tie"]), recognised, bool(r["capped"]), n, lang)


def outcomes(result: RunResult, lang: str) -> dict[str, tuple[str, str]]:
    """(text, style) of every scored dossier's outcome, by dossier."""
    assert result.ranking is not None and result.scores is not None
    rk = result.ranking
    recognised = result.scores.outcome["recognised"].reindex(rk.index).to_numpy(dtype=bool).tolist()
    n = result.criteria.ranking.top_n or 0
    columns = [rk[c].to_numpy(dtype=bool).tolist() for c in ("top", "top_tie", "capped")]
    return {
        str(d): _outcome(top, tie, rec, capped, n, lang)
        for d, top, tie, capped, rec in zip(rk.index, *columns, recognised, strict=True)
    }
