"""Reading named cells straight from the sheet XML (sheetxml) gives exactly what calamine gives.

Every comparison reads the same file twice, with ``workbook.READ_CELLS_DIRECTLY`` on and off (off is
the plain path: calamine, with openpyxl after a calamine panic), and requires identical results:
the whole DossierRead (values, issues with messages and cell locations) and, one level down, every
named cell's value, merged ranges and raw XML, or the same exception. The files: the samples, the
intake corpus, hand-made variants of the XML (what Excel, LibreOffice, openpyxl or a hand edit may
write, and what is broken) and forms filled with hypothesis-generated values. Where the direct path
must step aside (dates, escapes, rich text, anything broken) the test also checks that it did.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spcncl_score.intake import workbook
from spcncl_score.intake.form import write_form
from spcncl_score.intake.reader import DossierRead, read_dossier
from spcncl_score.intake.workbook import open_workbook
from tests import corpus
from tests.helpers import build
from tests.test_reader_properties import (
    CRITERIA,
    SETTINGS,
    any_text,
    cell_value,
    self_score_value,
    slots,
    strategy_for,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
BASE = SAMPLES / "hanoi" / "hn01-co-khi-chinh-xac-dong-anh.xlsx"
SHEET1 = "xl/worksheets/sheet1.xml"
SHEET2 = "xl/worksheets/sheet2.xml"
SST = "xl/sharedStrings.xml"
STYLES = "xl/styles.xml"


@contextlib.contextmanager
def direct(on: bool) -> Iterator[None]:
    saved = workbook.READ_CELLS_DIRECTLY
    workbook.READ_CELLS_DIRECTLY = on
    try:
        yield
    finally:
        workbook.READ_CELLS_DIRECTLY = saved


def read(path: Path, cs: Any, on: bool) -> DossierRead:
    with direct(on):
        return read_dossier(path, cs, path.name)


def same_read(a: DossierRead, b: DossierRead) -> None:
    assert (a.file, a.sha256, a.ok) == (b.file, b.sha256, b.ok)
    assert a.dossier == b.dossier
    if a.dossier is not None and b.dossier is not None:
        # equal values of other types (1 == 1.0 == True) would pass ==
        assert {k: type(v) for k, v in a.dossier.values.items()} == {k: type(v) for k, v in b.dossier.values.items()}
        assert a.dossier.model_dump() == b.dossier.model_dump()
    assert a.issues == b.issues
    assert [i.render("vi") for i in a.issues] == [i.render("vi") for i in b.issues]
    assert [i.render("en") for i in a.issues] == [i.render("en") for i in b.issues]


def outcome(fn: Callable[[], Any]) -> Any:
    try:
        value = fn()
    except BaseException as exc:  # calamine panics are BaseExceptions
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return ("raised", type(exc).__name__, str(exc))
    return ("value", type(value).__name__, value)


def cells_view(path: Path, on: bool) -> tuple[dict[str, Any], set[str]]:
    """Every named cell of the workbook as the reader sees it, and the sheets read directly."""
    with direct(on):
        wb, issues = open_workbook(path, path.name, path.read_bytes())
    if wb is None:
        return {"issues": [i.code for i in issues]}, set()
    view: dict[str, Any] = {}
    try:
        for name, target in sorted(wb.names.items()):
            if target.sheet is None or target.cell is None or target.sheet not in wb.sheets:
                continue
            sheet, cell = target.sheet, target.cell
            view[name] = (
                outcome(lambda: wb.value(sheet, cell)),  # noqa: B023 - called at once
                outcome(lambda: wb.merged(sheet)),  # noqa: B023
                outcome(lambda: wb.raw_cell_xml(sheet, cell)),  # noqa: B023
            )
        fast = {sheet for sheet, fs in wb._fast.items() if fs is not None}
    finally:
        wb.close()
    return view, fast


def compare(path: Path, cs: Any) -> set[str]:
    """Both ways agree on ``path``; return the sheets the direct way read."""
    plain_view, none = cells_view(path, False)
    assert not none
    for _ in range(2):  # cold and warm caches
        fast_view, fast = cells_view(path, True)
        assert fast_view == plain_view
    same_read(read(path, cs, True), read(path, cs, False))
    return fast


# --------------------------------------------------------------------------------------------
# real files
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hanoi_cs():
    return corpus.criteria("hanoi-spcncl")


@pytest.mark.parametrize("folder", ["hanoi", "ocop", "cnnt"])
def test_samples_read_directly_and_identically(folder):
    cs = corpus.criteria({"hanoi": "hanoi-spcncl", "ocop": "ocop", "cnnt": "cnnt"}[folder])
    files = sorted((SAMPLES / folder).glob("*.xlsx"))
    assert files
    for path in files:
        fast = compare(path, cs)
        assert len(fast) == 3, f"{path.name}: only {fast} read directly"


@pytest.fixture(scope="module")
def intake(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    dest = tmp_path_factory.mktemp("intake")
    return dest, corpus.build_corpus(dest)


def test_intake_corpus_reads_identically(intake, hanoi_cs):
    dest, expected = intake
    direct_sheets = 0
    for rel in expected:
        path = dest / rel
        if not path.is_file() or path.suffix.lower() not in (".xlsx", ".xlsm", ".xls", ".ods"):
            continue
        for cs in (hanoi_cs, corpus.criteria("ocop")):
            direct_sheets += len(compare(path, cs))
    assert direct_sheets > 50  # the forms edited with openpyxl are read directly too


def test_a_damaged_sheet_is_left_to_calamine(intake):
    dest, _ = intake
    for rel in ("tep-hong/sai-crc.xlsx", "tep-hong/hong-luong-nen.xlsx", "tep-hong/xml-bi-cat.xlsx"):
        view, fast = cells_view(dest / rel, True)
        assert "Hồ sơ" not in fast, rel
        assert any(v[0][0] == "raised" for v in view.values()), rel


# --------------------------------------------------------------------------------------------
# hand-made variants of the XML
# --------------------------------------------------------------------------------------------
def si_items(sst: bytes) -> list[bytes]:
    return re.findall(rb"<si>.*?</si>", sst, re.S)


def set_si(i: int, item: bytes) -> Callable[[bytes], bytes]:
    """Replace shared string ``i`` (0-based) by the raw ``item`` (a whole <si> element)."""

    def change(sst: bytes) -> bytes:
        items = si_items(sst)
        old = items[i]
        start = 0
        for _ in range(i + 1):
            pos = sst.index(b"<si>", start)
            start = pos + 1
        return sst[:pos] + item + sst[pos + len(old) :]

    return change


def cell(ref: str, new: bytes) -> Callable[[bytes], bytes]:
    """Replace the cell element ``ref`` by ``new`` (its XML)."""

    def change(xml: bytes) -> bytes:
        m = re.search(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', xml, re.S)
        assert m is not None, ref
        return xml[: m.start()] + new + xml[m.end() :]

    return change


def sub(old: bytes, new: bytes, count: int = 1) -> Callable[[bytes], bytes]:
    def change(xml: bytes) -> bytes:
        assert old in xml, old
        return xml.replace(old, new, count)

    return change


def swap_cells(a: str, b: str) -> Callable[[bytes], bytes]:
    def change(xml: bytes) -> bytes:
        ma = re.search(rb'<c r="' + a.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', xml, re.S)
        mb = re.search(rb'<c r="' + b.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', xml, re.S)
        assert ma is not None and mb is not None and ma.end() <= mb.start()
        return xml[: ma.start()] + mb.group(0) + xml[ma.end() : mb.start()] + ma.group(0) + xml[mb.end() :]

    return change


def add_format(code: bytes) -> Callable[[bytes], bytes]:
    """A 15th cell format (index 14) with the custom number format ``code``."""

    def change(styles: bytes) -> bytes:
        styles = styles.replace(b'<numFmts count="4">', b'<numFmts count="5">')
        styles = styles.replace(b"</numFmts>", b'<numFmt numFmtId="200" formatCode="' + code + b'"/></numFmts>')
        styles = styles.replace(b'<cellXfs count="14">', b'<cellXfs count="15">')
        return styles.replace(
            b"</cellXfs>", b'<xf numFmtId="200" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        )

    return change


def add_builtin(fid: int) -> Callable[[bytes], bytes]:
    def change(styles: bytes) -> bytes:
        styles = styles.replace(b'<cellXfs count="14">', b'<cellXfs count="15">')
        return styles.replace(
            b"</cellXfs>", b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>' % fid
        )

    return change


def t(text: bytes) -> bytes:
    return b"<si><t>" + text + b"</t></si>"


D8 = 31  # the shared string of f.enterprise_name in the base sample
# (id, {member: change}, whether the direct way may read every sheet)
VARIANTS: list[tuple[str, dict[str, Callable[[bytes], bytes]], bool]] = [
    ("entities", {SST: set_si(D8, t(b"A &amp; B &lt;C&gt; &quot;D&quot; &apos;E&apos; &amp;amp;"))}, True),
    ("spaces-kept", {SST: set_si(D8, b'<si><t xml:space="preserve">  Cty\tA  </t></si>')}, True),
    ("spaces-not-marked", {SST: set_si(D8, t(b"  Cty A  "))}, False),  # calamine trims: left to it
    ("newline", {SST: set_si(D8, b'<si><t xml:space="preserve">Cty\nA</t></si>')}, True),
    ("crlf", {SST: set_si(D8, b'<si><t xml:space="preserve">Cty\r\nA</t></si>')}, False),
    ("escape-x000D", {SST: set_si(D8, t(b"Cty_x000D_A"))}, False),
    ("escape-like", {SST: set_si(D8, t(b"Cty_xyz_A_x12_"))}, True),
    ("empty-string", {SST: set_si(D8, t(b""))}, True),
    ("empty-t", {SST: set_si(D8, b"<si><t/></si>")}, False),
    ("rich-text", {SST: set_si(D8, b"<si><r><t>Cty </t></r><r><rPr><b/></rPr><t>A</t></r></si>")}, False),
    ("phonetic", {SST: set_si(D8, b'<si><t>Cty A</t><phoneticPr fontId="1"/></si>')}, False),
    ("numeric-reference", {SST: set_si(D8, t(b"Cty &#65;"))}, False),
    ("unknown-entity", {SST: set_si(D8, t(b"Cty &nbsp;A"))}, False),
    ("cdata", {SST: set_si(D8, t(b"<![CDATA[Cty]]>"))}, False),
    ("sst-count-wrong", {SST: sub(b'count="', b'count="1')}, True),
    ("string-index-out-of-range", {SHEET1: cell("D8", b'<c r="D8" s="8" t="s"><v>9999</v></c>')}, False),
    ("label-index-out-of-range", {SHEET1: cell("A1", b'<c r="A1" s="1" t="s"><v>9999</v></c>')}, False),
    ("string-index-not-a-number", {SHEET1: cell("D8", b'<c r="D8" s="8" t="s"><v>x</v></c>')}, False),
    ("inline-string", {SHEET1: cell("D8", b'<c r="D8" s="8" t="inlineStr"><is><t>Cty &amp; A</t></is></c>')}, True),
    (
        "inline-kept",
        {SHEET1: cell("D8", b'<c r="D8" s="8" t="inlineStr"><is><t xml:space="preserve"> A </t></is></c>')},
        True,
    ),
    ("inline-rich", {SHEET1: cell("D8", b'<c r="D8" s="8" t="inlineStr"><is><r><t>A</t></r></is></c>')}, False),
    ("inline-not-marked", {SHEET1: cell("D8", b'<c r="D8" s="8" t="inlineStr"><is><t> A</t></is></c>')}, False),
    ("formula-string-spaces", {SHEET1: cell("D8", b'<c r="D8" s="8" t="str"><f>"A"</f><v>A </v></c>')}, False),
    ("inline-empty", {SHEET1: cell("D8", b'<c r="D8" s="8" t="inlineStr"/>')}, True),
    ("formula-string", {SHEET1: cell("D8", b'<c r="D8" s="8" t="str"><f>"A"&amp;"B"</f><v>AB &amp; C</v></c>')}, True),
    ("formula-number", {SHEET1: cell("F26", b'<c r="F26" s="10"><f>1000+500</f><v>1500</v></c>')}, True),
    ("formula-no-cache", {SHEET1: cell("F26", b'<c r="F26" s="10"><f>1000+500</f></c>')}, True),
    ("formula-empty-v", {SHEET1: cell("F26", b'<c r="F26" s="10"><f>1000+500</f><v></v></c>')}, True),
    ("formula-v-closed", {SHEET1: cell("F26", b'<c r="F26" s="10"><f>1000+500</f><v /></c>')}, True),
    (
        "shared-formula",
        {SHEET1: cell("F26", b'<c r="F26" s="10"><f t="shared" ref="F26:F27" si="0">D26*2</f><v>42</v></c>')},
        True,
    ),
    ("shared-formula-child", {SHEET1: cell("F26", b'<c r="F26" s="10"><f t="shared" si="0"/><v>42</v></c>')}, True),
    ("formula-after-value", {SHEET1: cell("F26", b'<c r="F26" s="10"><v>1500</v><f>1</f></c>')}, False),
    ("formula-in-label", {SHEET1: cell("A1", b'<c r="A1" s="1" t="str"><f>"x"</f><v>x</v></c>')}, True),
    ("number-exponent", {SHEET1: cell("F26", b'<c r="F26" s="10"><v>1.5E+20</v></c>')}, True),
    ("number-tiny", {SHEET1: cell("F26", b'<c r="F26" s="10"><v>1.5e-300</v></c>')}, True),
    ("number-overflow", {SHEET1: cell("F26", b'<c r="F26" s="10"><v>1e400</v></c>')}, True),
    ("number-minus-zero", {SHEET1: cell("F26", b'<c r="F26" s="10"><v>-0</v></c>')}, True),
    ("number-leading-zeros", {SHEET1: cell("F26", b'<c r="F26" s="10"><v>00150</v></c>')}, True),
    ("number-explicit-type", {SHEET1: cell("F26", b'<c r="F26" s="10" t="n"><v>150.25</v></c>')}, True),
    (
        "number-many-digits",
        {SHEET1: cell("F26", b'<c r="F26" s="10"><v>0.1000000000000000055511151231257827</v></c>')},
        True,
    ),
    ("number-point-first", {SHEET1: cell("F26", b'<c r="F26" s="10"><v>.5</v></c>')}, False),
    ("number-spaces", {SHEET1: cell("F26", b'<c r="F26" s="10"><v> 5</v></c>')}, False),
    ("number-inf", {SHEET1: cell("F26", b'<c r="F26" s="10"><v>inf</v></c>')}, False),
    ("number-underscore", {SHEET1: cell("F26", b'<c r="F26" s="10"><v>1_000</v></c>')}, False),
    ("number-text-untyped", {SHEET1: cell("F26", b'<c r="F26" s="10"><v>abc</v></c>')}, False),
    ("number-text-typed", {SHEET1: cell("F26", b'<c r="F26" s="10" t="n"><v>abc</v></c>')}, False),
    ("number-no-style", {SHEET1: cell("F26", b'<c r="F26"><v>1500</v></c>')}, True),
    ("number-style-out-of-range", {SHEET1: cell("F26", b'<c r="F26" s="99"><v>1500</v></c>')}, False),
    ("bool-true", {SHEET1: cell("D13", b'<c r="D13" s="8" t="b"><v>1</v></c>')}, True),
    ("bool-false", {SHEET1: cell("D13", b'<c r="D13" s="8" t="b"><v>0</v></c>')}, True),
    ("bool-odd", {SHEET1: cell("D13", b'<c r="D13" s="8" t="b"><v>true</v></c>')}, False),
    *[
        (f"error-{e.decode()}", {SHEET1: cell("F26", b'<c r="F26" s="10" t="e"><f>1/0</f><v>' + e + b"</v></c>")}, True)
        for e in (b"#DIV/0!", b"#N/A", b"#NAME?", b"#NULL!", b"#NUM!", b"#REF!", b"#VALUE!")
    ],
    ("error-spill", {SHEET1: cell("F26", b'<c r="F26" s="10" t="e"><v>#SPILL!</v></c>')}, False),
    ("iso-date-cell", {SHEET1: cell("F26", b'<c r="F26" s="10" t="d"><v>2024-01-31T00:00:00</v></c>')}, False),
    ("empty-open-close", {SHEET1: cell("F26", b'<c r="F26" s="10"></c>')}, True),
    ("absent-cell", {SHEET1: cell("F26", b"")}, True),
    ("extra-attribute", {SHEET1: cell("F26", b'<c r="F26" s="10" cm="1"><v>1500</v></c>')}, False),
    ("attributes-reordered", {SHEET1: cell("D8", b'<c r="D8" t="s" s="8"><v>31</v></c>')}, False),
    ("single-quotes", {SHEET1: cell("F26", b"<c r='F26' s='10'><v>1500</v></c>")}, False),
    (
        "cell-twice",
        {
            SHEET1: sub(
                b'<c r="F26" s="10"><v>1500</v></c>', b'<c r="F26" s="10"><v>1500</v></c><c r="F26" s="10"><v>7</v></c>'
            )
        },
        False,
    ),
    ("cell-ref-elsewhere", {SHEET1: sub(b'<c r="D26"', b'<c r="D99"')}, True),
    ("cells-out-of-order", {SHEET1: swap_cells("D26", "F26")}, False),
    ("row-without-r", {SHEET1: sub(b'<row r="26" spans="1:7">', b"<row>")}, True),
    ("row-with-bad-r", {SHEET1: sub(b'<row r="26" spans="1:7">', b'<row r="x">')}, False),
    # variants of a proved skeleton (sheetxml._Family): other label indexes and row heights
    ("row-height-changed", {SHEET1: sub(b'ht="60"', b'ht="99.75"')}, True),
    ("row-height-emptied", {SHEET1: sub(b'ht="60"', b'ht=""')}, True),
    ("row-height-not-a-number", {SHEET1: sub(b'ht="60"', b'ht="x"')}, True),
    ("label-index-changed", {SHEET1: cell("A1", b'<c r="A1" s="1" t="s"><v>3</v></c>')}, True),
    ("label-index-emptied", {SHEET1: cell("A1", b'<c r="A1" s="1" t="s"><v></v></c>')}, True),
    ("comment-in-data", {SHEET1: sub(b"<sheetData>", b"<sheetData><!-- note -->")}, False),
    ("comment-before", {SHEET1: sub(b"<sheetViews>", b"<!-- note --><sheetViews>")}, False),
    ("doctype", {SHEET1: sub(b"<worksheet ", b"<!DOCTYPE worksheet><worksheet ")}, False),
    ("processing-instruction", {SHEET1: sub(b"<sheetViews>", b"<?x y?><sheetViews>")}, False),
    ("bom", {SHEET1: lambda x: b"\xef\xbb\xbf" + x}, False),
    ("no-declaration", {SHEET1: lambda x: x[x.index(b"<worksheet") :]}, True),
    ("latin1-declared", {SHEET1: sub(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')}, False),
    ("whitespace-between-tags", {SHEET1: sub(b"<sheetData>", b"<sheetData>\n  ")}, True),
    ("prefixed-elements", {SHEET1: lambda x: x.replace(b"<c ", b"<x:c ").replace(b"</c>", b"</x:c>")}, False),
    ("unclosed-tag-after", {SHEET1: sub(b"<pageMargins", b"<foo><pageMargins")}, False),
    ("mismatched-tag-before", {SHEET1: sub(b"</sheetViews>", b"</sheetView>")}, False),
    ("truncated", {SHEET1: lambda x: x[: len(x) - 40]}, False),
    (
        "merge-over-input",
        {SHEET1: sub(b'<mergeCell ref="A25:C25"/>', b'<mergeCell ref="A25:C25"/><mergeCell ref="C8:D8"/>')},
        True,
    ),
    ("merge-single-cell", {SHEET1: sub(b'<mergeCell ref="A25:C25"/>', b'<mergeCell ref="A25"/>')}, False),
    ("merge-reversed", {SHEET1: sub(b'<mergeCell ref="A25:C25"/>', b'<mergeCell ref="D8:C8"/>')}, True),
    ("merge-outside", {SHEET1: sub(b"<pageMargins", b'<mergeCell ref="C8:D8"/><pageMargins')}, False),
    ("dimension-odd", {SHEET1: sub(b'<dimension ref="A1:G29"/>', b'<dimension ref="A1:G"/>')}, False),
    (
        "date-format-on-label-number",
        {STYLES: add_format(b"dd/mm/yyyy"), SHEET1: cell("A9", b'<c r="A9" s="14"><v>45000</v></c>')},
        False,
    ),
    (
        "panicking-date-on-label",
        {STYLES: add_format(b"dd/mm/yyyy"), SHEET1: cell("A9", b'<c r="A9" s="14"><v>-1000000000000</v></c>')},
        False,
    ),
    (
        "date-format-on-input",
        {STYLES: add_format(b"dd/mm/yyyy"), SHEET1: cell("F26", b'<c r="F26" s="14"><v>45000</v></c>')},
        False,
    ),
    ("time-format", {STYLES: add_format(b"[h]:mm"), SHEET1: cell("F26", b'<c r="F26" s="14"><v>1.5</v></c>')}, False),
    (
        "plain-custom-format",
        {STYLES: add_format(b"#,##0.000"), SHEET1: cell("F26", b'<c r="F26" s="14"><v>1500</v></c>')},
        True,
    ),
    (
        "quoted-custom-format",
        {STYLES: add_format(b"&quot;VND &quot;#,##0"), SHEET1: cell("F26", b'<c r="F26" s="14"><v>1500</v></c>')},
        True,
    ),
    (
        "general-custom-format",
        {STYLES: add_format(b"General"), SHEET1: cell("F26", b'<c r="F26" s="14"><v>1500</v></c>')},
        False,
    ),
    (
        "style-inherits-date",
        {
            STYLES: lambda s: s.replace(
                b'<cellStyleXfs count="1"><xf numFmtId="0"', b'<cellStyleXfs count="1"><xf numFmtId="14"'
            ),
            SHEET1: cell("F26", b'<c r="F26" s="4"><v>45000</v></c>'),
        },
        True,
    ),
    ("no-styles", {STYLES: lambda s: None}, False),  # type: ignore[dict-item,return-value]
    ("no-shared-strings", {SST: lambda s: None}, False),  # type: ignore[dict-item,return-value]
    (
        "self-score-text",
        {SHEET2: cell("D6", '<c r="D6" s="10" t="inlineStr"><is><t>mười hai</t></is></c>'.encode())},
        True,
    ),
    ("self-score-total-changed", {SHEET2: sub(b"<v>89.0</v>", b"<v>12345.5</v>")}, True),
    ("self-score-total-text", {SHEET2: sub(b"<v>89.0</v>", b"<v>oops</v>")}, False),
]
VARIANTS += [
    (
        f"builtin-format-{fid}",
        {STYLES: add_builtin(fid), SHEET1: cell("F26", b'<c r="F26" s="14"><v>45000.25</v></c>')},
        fid in workbook_plain,
    )
    for workbook_plain in [frozenset([*range(0, 14), *range(37, 45), 48, 49])]
    for fid in range(0, 60)
]


def make_variant(base: Path, dest: Path, changes: dict[str, Callable[[bytes], bytes | None]]) -> Path:
    def change(name: str, data: bytes) -> bytes | None:
        fn = changes.get(name)
        return data if fn is None else fn(data)

    return corpus.rezip(base, dest, change)


@pytest.mark.parametrize(("vid", "changes", "direct_ok"), VARIANTS, ids=[v[0] for v in VARIANTS])
def test_variants_read_identically(tmp_path, hanoi_cs, vid, changes, direct_ok):
    path = make_variant(BASE, tmp_path / f"{vid}.xlsx", changes)
    fast = compare(path, hanoi_cs)
    if direct_ok:
        assert len(fast) == 3, f"{vid}: read directly only {fast}"
    else:
        assert len(fast) < 3, f"{vid}: the direct way should have left something to calamine"


def test_openpyxl_saved_form_reads_directly(tmp_path, hanoi_cs):
    from openpyxl import load_workbook

    path = tmp_path / "openpyxl.xlsx"
    shutil.copy(BASE, path)
    wb = load_workbook(path)
    wb.save(path)  # inline strings, t="n", '<c ... />' with a space, absolute relationship targets
    assert len(compare(path, hanoi_cs)) == 3


# --------------------------------------------------------------------------------------------
# hypothesis: whatever is typed into the form
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def props_cs():
    return build(CRITERIA)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("sheetxml")


_n = iter(range(10**9))


@SETTINGS
@given(data=st.data())
def test_typed_values_read_identically(props_cs, workdir, data):
    keys = slots(props_cs)
    values = {k: data.draw(strategy_for(props_cs, k), label=k) for k in keys}
    selfs = {c.id: data.draw(self_score_value, label=f"s.{c.id}") for _, c in props_cs.criteria()}
    path = workdir / f"v{next(_n)}.xlsx"
    write_form(props_cs, path, reporting_year=2025, values=values, self_scores=selfs)
    compare(path, props_cs)


@SETTINGS
@given(texts=st.lists(any_text, min_size=1, max_size=6))
def test_text_in_hanoi_forms_reads_identically(hanoi_cs, workdir, texts):
    """Text fields of the real form (shared strings, one per distinct text) as xlsxwriter writes them."""
    text_fields = [
        "enterprise_name",
        "head_office_address",
        "factory_address",
        "product_name",
        "tax_code",
        "industry_group",
    ]
    values = corpus.dossier_values(1)
    for fid, text in zip(text_fields, texts, strict=False):
        values[fid] = text
    path = workdir / f"h{next(_n)}.xlsx"
    corpus.write_dossier(path, 1, values)
    compare(path, hanoi_cs)


@pytest.mark.parametrize("jobs", [2, 3])
def test_workers_give_the_same_reads(intake, hanoi_cs, monkeypatch, jobs):
    """Reads cross from worker processes as plain tuples (pipeline._pack): rebuilt, they are the same,
    in the same order, whichever process read which chunk; progress is reported in file order too."""
    from spcncl_score.evaluation import pipeline
    from spcncl_score.intake.discovery import discover

    dest, _ = intake
    files, _ = discover([dest])
    plain_progress: list[tuple[int, int, str]] = []
    plain = pipeline.read_all(hanoi_cs, files, lambda *a: plain_progress.append(a), jobs=1)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(pipeline, "CHUNK", 3)  # many chunks for every process
    monkeypatch.setattr(pipeline, "TAIL_CHUNK", 2)
    parallel_progress: list[tuple[int, int, str]] = []
    parallel = pipeline.read_all(hanoi_cs, files, lambda *a: parallel_progress.append(a), jobs=jobs)
    assert len(plain) == len(parallel) > 40
    for a, b in zip(plain, parallel, strict=True):
        same_read(a, b)
    assert parallel_progress == plain_progress


@pytest.mark.parametrize(
    "fails_at,how",
    [(1, "dies"), (7, "dies"), (3, "raises")],
)
def test_chunks_of_a_worker_that_fails_are_read_all_the_same(intake, hanoi_cs, monkeypatch, capfd, fails_at, how):
    """A worker that dies (here: at its first read, or within its third chunk) or raises takes the
    chunk it was reading with it; the parent reads that chunk itself, every read arrives, in order,
    and nothing (no traceback) reaches the user's terminal."""
    import os

    from spcncl_score.evaluation import pipeline
    from spcncl_score.intake.discovery import discover

    dest, _ = intake
    files, _ = discover([dest])
    plain = pipeline.read_all(hanoi_cs, files, jobs=1)
    parent = os.getpid()
    calls = 0
    pack = pipeline._pack

    def failing_pack(read):
        nonlocal calls
        calls += 1  # counted in the worker's own copy of this function's state
        if os.getpid() != parent and calls == fails_at:
            if how == "dies":
                os._exit(3)
            raise RuntimeError("cannot send this read")
        return pack(read)

    monkeypatch.setattr(pipeline, "_pack", failing_pack)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(pipeline, "CHUNK", 3)
    monkeypatch.setattr(pipeline, "TAIL_CHUNK", 2)
    capfd.readouterr()
    parallel = pipeline.read_all(hanoi_cs, files, jobs=2)
    _, err = capfd.readouterr()
    assert "Traceback" not in err and "cannot send" not in err, err
    assert len(plain) == len(parallel) > 40
    for a, b in zip(plain, parallel, strict=True):
        same_read(a, b)


def test_dossiers_are_the_objects_validation_would_make(hanoi_cs):
    """The reader builds its Dossier without validating it again (dossier.built_dossier)."""
    from spcncl_score.intake.dossier import Dossier

    for path in sorted((SAMPLES / "hanoi").glob("*.xlsx")):
        d = read(path, hanoi_cs, True).dossier
        assert d is not None
        fields = {name: getattr(d, name) for name in Dossier.model_fields}
        validated = Dossier(**fields)
        assert d == validated and validated == d
        assert repr(d) == repr(validated)
        assert d.model_fields_set == validated.model_fields_set
        assert d.model_dump() == validated.model_dump()
        assert d.model_dump_json() == validated.model_dump_json()
        with pytest.raises(Exception, match="frozen"):
            d.file = "x"  # type: ignore[misc]


@settings(max_examples=500, deadline=None)
@given(value=st.one_of(cell_value, st.sampled_from(["Có", " không ", "YES", "x", "1.5", "", "  ", "#N/A", 0.0, -1.0])))
def test_plain_values_read_as_parse_reads_them(props_cs, value):
    """reader._plain_value, the shortcut for answers that raise no issue, agrees with reader._parse."""
    from spcncl_score.intake import reader

    plan = reader._plan(props_cs)
    for (key, _, f, k), how in zip(plan.fields, plan.fast, strict=True):
        shortcut = reader._plain_value(value, f, how)
        if shortcut is reader._NOT_PLAIN:
            continue
        issues: list[Any] = []
        where = reader._Where("f.xlsx", 2025).at("S", "A1", key, f, k)
        parsed, text = reader._parse(value, f, where, issues, None)  # type: ignore[arg-type]
        assert (parsed, text, issues) == (shortcut, None, [])
        assert type(parsed) is type(shortcut)


def test_reading_from_memory_equals_reading_from_disk(intake, hanoi_cs, monkeypatch):
    """Files up to reader.READ_WHOLE_MAX_BYTES are read once into memory (LeanZip, cached parts,
    direct cells); larger ones are hashed and opened from disk with zipfile and calamine, as every
    file was before. Both give the same reads, broken files included."""
    from spcncl_score.intake import reader

    dest, expected = intake
    paths = [dest / rel for rel in expected if (dest / rel).is_file()]
    in_memory = [reader.read_dossier(p, hanoi_cs, p.name) for p in paths]
    monkeypatch.setattr(reader, "READ_WHOLE_MAX_BYTES", -1)
    from_disk = [reader.read_dossier(p, hanoi_cs, p.name) for p in paths]
    assert len(paths) > 40
    for a, b in zip(in_memory, from_disk, strict=True):
        same_read(a, b)


@pytest.mark.parametrize(
    "tail",
    [b" " * 200_000 + b"<x", b"x" * 200_000 + b"<", b"&amp;" * 40_000 + b"&"],
    ids=["spaces", "text", "entities"],
)
def test_long_text_around_the_cells_cannot_hang_the_reader(tmp_path, hanoi_cs, tail):
    # a regular expression that tries every way of splitting a long run of text before a broken tag
    # would take hours here; one bad dossier must never stop a batch
    import threading

    def broken(data: bytes) -> bytes:
        return data.replace(b"</sheetData>", b"</sheetData>" + tail, 1)

    path = make_variant(BASE, tmp_path / "long.xlsx", {SHEET1: broken})
    done: list[set[str]] = []
    worker = threading.Thread(target=lambda: done.append(compare(path, hanoi_cs)), daemon=True)
    worker.start()
    worker.join(timeout=120)
    assert done, "reading a sheet with 200 KB of text around its cells did not finish in 2 minutes"
    assert "Hồ sơ" not in done[0]  # that sheet left to calamine
