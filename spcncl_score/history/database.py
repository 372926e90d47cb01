"""The history database: one SQLite file (no server), its schema and the migrations that build it.

Migrations are an explicit ordered list; the database records the last one applied in
``schema_version``. Only a final run (``evaluate --record``) writes, and it migrates and records in
one transaction. Readers never migrate: they accept any older schema (every query below is valid
from version 1 on) and refuse a newer one, which this version of the tool cannot know.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from spcncl_score.i18n import L
from spcncl_score.issues import Location, SpcnclError, error

DEFAULT_NAME = "spcncl-history.sqlite"

# (version, statements): append only; never edit a migration that has shipped.
MIGRATIONS: list[tuple[int, tuple[str, ...]]] = [
    (
        1,
        (
            "CREATE TABLE schema_version (version INTEGER NOT NULL)",
            "INSERT INTO schema_version (version) VALUES (0)",
            """CREATE TABLE cohorts (
                id INTEGER PRIMARY KEY,
                criteria_id TEXT NOT NULL,
                criteria_version TEXT NOT NULL,
                criteria_file TEXT NOT NULL,
                criteria_sha256 TEXT NOT NULL,
                criteria_fingerprint TEXT NOT NULL,
                reporting_year INTEGER NOT NULL,
                round TEXT NOT NULL,
                recorded_on TEXT NOT NULL,
                tool_version TEXT NOT NULL,
                inputs_sha256 TEXT NOT NULL,
                council_sha256 TEXT,
                UNIQUE (criteria_id, reporting_year, round)
            )""",
            """CREATE TABLE entries (
                id INTEGER PRIMARY KEY,
                cohort_id INTEGER NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
                file TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                tax_code TEXT NOT NULL,
                enterprise TEXT NOT NULL,
                product TEXT NOT NULL,
                product_key TEXT NOT NULL,
                total REAL,
                outcome TEXT NOT NULL,
                recognised INTEGER NOT NULL,
                rank INTEGER
            )""",
            """CREATE TABLE points (
                entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
                criterion TEXT NOT NULL,
                points REAL,
                PRIMARY KEY (entry_id, criterion)
            )""",
        ),
    ),
    (
        2,
        # a product's history and the re-applicant marks look entries up by tax code
        ("CREATE INDEX entries_tax_code ON entries (tax_code, product_key)",),
    ),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


def schema_version(conn: sqlite3.Connection) -> int:
    """The last migration applied (0: an empty database)."""
    has = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").fetchone()
    if not has:
        return 0
    row = conn.execute("SELECT version FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Apply the migrations not yet applied, inside the caller's transaction; return the version."""
    current = schema_version(conn)
    _refuse_newer(current, path)
    for version, statements in MIGRATIONS:
        if version <= current:
            continue
        for sql in statements:
            conn.execute(sql)
        conn.execute("UPDATE schema_version SET version = ?", (version,))
        current = version
    return current


def open_for_reading(path: Path) -> sqlite3.Connection:
    """Open an existing history database; never creates or migrates it."""
    if path.is_dir():
        raise unusable(path, L("là một thư mục, không phải tệp", "a folder, not a file"))
    if not path.is_file():
        raise SpcnclError([error("history-not-found", Location(file=str(path)), path=str(path))])
    try:
        # read-write without create: a hot journal left by a killed run must be rolled back on open
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, isolation_level=None)
        version = schema_version(conn)
    except sqlite3.DatabaseError as exc:
        raise SpcnclError(
            [error("history-unreadable", Location(file=str(path)), path=str(path), detail=str(exc))]
        ) from exc
    if version == 0:
        conn.close()
        raise unusable(path, "no schema_version table")
    try:
        _refuse_newer(version, path)
    except SpcnclError:
        conn.close()
        raise
    return conn


def open_for_writing(path: Path) -> sqlite3.Connection:
    """Open (creating it if need be) the database for a final run's record; transactions are explicit."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        schema_version(conn)
    except (sqlite3.DatabaseError, OSError) as exc:
        raise SpcnclError(
            [error("history-unreadable", Location(file=str(path)), path=str(path), detail=str(exc))]
        ) from exc
    return conn


def unusable(path: Path, detail: str | L) -> SpcnclError:
    return SpcnclError([error("history-unreadable", Location(file=str(path)), path=str(path), detail=detail)])


def _refuse_newer(version: int, path: Path) -> None:
    if version > SCHEMA_VERSION:
        raise SpcnclError(
            [
                error(
                    "history-newer-schema",
                    Location(file=str(path)),
                    path=str(path),
                    found=version,
                    known=SCHEMA_VERSION,
                )
            ]
        )
