"""What the history answers: past cohorts, a product across years, recognitions that end, and
what a new cohort's re-applicants did last time."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spcncl_score.history.database import open_for_reading
from spcncl_score.history.record import inputs_sha256, product_key
from spcncl_score.scoring.result import PastApplication, RunResult

# Recognition lasts three years (domain README, "The process", step 4: "24 months before 2018; three
# years since"): a product recognised in year Y is recognised through Y + RECOGNITION_YEARS - 1.
RECOGNITION_YEARS = 3

# A preliminary round proposes; only the official round (or a run without a council) decides.
DECIDING = "round <> 'preliminary'"


def valid_through(year: int) -> int:
    return year + RECOGNITION_YEARS - 1


@dataclass(frozen=True)
class CohortRow:
    criteria_id: str
    criteria_version: str
    year: int
    round: str
    recorded_on: str
    dossiers: int
    ranked: int
    recognised: int


@dataclass(frozen=True)
class ProductYear:
    year: int
    round: str
    criteria_version: str
    enterprise: str
    product: str
    total: float | None
    rank: int | None
    outcome: str
    recognised: bool

    @property
    def valid_through(self) -> int | None:
        return valid_through(self.year) if self.recognised and self.round != "preliminary" else None


@dataclass(frozen=True)
class Expiring:
    year: int  # recognised in
    tax_code: str
    enterprise: str
    product: str
    total: float | None
    renewed: int | None  # a later recognition of the same product, if any


def _rows(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
    conn = open_for_reading(path)
    try:
        conn.row_factory = sqlite3.Row
        return list(conn.execute(sql, params))
    finally:
        conn.close()


def cohorts(path: Path) -> list[CohortRow]:
    rows = _rows(
        path,
        """SELECT c.criteria_id, c.criteria_version, c.reporting_year, c.round, c.recorded_on,
                  COUNT(e.id) AS dossiers, COUNT(e.rank) AS ranked, COALESCE(SUM(e.recognised), 0) AS recognised
           FROM cohorts c LEFT JOIN entries e ON e.cohort_id = c.id
           GROUP BY c.id ORDER BY c.reporting_year, c.criteria_id, c.round""",
    )
    return [
        CohortRow(
            r["criteria_id"],
            r["criteria_version"],
            r["reporting_year"],
            r["round"],
            r["recorded_on"],
            r["dossiers"],
            r["ranked"],
            r["recognised"],
        )
        for r in rows
    ]


def product_history(path: Path, tax_code: str) -> list[ProductYear]:
    rows = _rows(
        path,
        """SELECT c.reporting_year, c.round, c.criteria_version, e.enterprise, e.product, e.total, e.rank,
                  e.outcome, e.recognised
           FROM entries e JOIN cohorts c ON c.id = e.cohort_id
           WHERE e.tax_code = ?
           ORDER BY e.product_key, c.reporting_year, c.round""",
        (tax_code.strip(),),
    )
    return [
        ProductYear(
            r["reporting_year"],
            r["round"],
            r["criteria_version"],
            r["enterprise"],
            r["product"],
            r["total"],
            r["rank"],
            r["outcome"],
            bool(r["recognised"]),
        )
        for r in rows
    ]


def expiring(path: Path, year: int) -> list[Expiring]:
    """Recognitions whose validity ends in ``year`` (recognised in year - RECOGNITION_YEARS + 1)."""
    since = year - RECOGNITION_YEARS + 1
    rows = _rows(
        path,
        f"""SELECT c.reporting_year, e.tax_code, e.enterprise, e.product, e.total,
                  (SELECT MIN(c2.reporting_year) FROM entries e2 JOIN cohorts c2 ON c2.id = e2.cohort_id
                   WHERE e2.tax_code = e.tax_code AND e2.product_key = e.product_key AND e2.recognised = 1
                     AND c2.criteria_id = c.criteria_id AND c2.reporting_year > c.reporting_year
                     AND c2.{DECIDING}) AS renewed
           FROM entries e JOIN cohorts c ON c.id = e.cohort_id
           WHERE c.reporting_year = ? AND e.recognised = 1 AND c.{DECIDING}
           ORDER BY e.enterprise, e.product""",
        (since,),
    )
    return [
        Expiring(r["reporting_year"], r["tax_code"], r["enterprise"], r["product"], r["total"], r["renewed"])
        for r in rows
    ]


def previous_for(
    path: Path, result: RunResult, year: int | None, this_run: str | None = None
) -> dict[str, PastApplication]:
    """Each dossier of this run that applied in an earlier cohort of the same criteria (matched by
    tax code and product name): its last year, total and recognition. ``year``: this cohort's
    year (without one, every other cohort counts as earlier); a cohort of this very run's inputs never
    counts. ``this_run``: the hash of the cohort this run records, when it is more than ``result``
    (a set's categories are one cohort)."""
    cs = result.criteria
    rows = _rows(
        path,
        f"""SELECT e.tax_code, e.product_key, c.reporting_year, e.total, e.recognised, c.inputs_sha256
           FROM entries e JOIN cohorts c ON c.id = e.cohort_id
           WHERE c.criteria_id = ? AND c.{DECIDING} AND e.tax_code <> ''
           ORDER BY c.reporting_year""",
        (cs.id,),
    )
    this_run = this_run or inputs_sha256(result)
    seen: dict[tuple[str, str], list[sqlite3.Row]] = {}
    for r in rows:
        if (year is not None and r["reporting_year"] >= year) or r["inputs_sha256"] == this_run:
            continue
        seen.setdefault((r["tax_code"], r["product_key"]), []).append(r)
    out: dict[str, PastApplication] = {}
    for read in result.reads:
        d = read.dossier
        if not read.ok or d is None:
            continue
        key = (d.text(cs.identity.tax_code), product_key(d.text(cs.identity.product)))
        past = seen.get(key)
        if not past:
            continue
        last = past[-1]
        recognised = [r["reporting_year"] for r in past if r["recognised"]]
        out[read.file] = PastApplication(last["reporting_year"], last["total"], max(recognised) if recognised else None)
    return out
