"""Recording a final run (``evaluate --record``) as a cohort of the history, in one transaction."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from spcncl_score import __version__
from spcncl_score.history.database import migrate, open_for_reading, open_for_writing, unusable
from spcncl_score.i18n import L, label
from spcncl_score.intake.reader import DossierRead
from spcncl_score.issues import Location, SpcnclError, error
from spcncl_score.scoring.frames import at
from spcncl_score.scoring.result import RunResult, outcomes

# For the test that kills a run in the middle of recording: when set, the recording creates this
# file once its rows are written, then waits inside the open transaction (never set it otherwise).
HOLD_ENV = "SPCNCL_TEST_HOLD_HISTORY_WRITE"
NO_ROUND = ""  # a run without a council: the working group's computed scores


@dataclass
class Entry:
    file: str
    sha256: str
    tax_code: str
    enterprise: str
    product: str
    total: float | None
    outcome: str  # top, tie, recognised, not_recognised, not_ranked
    recognised: bool
    rank: int | None
    points: dict[str, float | None] = field(default_factory=dict)

    @property
    def product_key(self) -> str:
        return product_key(self.product)


@dataclass
class Cohort:
    criteria_id: str
    criteria_version: str
    criteria_file: str
    criteria_sha256: str
    criteria_fingerprint: str
    reporting_year: int
    round: str
    recorded_on: str
    inputs_sha256: str
    council_sha256: str | None
    entries: list[Entry]

    @property
    def recognised(self) -> int:
        return sum(1 for e in self.entries if e.recognised)


def product_key(product: str) -> str:
    """How a product is recognised again in a later year: its name, case and spacing aside."""
    return " ".join(unicodedata.normalize("NFC", product).casefold().split())


def cohort_year(result: RunResult, year: int | None) -> int:
    """The cohort's year: ``year`` if given, else the reporting year all scored dossiers state."""
    if year is not None:
        return year
    years = Counter(r.dossier.reporting_year for r in result.reads if r.ok and r.dossier is not None)
    stated = sorted(y for y in years if y is not None)
    if len(stated) == 1 and None not in years:
        return stated[0]
    if len(stated) > 1:
        raise SpcnclError([error("history-year-mixed", Location(), years=[str(y) for y in stated])])
    raise SpcnclError([error("history-year-unknown", Location())])


def cohort_of(result: RunResult, year: int, recorded_on: str) -> Cohort:
    """The rows a final run adds to the history: every dossier read, ranked or not."""
    cs = result.criteria
    council = result.council.council if result.council is not None else None
    shown = outcomes(result, "en") if result.ranking is not None and result.scores is not None else {}
    ranked = set(shown)
    entries: list[Entry] = []
    for r in result.reads:
        d = r.dossier
        ident = [d.text(f) if d is not None else "" for f in (cs.identity.tax_code, cs.identity.enterprise)]
        product = d.text(cs.identity.product) if d is not None else ""
        if r.file in ranked and result.scores is not None and result.ranking is not None:
            rank = at(result.ranking, r.file, "rank")
            entries.append(
                Entry(
                    r.file,
                    r.sha256,
                    ident[0],
                    ident[1],
                    product,
                    float(at(result.scores.total, r.file)),
                    shown[r.file][1],
                    bool(at(result.scores.outcome, r.file, "recognised")),
                    None if pd.isna(rank) else int(rank),
                    {c.id: _num(at(result.scores.points, r.file, c.id)) for _, c in cs.criteria()},
                )
            )
        else:
            entries.append(Entry(r.file, r.sha256, ident[0], ident[1], product, None, "not_ranked", False, None))
    if not any(e.rank is not None or e.total is not None for e in entries):
        raise SpcnclError([error("history-nothing-to-record", Location())])
    council_sha = (result.council_inputs or {}).get("sha256")
    return Cohort(
        cs.id,
        cs.version,
        Path(cs.source_path or "").name,
        cs.file_sha256 or "",
        cs.fingerprint,
        year,
        council.round if council is not None else NO_ROUND,
        recorded_on,
        inputs_sha256(result),
        council_sha,
        entries,
    )


def cohorts_of(result: RunResult, year: int, recorded_on: str) -> list[Cohort]:
    """The cohorts a final run adds: one, or in a run in parts one per criteria set.

    A set's categories are one cohort (one scheme, one year), with the set's own fingerprint; a
    file read with no set (not a form) belongs to no scheme and is in no cohort of a mixed run."""
    if not result.parts:
        return [cohort_of(result, year, recorded_on)]
    by_set: dict[str, list[Cohort]] = {}
    for part in result.parts:
        try:
            by_set.setdefault(part.criteria.id, []).append(cohort_of(part, year, recorded_on))
        except SpcnclError:
            continue  # a part with nothing scored: said once below if no part has anything
    if not by_set:
        raise SpcnclError([error("history-nothing-to-record", Location())])
    out: list[Cohort] = []
    base = result.criteria
    for cohorts in by_set.values():
        first = cohorts[0]
        if len(cohorts) == 1 and base.categories is None:
            out.append(first)
            continue
        entries = [e for c in cohorts for e in c.entries]
        out.append(
            Cohort(
                base.id,
                base.version,
                first.criteria_file,
                first.criteria_sha256,
                base.fingerprint,
                year,
                first.round,
                recorded_on,
                reads_sha256(set_reads(result, first.criteria_id)),
                first.council_sha256,
                entries,
            )
        )
    return out


def set_reads(result: RunResult, criteria_id: str) -> list[DossierRead]:
    """The dossiers of a run in parts scored with one criteria set (any of its categories)."""
    return [r for p in result.parts if p.criteria.id == criteria_id for r in p.reads]


def inputs_sha256(result: RunResult) -> str:
    """One hash of the run's dossiers (names and contents), for recognising the same cohort."""
    return reads_sha256(result.reads)


def reads_sha256(reads: list[DossierRead]) -> str:
    """One hash of dossiers' names and contents."""
    h = hashlib.sha256()
    for r in sorted(reads, key=lambda r: r.file):
        h.update(f"{r.file}\0{r.sha256}\0".encode())
    return h.hexdigest()


def _num(v: Any) -> float | None:
    return None if pd.isna(v) else float(v)


def check_recordable(path: Path, cohort: Cohort, force: bool) -> None:
    """Refuse early, before any report is written: an unusable database, or (unless ``force``) a
    cohort that the history already holds."""
    if not path.exists():
        return
    conn = open_for_reading(path)
    try:
        if not force:
            _refuse_existing(conn, path, cohort)
    finally:
        conn.close()


def record(path: Path, cohort: Cohort, *, force: bool = False) -> None:
    """Write the cohort in one transaction: all of it, or (killed, failing) nothing.

    The same cohort (criteria, year, round) recorded twice is refused unless ``force``, which
    replaces the earlier record.
    """
    conn = open_for_writing(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            migrate(conn, path)
            if force:
                conn.execute(
                    "DELETE FROM cohorts WHERE criteria_id = ? AND reporting_year = ? AND round = ?",
                    (cohort.criteria_id, cohort.reporting_year, cohort.round),
                )
            else:
                _refuse_existing(conn, path, cohort)
            _insert(conn, cohort)
            _hold_for_test()
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    except sqlite3.DatabaseError as exc:
        raise unusable(path, str(exc)) from exc
    finally:
        conn.close()


def _refuse_existing(conn: sqlite3.Connection, path: Path, cohort: Cohort) -> None:
    row = conn.execute(
        "SELECT recorded_on FROM cohorts WHERE criteria_id = ? AND reporting_year = ? AND round = ?",
        (cohort.criteria_id, cohort.reporting_year, cohort.round),
    ).fetchone()
    if row is not None:
        raise SpcnclError(
            [
                error(
                    "history-cohort-recorded",
                    Location(file=str(path)),
                    criteria=cohort.criteria_id,
                    year=cohort.reporting_year,
                    round=round_text(cohort.round),
                    date=row[0],
                )
            ]
        )


def round_text(code: str) -> L:
    """The cohort's round in both languages (a run without a council has none)."""
    key = f"round_{code}" if code else "history_no_round"
    return L(label(key, "vi"), label(key, "en"))


def _insert(conn: sqlite3.Connection, c: Cohort) -> None:
    cur = conn.execute(
        """INSERT INTO cohorts (criteria_id, criteria_version, criteria_file, criteria_sha256,
            criteria_fingerprint, reporting_year, round, recorded_on, tool_version, inputs_sha256,
            council_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            c.criteria_id,
            c.criteria_version,
            c.criteria_file,
            c.criteria_sha256,
            c.criteria_fingerprint,
            c.reporting_year,
            c.round,
            c.recorded_on,
            __version__,
            c.inputs_sha256,
            c.council_sha256,
        ),
    )
    cohort_id = cur.lastrowid
    for e in c.entries:
        cur = conn.execute(
            """INSERT INTO entries (cohort_id, file, sha256, tax_code, enterprise, product, product_key,
                total, outcome, recognised, rank) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                cohort_id,
                e.file,
                e.sha256,
                e.tax_code,
                e.enterprise,
                e.product,
                e.product_key,
                e.total,
                e.outcome,
                int(e.recognised),
                e.rank,
            ),
        )
        entry_id = cur.lastrowid
        conn.executemany(
            "INSERT INTO points (entry_id, criterion, points) VALUES (?, ?, ?)",
            [(entry_id, k, v) for k, v in e.points.items()],
        )


def _hold_for_test() -> None:
    marker = os.environ.get(HOLD_ENV)
    if marker:
        Path(marker).write_text("holding", encoding="utf-8")
        time.sleep(600)
