"""Hostile workbooks: each is built here from a good sample (no committed binaries), read in a child
process whose peak memory and time are measured, and must end as an issue of its own file while
the good dossiers beside it are ranked exactly as without it.

Limits (issue "Hostile and careless input"): peak memory on any hostile workbook <= 300 MB, time
<= 5 s. The times asserted here are generous ceilings for a loaded CI machine, not benchmarks.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.child import measure

resource = pytest.importorskip("resource")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "hanoi"
RSS_LIMIT_MB = 300
TIME_LIMIT_S = 5.0


def evaluate_json(folder: Path) -> tuple[dict, float, float, str]:
    """(result JSON, peak RSS MB, seconds, stderr) of `evaluate FOLDER --format json` in a child."""
    m = measure(
        sys.executable, "-m", "spcncl_score", "evaluate", folder, "--no-report", "--format", "json", "--mc-runs", "0"
    )
    return json.loads(m.stdout), m.peak_mb, m.seconds, m.stderr


def rewrite_member(src: Path, dest: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, change(data) if info.filename == member else data)
    return dest


def lying_bomb(src: Path, dest: Path, member: str = "xl/worksheets/sheet1.xml", junk_mb: int = 512) -> Path:
    """``member`` followed, in its deflate stream, by ``junk_mb`` MB of spaces, while both headers
    still state the member's true size and CRC: an inflater that trusts the stream, not the size,
    produces half a gigabyte from a file of ~0.5 MB."""
    with zipfile.ZipFile(src) as zin:
        members = [(i, zin.read(i)) for i in zin.infolist()]
    out = bytearray()
    central = bytearray()
    for info, data in members:
        name = info.filename.encode()
        if info.filename == member:
            comp = zlib.compressobj(9, zlib.DEFLATED, -15)
            body = bytearray(comp.compress(data))
            chunk = b" " * (1 << 20)
            for _ in range(junk_mb):
                body += comp.compress(chunk)
            body += comp.flush()
        else:
            comp = zlib.compressobj(9, zlib.DEFLATED, -15)
            body = bytearray(comp.compress(data) + comp.flush())
        crc = zlib.crc32(data)
        offset = len(out)
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(body), len(data), len(name), 0)
        out += name + body
        central += struct.pack(
            "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(body), len(data), len(name), 0, 0, 0, 0,
            0, offset,
        )  # fmt: skip
        central += name
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(out), 0)
    dest.write_bytes(bytes(out + central + end))
    return dest


def far_cell(src: Path, dest: Path) -> Path:
    """One value at XFD1048576: calamine would lay out 17 billion cells (it aborted the process)."""

    def change(xml: bytes) -> bytes:
        far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace(b"</sheetData>", far + b"</sheetData>")

    return rewrite_member(src, dest, "xl/worksheets/sheet1.xml", change)


def far_cell_quoted(src: Path, dest: Path, row: bytes = b"r='1048576'", cell: bytes = b"r='XFD1048576'") -> Path:
    """A far cell whose position is written as calamine reads it but not as Excel writes it (single
    quotes here): calamine lays it out all the same (it aborted the process)."""

    def change(xml: bytes) -> bytes:
        far = b"<row " + row + b"><c " + cell + b' t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace(b"</sheetData>", far + b"</sheetData>")

    return rewrite_member(src, dest, "xl/worksheets/sheet1.xml", change)


def far_cell_without_positions(src: Path, dest: Path) -> Path:
    """The same far reach without any r= attribute: a million rows, then a row of 16,384 cells."""

    def change(xml: bytes) -> bytes:
        cells = b"<c/>" * 16_383 + b'<c t="inlineStr"><is><t>x</t></is></c>'
        far = b"<row/>" * 1_048_000 + b"<row>" + cells + b"</row>"
        return xml.replace(b"</sheetData>", far + b"</sheetData>")

    return rewrite_member(src, dest, "xl/worksheets/sheet1.xml", change)


def honest_bomb(src: Path, dest: Path) -> Path:
    """A 200 MB custom part that says so in its headers."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        zout.writestr("xl/bom.xml", b" " * (200 << 20))
    return dest


def many_members(src: Path, dest: Path, count: int = 20_000) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        for i in range(count):
            zout.writestr(f"xl/extra/{i}.xml", b"")
    return dest


HOSTILE: dict[str, tuple[Callable[[Path, Path], Path], str | None]] = {
    # name -> (builder, the issue code of that file, or None when it must read as the good form)
    "bom-noi-doi.xlsx": (lying_bomb, None),
    "o-xa-xfd.xlsx": (far_cell, "sheet-too-large"),
    "o-xa-nhay-don.xlsx": (far_cell_quoted, "sheet-too-large"),
    # its million empty rows compress 500:1: refused on the ratio before its sheet is looked at
    "o-xa-khong-toa-do.xlsx": (far_cell_without_positions, "file-too-large"),
    "bom-thanh-that.xlsx": (honest_bomb, "file-too-large"),
    "qua-nhieu-phan.xlsx": (many_members, "file-corrupt-zip"),
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid form of an enterprise of its own (the corpus's: scored, never ranked), to damage."""
    from tests import corpus

    return corpus.write_dossier(tmp_path_factory.mktemp("base") / "base.xlsx", 901)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("good")
    for f in SAMPLES.glob("*.xlsx"):
        shutil.copy(f, folder / f.name)
    result, _, _, _ = evaluate_json(folder)
    return result


def ranks(result: dict) -> dict[str, tuple[object, object]]:
    return {d["file"]: (d.get("rank"), d.get("total")) for d in result["results"]}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_workbook_is_its_own_issue_in_bounded_memory_and_time(
    name: str, baseline: dict, base: Path, tmp_path: Path
) -> None:
    build, code = HOSTILE[name]
    folder = tmp_path / "in"
    folder.mkdir()
    for f in SAMPLES.glob("*.xlsx"):
        shutil.copy(f, folder / f.name)
    hostile = build(base, folder / name)
    before = {p.name: sha(p) for p in folder.iterdir()}
    result, rss_mb, seconds, stderr = evaluate_json(folder)
    assert "Traceback" not in stderr and "Internal error" not in stderr and "Lỗi nội bộ" not in stderr
    assert rss_mb <= RSS_LIMIT_MB, f"{name}: peak {rss_mb:.0f} MB"
    assert seconds <= 4 * TIME_LIMIT_S, f"{name}: {seconds:.1f} s"  # a loaded CI machine; see benchmarks
    found = [i for i in result["issues"] if i["location"].get("file") == hostile.name]
    if code is None:
        assert not [i for i in found if i["severity"] == "error"], found
    else:
        assert code in [i["code"] for i in found], found
    good = {k: v for k, v in ranks(result).items() if k != hostile.name}
    assert good == ranks(baseline)
    assert {p.name: sha(p) for p in folder.iterdir()} == before


def test_the_far_cell_message_names_the_sheet_and_the_extent(base: Path, tmp_path: Path) -> None:
    from spcncl_score.criteria.loader import load_or_raise
    from spcncl_score.intake.reader import read_dossier

    cs, _ = load_or_raise("hanoi-spcncl")
    read = read_dossier(far_cell(base, tmp_path / "x.xlsx"), cs, "x.xlsx")
    (issue,) = [i for i in read.issues if i.code == "sheet-too-large"]
    assert issue.location.sheet == "Hồ sơ"
    assert issue.message("vi") == (
        "Trang tính 'Hồ sơ' có thể trải tới 1048605 hàng × 16582 cột, vượt giới hạn 2000000 ô; không đọc để bảo vệ "
        "bộ nhớ (có thể có một ô nhập ở rất xa: hãy xoá các hàng, cột thừa)."
    )


@pytest.mark.parametrize(
    ("row", "cell"),
    [
        (b"r='3000'", b"r='ZZ3000'"),  # single quotes
        (b'r = "3000"', b'r =\t"ZZ3000"'),  # spaces around '='
        (b'r="3000"', b'r="zz3000"'),  # lower-case column
        (b'r="000000003000"', b'r="ZZ000000003000"'),  # leading zeros
        (b'r="4294970296"', b'r="ZZ4294970296"'),  # past 32 bits (calamine may wrap it to row 3000)
    ],
)
def test_a_far_cell_written_in_any_form_calamine_reads_is_bounded(
    base: Path, tmp_path: Path, row: bytes, cell: bytes
) -> None:
    """Row 3000 x column ZZ is 2.1 million positions, just past the limit (calamine would lay them out)."""
    from spcncl_score.criteria.loader import load_or_raise
    from spcncl_score.intake.reader import read_dossier

    cs, _ = load_or_raise("hanoi-spcncl")
    read = read_dossier(far_cell_quoted(base, tmp_path / "x.xlsx", row, cell), cs, "x.xlsx")
    assert [i.code for i in read.issues if i.is_error] == ["sheet-too-large"]


def test_a_lying_bomb_reads_as_the_form_it_carries(base: Path, tmp_path: Path) -> None:
    from spcncl_score.criteria.loader import load_or_raise
    from spcncl_score.intake.reader import read_dossier

    cs, _ = load_or_raise("hanoi-spcncl")
    plain = read_dossier(base, cs, "x.xlsx")
    bomb = read_dossier(lying_bomb(base, tmp_path / "x.xlsx", junk_mb=64), cs, "x.xlsx")
    assert bomb.dossier is not None and plain.dossier is not None
    assert bomb.dossier.values == plain.dossier.values


WORKER_PROBE = r"""
import os, sys, time
from pathlib import Path
import spcncl_score.evaluation.pipeline as p
from spcncl_score.criteria.loader import load_or_raise
def slow_chunk(chunk):
    print("WORKER", os.getpid(), flush=True)
    time.sleep(60)
    return []
p._read_chunk = slow_chunk
p.PARALLEL_MIN_FILES = 1
cs, _ = load_or_raise("hanoi-spcncl")
files, _ = p.discover([Path(sys.argv[1])])
print("PARENT", os.getpid(), flush=True)
p.read_all(cs, files, jobs=2)
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="parallel reading forks")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killing_a_parallel_read_leaves_no_worker_and_no_open_pipe(sig: signal.Signals) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", WORKER_PROBE, str(SAMPLES)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert proc.stdout is not None
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith("WORKER"):
            workers.add(int(line.split()[1]))
    assert len(workers) == 2
    proc.send_signal(sig)
    proc.wait(timeout=30)
    started = time.monotonic()
    rest = proc.stdout.read()  # returns only when every holder of the pipe's write end is gone
    assert time.monotonic() - started < 10, rest
    # the pipe closes as a worker's exit begins; the exit itself follows at once
    deadline = time.monotonic() + 5
    while any(running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(running(pid) for pid in workers)


def running(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie waiting for a parent that never reaps it has ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def test_the_extent_bound_counts_cells_and_rows_without_positions() -> None:
    from spcncl_score.intake.workbook import sheet_extent

    assert sheet_extent(b'<sheetData><row r="3"><c r="B3"/><c r="AA7"/></row></sheetData>') == (7 + 1, 27 + 2)
    wide = b"<row>" + b"<c/>" * 500 + b"</row>"
    assert sheet_extent(b"<sheetData>" + b"<row/>" * 40 + wide + b"</sheetData>") == (41, 500)
    prefixed = b'<x:sheetData><x:row r="1048576"><x:c r="XFD1048576"/></x:row></x:sheetData>'
    rows, cols = sheet_extent(prefixed)
    assert rows >= 1_048_576 and cols >= 16_384
    # positions as calamine reads them, not only as Excel writes them
    assert sheet_extent(b"<row r='9'><c r = 'b9'/><c r=\"000012\"/></row>") == (12 + 1, 2 + 2)
    # thousands of digits: leading zeros are nothing, anything else is as far as it gets
    assert sheet_extent(b'<c r="A' + b"0" * 5_000 + b'1"/>') == (1, 1 + 1)
    assert sheet_extent(b'<c r="A' + b"9" * 5_000 + b'"/>')[0] >= 1 << 32
    # what is not a position: a value without digits, the relationships namespace
    assert sheet_extent(b'<worksheet xmlns:r="http://x"><c operator="lessThan"/></worksheet>') == (1, 1)


def test_the_glance_at_a_sheet_passes_a_form_and_leaves_anything_far_or_large_to_the_extent() -> None:
    from spcncl_score.intake.workbook import sheet_fits_at_a_glance as fits

    form = b'<worksheet xmlns:r="http://x"><sheetData><row r="999"><c r="Z999" t="s"><v>1</v></c></row></sheetData>'
    assert fits(form)
    for far in (b'r="AA1"', b'r="A1000"', b"r = 'zz3'", b'r="A0001"', b"r='1000'"):
        assert not fits(b"<sheetData><row><c " + far + b"/></row></sheetData>"), far
    # no position at all, but elements enough to reach past the limit
    assert not fits(b"<sheetData>" + b"<row/>" * 2_000 + b"</sheetData>")
