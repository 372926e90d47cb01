"""The history of recognitions across three synthetic years: recording final runs, the cohort list,
a product across years, recognitions that end, re-applicants marked in the ranking, a second
record of a cohort refused, schema migrations, and a run killed while recording.

Dossiers are the corpus base dossier (sample hn05's figures: 68 computed points) with their own
identity and a d2_technology self-score, which stands in for the council's points: total = 68 + d2.
A dossier with neither head office nor factory in Hanoi fails the location gate (not recognised).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from spcncl_score.cli.commands import app
from spcncl_score.history.database import MIGRATIONS, SCHEMA_VERSION, schema_version
from spcncl_score.history.queries import RECOGNITION_YEARS, valid_through
from spcncl_score.history.record import HOLD_ENV
from spcncl_score.intake.form import write_form
from tests.corpus import BASE_SELF_SCORES, BASE_VALUES, criteria
from tests.council_helpers import ROOT

runner = CliRunner()
RANKING = "Phân tích xếp hạng"  # the full ranking; the meeting sheet keeps ten columns
# (product number, d2 self-score, eligible) per year; product n has tax code 01990000nn
YEARS: dict[int, list[tuple[int, int, bool]]] = {
    2023: [(1, 7, True), (2, 5, True), (3, 3, False)],  # totals 75, 73, 71 (p3 fails the location gate)
    2024: [(3, 4, True), (4, 6, True)],  # p3 re-applies: 72; p4 new: 74
    2026: [(1, 9, True), (5, 2, True)],  # p1 re-applies after its recognition ended: 77; p5 new: 70
}


def tax(n: int) -> str:
    return f"01990000{n:02d}"


def write_year(folder: Path, year: int) -> Path:
    for n, d2, eligible in YEARS[year]:
        values = dict(
            BASE_VALUES,
            tax_code=tax(n),
            enterprise_name=f"Công ty Thử nghiệm {n}",
            product_name=f"Sản phẩm {n}",
            head_office_in_hanoi=eligible,
        )
        selfs = dict(BASE_SELF_SCORES, d2_technology=d2)
        folder.mkdir(parents=True, exist_ok=True)
        write_form(criteria(), folder / f"p{n}.xlsx", reporting_year=year, values=values, self_scores=selfs)
    return folder


def cli(*args: Any) -> Any:
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def evaluate(tmp: Path, year: int, *extra: Any) -> Any:
    out = tmp / f"bao-cao-{year}" / "report.xlsx"
    return cli(
        "evaluate", tmp / f"ho-so-{year}", "-o", out, "--mc-runs", 0, "-q", "--history", tmp / "h.sqlite", *extra
    )


@pytest.fixture(scope="module")
def years(tmp_path_factory) -> Path:
    """Three years of dossiers; 2023 and 2024 recorded as final runs, 2026 evaluated and recorded."""
    tmp = tmp_path_factory.mktemp("history")
    for y in YEARS:
        write_year(tmp / f"ho-so-{y}", y)
    for y in (2023, 2024):
        res = evaluate(tmp, y, "--record")
        assert res.exit_code == 0, res.output
    return tmp


def ranking_values(path: Path) -> tuple[list[Any], dict[str, list[Any]]]:
    """Header and rows (by tax code) of the ranking sheet, formulas read as their stored values."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = [list(r) for r in wb[RANKING].iter_rows(min_row=3, values_only=True)]
    finally:
        wb.close()
    return rows[0], {str(r[3]): r for r in rows[1:] if r[3]}


def dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_recognition_rule():
    assert RECOGNITION_YEARS == 3
    assert valid_through(2023) == 2025


def test_cohorts_listed(years):
    res = cli("history", "--history", years / "h.sqlite")
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[0] == "Năm · bộ tiêu chí · vòng · ngày ghi · hồ sơ · xếp hạng · công nhận"
    version = criteria().version
    assert [line.split(" · ") for line in lines[1:]] == [
        ["2023", f"hanoi-spcncl {version}", "không có Hội đồng", lines[1].split(" · ")[3], "3", "2", "2"],
        ["2024", f"hanoi-spcncl {version}", "không có Hội đồng", lines[2].split(" · ")[3], "2", "2", "2"],
    ]
    assert all(len(line.split(" · ")[3]) == 10 for line in lines[1:])  # an ISO date


def test_reapplicants_marked_beside_the_new_score(years):
    res = evaluate(years, 2026)
    assert res.exit_code == 0, res.output
    report = years / "bao-cao-2026" / "report.xlsx"
    header, rows = ranking_values(report)
    total = next(i for i, h in enumerate(header) if str(h).startswith("Tổng điểm"))
    assert header[total + 1 : total + 4] == ["Đã từng nộp", "Công nhận gần nhất", "Tổng điểm lần trước"]
    assert rows[tax(1)][total : total + 4] == [77, "Tái đăng ký (2023)", 2023, 75]
    assert rows[tax(5)][total : total + 4] == [70, None, None, None]
    res = cli(
        "evaluate", years / "ho-so-2026", "--no-report", "--format", "json", "--mc-runs", 0, "--history",
        years / "h.sqlite",
    )  # fmt: skip
    previous = {r["tax_code"]: r["previous"] for r in json.loads(res.stdout)["results"]}
    assert previous == {tax(1): {"last_year": 2023, "last_total": 75, "last_recognised": 2023}, tax(5): None}
    # nothing was recorded: the runs were not final
    assert len(cli("history", "--history", years / "h.sqlite").stdout.splitlines()) == 3


def test_reapplicant_never_recognised(years, tmp_path):
    # the 2024 cohort seen again, as if evaluated before it was recorded: p3 applied in 2023 and failed
    res = cli(
        "evaluate", years / "ho-so-2024", "-o", tmp_path / "r.xlsx", "--mc-runs", 0, "-q", "--history",
        years / "h.sqlite",
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    header, rows = ranking_values(tmp_path / "r.xlsx")
    total = next(i for i, h in enumerate(header) if str(h).startswith("Tổng điểm"))
    assert rows[tax(3)][total : total + 4] == [72, "Tái đăng ký (2023)", None, 71]
    assert rows[tax(4)][total : total + 4] == [74, None, None, None]


def test_report_without_history_has_no_history_columns(years, tmp_path):
    res = cli("evaluate", years / "ho-so-2026", "-o", tmp_path / "r.xlsx", "--mc-runs", 0, "-q")
    assert res.exit_code == 0
    assert not (tmp_path / "spcncl-history.sqlite").exists()  # reading never creates a database
    header, _ = ranking_values(tmp_path / "r.xlsx")
    assert "Đã từng nộp" not in header and "Tổng điểm lần trước" not in header


def test_third_year_recorded_then_product_view_and_expiring(years, tmp_path):
    db = tmp_path / "h.sqlite"
    db.write_bytes((years / "h.sqlite").read_bytes())
    res = cli("evaluate", years / "ho-so-2026", "--no-report", "--mc-runs", 0, "--history", db, "--record", "-q")
    assert res.exit_code == 0, res.output

    res = cli("history", "product", tax(1), "--history", db)
    assert res.exit_code == 0
    assert res.stdout == (
        "MST 0199000001: năm · vòng · sản phẩm · tổng điểm · hạng · kết quả · hiệu lực đến\n"
        "2023 · không có Hội đồng · Sản phẩm 1 · 75 · 1 · Top · 2025\n"
        "2026 · không có Hội đồng · Sản phẩm 1 · 77 · 1 · Top · 2028\n"
    )
    res = cli("history", "product", tax(3), "--history", db, "--lang", "en")
    assert res.stdout == (
        "Tax code 0199000003: year · round · product · total · rank · outcome · valid through\n"
        "2023 · no council · Sản phẩm 3 · 71 · — · not recognised\n"
        "2024 · no council · Sản phẩm 3 · 72 · 2 · Top · 2026\n"
    )
    res = cli("history", "product", "0100000000", "--history", db)
    assert res.exit_code == 1 and res.stdout == "Không có hồ sơ nào của MST 0100000000.\n"

    res = cli("history", "expiring", "--year", 2025, "--history", db)
    assert res.exit_code == 0
    assert res.stdout == (
        "Công nhận hết hiệu lực năm 2025 (công nhận năm 2023, hiệu lực 3 năm): "
        "doanh nghiệp · MST · sản phẩm · tổng điểm · công nhận lại\n"
        "Công ty Thử nghiệm 1 · 0199000001 · Sản phẩm 1 · 75 · công nhận lại năm 2026\n"
        "Công ty Thử nghiệm 2 · 0199000002 · Sản phẩm 2 · 73\n"
    )
    res = cli("history", "expiring", "--year", 2026, "--history", db, "--lang", "en")
    assert res.stdout.splitlines()[1:] == [
        "Công ty Thử nghiệm 3 · 0199000003 · Sản phẩm 3 · 72",
        "Công ty Thử nghiệm 4 · 0199000004 · Sản phẩm 4 · 74",
    ]
    res = cli("history", "expiring", "--year", 2024, "--history", db)
    assert res.stdout == "Không có công nhận nào hết hiệu lực năm 2024.\n"

    # the points per criterion, the identity and the hashes are kept
    conn = sqlite3.connect(db)
    try:
        row = conn.execute(
            """SELECT e.enterprise, e.product, e.sha256, p.points FROM entries e JOIN cohorts c ON c.id = e.cohort_id
               JOIN points p ON p.entry_id = e.id WHERE c.reporting_year = 2026 AND e.tax_code = ?
               AND p.criterion = 'd2_technology'""",
            (tax(1),),
        ).fetchone()
        crit_sha = conn.execute("SELECT DISTINCT criteria_sha256 FROM cohorts").fetchall()
    finally:
        conn.close()
    import hashlib

    assert row[:2] == ("Công ty Thử nghiệm 1", "Sản phẩm 1") and row[3] == 9
    assert row[2] == hashlib.sha256((years / "ho-so-2026" / "p1.xlsx").read_bytes()).hexdigest()
    assert crit_sha == [(criteria().file_sha256,)]


def test_same_cohort_recorded_twice_is_refused_unless_force(years, tmp_path):
    db = tmp_path / "h.sqlite"
    db.write_bytes((years / "h.sqlite").read_bytes())
    before = dump(db)
    out = tmp_path / "r.xlsx"
    res = cli("evaluate", years / "ho-so-2024", "-o", out, "--mc-runs", 0, "--history", db, "--record", "-q")
    assert res.exit_code == 2
    assert "Đợt hanoi-spcncl năm 2024 (không có Hội đồng) đã được ghi vào lịch sử ngày" in res.output
    assert "Dùng --force để thay bản ghi cũ. [history-cohort-recorded]" in res.output
    assert not out.exists()  # refused before anything was written
    assert dump(db) == before
    res = cli("evaluate", years / "ho-so-2024", "-o", out, "--mc-runs", 0, "--history", db, "--record", "--force")
    assert res.exit_code == 0, res.output
    lines = cli("history", "--history", db).stdout.splitlines()
    assert [line.split(" · ")[0] for line in lines[1:]] == ["2023", "2024"]  # replaced, not doubled


def test_year_option_and_missing_year(years, tmp_path):
    db = tmp_path / "h.sqlite"
    res = cli(
        "evaluate", years / "ho-so-2026", "--no-report", "--mc-runs", 0, "--history", db, "--record", "--year", 2027
    )
    assert res.exit_code == 0, res.output
    assert cli("history", "--history", db).stdout.splitlines()[1].startswith("2027 · ")
    mixed = tmp_path / "mixed"
    for y in (2023, 2024):
        write_year(mixed / str(y), y)
    res = cli("evaluate", mixed, "--no-report", "--mc-runs", 0, "--history", tmp_path / "m.sqlite", "--record")
    assert res.exit_code == 2
    assert "Hồ sơ ghi nhiều năm báo cáo khác nhau (2023, 2024); dùng --year để chọn năm của đợt." in res.output
    assert not (tmp_path / "m.sqlite").exists()


def test_history_commands_without_a_database(tmp_path):
    res = cli("history", "--history", tmp_path / "none.sqlite", "--lang", "en")
    assert res.exit_code == 2
    assert "There is no history database" in res.output and "evaluate … --record creates it" in res.output
    assert not (tmp_path / "none.sqlite").exists()
    (tmp_path / "junk.sqlite").write_bytes(b"not a database at all" * 100)
    res = cli("history", "expiring", "--year", 2026, "--history", tmp_path / "junk.sqlite")
    assert res.exit_code == 2 and "Không dùng được cơ sở dữ liệu lịch sử" in res.output


def test_migrations_are_ordered_and_an_old_database_is_brought_up_to_date(years, tmp_path):
    assert [v for v, _ in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))
    db = tmp_path / "old.sqlite"
    conn = sqlite3.connect(db)
    for sql in MIGRATIONS[0][1]:
        conn.execute(sql)
    conn.execute("UPDATE schema_version SET version = 1")
    conn.commit()
    conn.close()
    res = cli("history", "--history", db)  # a reader accepts the older schema and leaves it alone
    assert res.exit_code == 0 and res.stdout == "Lịch sử chưa có đợt nào.\n"
    conn = sqlite3.connect(db)
    assert schema_version(conn) == 1
    conn.close()
    res = cli("evaluate", years / "ho-so-2023", "--no-report", "--mc-runs", 0, "--history", db, "--record")
    assert res.exit_code == 0, res.output
    conn = sqlite3.connect(db)
    try:
        assert schema_version(conn) == SCHEMA_VERSION
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert "entries_tax_code" in indexes
    finally:
        conn.close()


def test_newer_schema_is_refused(years, tmp_path):
    db = tmp_path / "new.sqlite"
    db.write_bytes((years / "h.sqlite").read_bytes())
    conn = sqlite3.connect(db)
    conn.execute("UPDATE schema_version SET version = 99")
    conn.commit()
    conn.close()
    res = cli("history", "--history", db, "--lang", "en")
    assert res.exit_code == 2
    assert f"has schema version 99, newer than the version {SCHEMA_VERSION} this tool knows" in res.output
    res = cli("evaluate", years / "ho-so-2026", "--no-report", "--mc-runs", 0, "--history", db, "--record")
    assert res.exit_code == 2


def test_run_killed_while_recording_leaves_the_database_as_it_was(years, tmp_path):
    db = tmp_path / "h.sqlite"
    db.write_bytes((years / "h.sqlite").read_bytes())
    before = dump(db)
    marker = tmp_path / "holding"
    env = dict(os.environ, PYTHONPATH=str(ROOT), **{HOLD_ENV: str(marker)})
    cmd = [sys.executable, "-m", "spcncl_score", "evaluate", str(years / "ho-so-2026"), "--no-report"]
    cmd += ["--mc-runs", "0", "-q", "--history", str(db), "--record"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the recording never reached its transaction"
            time.sleep(0.05)
        # the rows are written inside the open transaction: kill the run there
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()  # type: ignore[union-attr]
        proc.stderr.close()  # type: ignore[union-attr]
    assert proc.returncode == -signal.SIGKILL
    res = cli("history", "--history", db)  # still opens, the half-written cohort is not there
    assert res.exit_code == 0
    assert [line.split(" · ")[0] for line in res.stdout.splitlines()[1:]] == ["2023", "2024"]
    assert dump(db) == before
    # and the interrupted cohort can be recorded afterwards
    res = cli("evaluate", years / "ho-so-2026", "--no-report", "--mc-runs", 0, "--history", db, "--record", "-q")
    assert res.exit_code == 0, res.output


def test_folder_as_database_and_nothing_to_record(tmp_path):
    res = cli("history", "--history", tmp_path, "--lang", "en")
    assert res.exit_code == 2
    assert f"The history database '{tmp_path}' cannot be used: a folder, not a file" in res.output
    (tmp_path / "rong").mkdir()
    db = tmp_path / "h.sqlite"
    res = cli("evaluate", tmp_path / "rong", "--no-report", "--history", db, "--record", "--year", 2025, "--lang", "en")
    assert res.exit_code == 2 and "No dossier was scored: nothing is recorded in the history." in res.output
    assert not db.exists()
