"""Consolidated tables in: a CSV or xlsx sheet with one row per dossier, read into Dossiers.

A row becomes a Dossier exactly as a form does: every value goes through the form reader's
parsing (``reader.parse_value``), so a table row and a form with the same answers score the same.
Columns are matched to fields by the form contract's names (``f.revenue.y0``), by value key
(``revenue@0``), by the field's label in Vietnamese or English (case, spacing and Unicode
composition ignored; a yearly field's label followed by ``(N-k)``), or by a mapping file (YAML)
that names each column's field and, for a column kept in another unit, the factor to multiply by.

The header is the first of the first ten rows that matches at least two fields; a second row that
repeats the columns' labels (as ``export`` writes it) is skipped. Each dossier row is named
``FILE#row N``, N its row number in the sheet, and every problem names file, sheet and A1 cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from spcncl_score.criteria.categories import category_sets
from spcncl_score.criteria.models import CriteriaSet, InputField
from spcncl_score.criteria.source import YamlError, load_with_lines
from spcncl_score.i18n import label
from spcncl_score.intake.discovery import TABLE_SUFFIXES, FoundFile
from spcncl_score.intake.dossier import CellRef, Value, built_dossier
from spcncl_score.intake.names import (
    META_CRITERIA_ID,
    META_CRITERIA_VERSION,
    META_REPORTING_YEAR,
    field_name,
    self_score_name,
    value_key,
)
from spcncl_score.intake.numbers import NumberError, parse_number
from spcncl_score.intake.reader import (
    DossierRead,
    category_field,
    category_unknown,
    fold,
    match_category,
    nfc,
    parse_self_score,
    parse_value,
    reporting_year_problem,
)
from spcncl_score.issues import Issue, Location, error, info, warning

# A sheet larger than this is refused before its cells are read: 200,000 cells is some 5,000
# dossiers at 40 columns, more than any programme's round, and bounds the memory a stray file takes.
MAX_TABLE_CELLS = 200_000
# A CSV is read whole: above this size (some 160 bytes a cell at the cell limit) it is refused first
MAX_CSV_BYTES = 32 * 1024 * 1024
HEADER_SEARCH_ROWS = 10  # a title or a note may stand above the header
META_SOURCE = "meta.source"  # the form a row was exported from: kept for people, not read
SELF_PREFIX = "self:"
_META_KEYS = (META_CRITERIA_ID, META_CRITERIA_VERSION, META_REPORTING_YEAR, META_SOURCE)
_META_LABELS = {  # the catalogue's labels of the meta columns
    META_CRITERIA_ID: "table_criteria_id",
    META_CRITERIA_VERSION: "table_criteria_version",
    META_REPORTING_YEAR: "table_reporting_year",
    META_SOURCE: "table_source",
}
# CSV cells are all text: a number written plainly (as a program writes it) is read without a
# warning, except 1.234, which in Vietnamese writing is a thousand and is left to the form rules
_CANONICAL = re.compile(r"^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$")
_AMBIGUOUS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FORMULA_START = ("=", "+", "-", "@")
_MARKED_TEXT = frozenset("'" + c for c in _FORMULA_START)  # how export marks text Excel would compute
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


@dataclass(frozen=True)
class Column:
    """What a mapping says of one column: the key it fills and the factor its numbers take."""

    header: str
    key: str
    factor: float = 1.0


@dataclass(frozen=True)
class Mapping:
    """A mapping file: column header (folded) -> Column."""

    file: str
    columns: dict[str, Column]

    def header_of(self, key: str) -> Column | None:
        return next((c for c in self.columns.values() if c.key == key), None)


# ---------------------------------------------------------------------------------------------
# keys, spellings and labels


def key_of(target: str, cs: CriteriaSet) -> str | None:
    """The dossier key a column name or mapping target stands for, or None.

    ``f.<id>`` / ``<id>`` (a single field), ``f.<id>.y<k>`` / ``<id>@<k>`` (a yearly one),
    ``s.<criterion>`` (a self-score), and the ``meta.*`` names."""
    t = target.strip()
    if t in _META_KEYS:
        return t
    if t.startswith("s.") and any(c.id == t[2:] for _, c in cs.criteria()):
        return SELF_PREFIX + t[2:]
    if t.startswith("s.") and any(c.id == t[2:] for own in category_sets(cs).values() for _, c in own.criteria()):
        return SELF_PREFIX + t[2:]  # a criterion of a category's own
    m = re.fullmatch(r"(?:f\.)?([A-Za-z_][\w]*)(?:\.y(\d+)|@(\d+))?", t)
    if m is None:
        return None
    f = field_of(m.group(1), cs)
    k_text = m.group(2) or m.group(3)
    if f is None:
        return None
    if k_text is None:
        return None if f.years else f.id
    k = int(k_text)
    return value_key(f.id, k) if f.years and k < f.years else None


def slots(cs: CriteriaSet) -> list[tuple[str, InputField, int | None]]:
    """Every value a dossier holds: (key, field, year offset), in the form's order."""
    return [(value_key(f.id, k), f, k) for f in cs.fields for k in (range(f.years) if f.years else (None,))]


def all_sets(cs: CriteriaSet) -> list[CriteriaSet]:
    """``cs`` and, for a set with categories, every category's own set: a table holds rows of each."""
    return [cs, *category_sets(cs).values()]


def field_of(fid: str, cs: CriteriaSet) -> InputField | None:
    """The field ``fid`` of ``cs``, or of the first of its categories that has it."""
    return next((f for own in all_sets(cs) if (f := own.field(fid)) is not None), None)


def all_slots(cs: CriteriaSet) -> list[tuple[str, InputField, int | None]]:
    """Every value a dossier of ``cs`` or of any of its categories holds: the base's first."""
    seen: dict[str, tuple[str, InputField, int | None]] = {}
    for own in all_sets(cs):
        for slot in slots(own):
            seen.setdefault(slot[0], slot)
    return list(seen.values())


def all_criteria(cs: CriteriaSet) -> list[tuple[str, Any]]:
    """(criterion id, criterion) of ``cs`` and of its categories' own sets, the base's first."""
    seen: dict[str, Any] = {}
    for own in all_sets(cs):
        for _, c in own.criteria():
            seen.setdefault(c.id, c)
    return list(seen.items())


def column_name(key: str) -> str:
    """The column header ``export`` writes for a key: the form contract's defined name."""
    if key.startswith(SELF_PREFIX):
        return self_score_name(key[len(SELF_PREFIX) :])
    if key in _META_KEYS:
        return key
    fid, _, k = key.partition("@")
    return field_name(fid, int(k) if k else None)


def labels_of(key: str, cs: CriteriaSet) -> tuple[str, str]:
    """A key's label (vi, en), as ``export`` writes it in its second header row."""
    if key in _META_LABELS:
        return label(_META_LABELS[key], "vi"), label(_META_LABELS[key], "en")
    if key.startswith(SELF_PREFIX):
        cid = key[len(SELF_PREFIX) :]
        c = dict(all_criteria(cs))[cid]
        return label("table_self_score", "vi", title=c.title.vi), label("table_self_score", "en", title=c.title.en)
    fid, _, k = key.partition("@")
    f = field_of(fid, cs)
    assert f is not None
    if not k:
        return f.label.vi, f.label.en
    return f"{f.label.vi} (N-{k})", f"{f.label.en} (N-{k})"


_SPELLINGS: dict[int, tuple[CriteriaSet, dict[str, str], dict[str, set[str]]]] = {}


def _spellings(cs: CriteriaSet) -> tuple[dict[str, str], dict[str, set[str]]]:
    """(folded header -> key, key -> its folded labels), worked out once per criteria set."""
    hit = _SPELLINGS.get(id(cs))
    if hit is not None and hit[0] is cs:
        return hit[1], hit[2]
    spell: dict[str, str] = {}
    labels: dict[str, set[str]] = {}
    # a set with categories: a column is matched by any category's name for it (a field a category
    # replaces may have another label there)
    for own in all_sets(cs):
        keys = [k for k, _, _ in slots(own)] + [SELF_PREFIX + c.id for _, c in own.criteria()] + list(_META_KEYS)
        for key in keys:
            vi, en = labels_of(key, own)
            labels.setdefault(key, set()).update((fold(vi), fold(en)))
            names = {key, column_name(key), vi, en}
            if key.endswith("@0"):
                fid = key[:-2]
                f = own.field(fid)
                assert f is not None
                names |= {f"{f.label.vi} (N)", f"{f.label.en} (N)"}
            for name in names:
                spell.setdefault(fold(name), key)
    if len(_SPELLINGS) > 16:
        _SPELLINGS.clear()
    _SPELLINGS[id(cs)] = (cs, spell, labels)
    return spell, labels


# ---------------------------------------------------------------------------------------------
# the mapping file


def load_mapping(path: Path, cs: CriteriaSet) -> tuple[Mapping | None, list[Issue]]:
    """Read a mapping file::

    columns:
      Mã số thuế: f.tax_code
      Doanh thu 2024 (đồng): {field: f.revenue.y0, factor: 0.000000001}
    """
    display = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        return None, [error("input-not-found", Location(file=display), path=f"{display} ({exc.strerror})")]
    except UnicodeDecodeError:
        return None, [error("mapping-invalid", Location(file=display, line=1), detail="not UTF-8 text")]
    try:
        data, lines = load_with_lines(text)
    except YamlError as exc:
        return None, [error("mapping-invalid", Location(file=display, line=exc.line), detail=str(exc))]
    columns = data.get("columns") if isinstance(data, dict) else None
    if not isinstance(columns, dict) or not columns:
        return None, [error("mapping-invalid", Location(file=display, line=1), detail="columns: {header: field}")]
    out: dict[str, Column] = {}
    issues: list[Issue] = []
    for header, spec in columns.items():
        loc = Location(file=display, line=lines.get(f"columns.{header}"))
        target, factor = (spec.get("field"), spec.get("factor", 1)) if isinstance(spec, dict) else (spec, 1)
        key = key_of(str(target), cs) if isinstance(target, str) else None
        if key is None:
            issues.append(error("mapping-unknown-field", loc, column=str(header), target=str(target), criteria=cs.id))
            continue
        if isinstance(factor, bool) or not isinstance(factor, (int, float)) or factor <= 0:
            issues.append(error("mapping-invalid", loc, detail=f"factor: {factor!r} (a number above 0)"))
            continue
        out[fold(nfc(str(header)))] = Column(str(header), key, float(factor))
    if issues:
        return None, issues
    return Mapping(display, out), []


# ---------------------------------------------------------------------------------------------
# reading a file's cells


def read_table_file(
    path: Path, cs: CriteriaSet, display: str, mapping: Mapping | None = None, *, sure: bool = True
) -> tuple[list[DossierRead], list[Issue]] | None:
    """The dossier rows of a CSV or xlsx table and the issues of the table as a whole.

    A table that cannot be read at all is one DossierRead named ``display`` without a dossier.
    Unless ``sure``, a sheet whose header matches fewer than two fields is not a table: None."""
    loc = Location(file=display)
    is_csv = path.suffix.lower() in TABLE_SUFFIXES
    size = path.stat().st_size
    if is_csv and size > MAX_CSV_BYTES:
        big = error("table-file-too-large", loc, size_mb=round(size / 2**20, 1), limit_mb=MAX_CSV_BYTES // 2**20)
        return [DossierRead(display, "", None, [big])], []
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    issues: list[Issue] = []
    if is_csv:
        sheet = path.stem  # Excel names a CSV's one sheet after the file
        rows = _csv_rows(data, display, issues)
        if rows is None:
            return [DossierRead(display, sha, None, issues)], []
    else:
        got = _sheet_rows(path, data, display)
        if isinstance(got, Issue):
            if not sure:
                return None if got.code != "table-too-large" else ([DossierRead(display, sha, None, [got])], [])
            return [DossierRead(display, sha, None, [got])], []
        sheet, rows = got
    if sum(len(r) for r in rows) > MAX_TABLE_CELLS:
        cells = sum(len(r) for r in rows)
        return [
            DossierRead(
                display, sha, None, [error("table-too-large", loc, cells=float(cells), limit=float(MAX_TABLE_CELLS))]
            )
        ], []
    return read_rows(rows, cs, display, sheet, sha, mapping, text_cells=is_csv, sure=sure, pre_issues=issues)


def _csv_rows(data: bytes, display: str, issues: list[Issue]) -> list[list[Any]] | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # Excel on a Vietnamese Windows saves "CSV" (not "CSV UTF-8") in Windows-1258, whose
            # tone marks are combining characters: composed (NFC) below like every other text
            text = data.decode("cp1258")
        except UnicodeDecodeError:
            issues.append(error("table-encoding-unknown", Location(file=display)))
            return None
        issues.append(warning("table-encoding-cp1258", Location(file=display)))
    text = nfc(text)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)  # Excel writes ';' where ',' is the decimal mark
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:  # e.g. a cell longer than the csv module's field limit
        issues.append(error("dossier-unreadable", Location(file=display), detail=f"CSV: {exc}"))
        return None


def _dimension_cells(data: bytes) -> int | None:
    """The cell count the first sheet's <dimension> declares, read before any cell, or None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            book = zf.read("xl/workbook.xml")
            rels = zf.read("xl/_rels/workbook.xml.rels")
            rid = re.search(rb"<(?:\w+:)?sheet\b[^>]*?\br:id=\"([^\"]+)\"", book)
            if rid is None:
                return None
            target = re.search(
                rb'<Relationship\b[^>]*?Id="' + re.escape(rid.group(1)) + rb'"[^>]*?Target="([^"]+)"', rels
            )
            if target is None:
                target = re.search(
                    rb'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="' + re.escape(rid.group(1)) + rb'"', rels
                )
            if target is None:
                return None
            part = target.group(1).decode()
            part = part.lstrip("/") if part.startswith("/") else "xl/" + part
            with zf.open(part) as fh:
                head = fh.read(4096)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return None
    m = _DIMENSION.search(head)
    if m is None or m.group(3) is None:
        return None
    cols = _col_number(m.group(3).decode()) - _col_number(m.group(1).decode()) + 1
    return max(0, int(m.group(4)) - int(m.group(2)) + 1) * max(0, cols)


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _sheet_rows(path: Path, data: bytes, display: str) -> tuple[str, list[list[Any]]] | Issue:
    loc = Location(file=display)
    declared = _dimension_cells(data)
    if declared is not None and declared > MAX_TABLE_CELLS:
        return error("table-too-large", loc, cells=float(declared), limit=float(MAX_TABLE_CELLS))
    try:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        try:
            sheet = book.get_sheet_by_index(0)
            cells = sheet.total_height * sheet.total_width
            if cells > MAX_TABLE_CELLS:
                return error("table-too-large", loc, cells=float(cells), limit=float(MAX_TABLE_CELLS))
            return sheet.name, sheet.to_python(skip_empty_area=False)
        finally:
            book.close()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine reports damage as exceptions, some as Rust panics
        first = str(exc).splitlines()[0] if str(exc) else ""
        return error("dossier-unreadable", loc, detail=f"{type(exc).__name__}: {first}")


# ---------------------------------------------------------------------------------------------
# rows into dossiers


def _header(
    rows: Sequence[Sequence[Any]], cs: CriteriaSet, mapping: Mapping | None
) -> tuple[int, dict[int, Column]] | None:
    """The header row's index and its matched columns, or None if no row matches two fields."""
    spell, _ = _spellings(cs)
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        matched: dict[int, Column] = {}
        for c, cell in enumerate(row):
            if cell is None or str(cell).strip() == "":
                continue
            text = fold(nfc(str(cell)))
            mapped = mapping.columns.get(text) if mapping is not None else None
            if mapped is not None:
                matched[c] = mapped
            elif text in spell:
                matched[c] = Column(str(cell), spell[text])
        if len(matched) >= 2:
            return r, matched
    return None


def read_rows(
    rows: Sequence[Sequence[Any]],
    cs: CriteriaSet,
    display: str,
    sheet: str,
    sha: str,
    mapping: Mapping | None = None,
    *,
    text_cells: bool = False,
    sure: bool = True,
    pre_issues: list[Issue] | None = None,
    row_names: Sequence[str] | None = None,
) -> tuple[list[DossierRead], list[Issue]] | None:
    """Each dossier row of ``rows`` (a sheet's cells, header included) as a DossierRead, and the
    table's own issues. ``text_cells``: every cell is text (CSV). ``row_names``: the rows' names
    (one per row after the header) instead of ``display#row N``."""
    table_issues = list(pre_issues or [])
    loc = Location(file=display, sheet=sheet)
    found = _header(rows, cs, mapping)
    if found is None:
        if not sure:
            return None
        problem = error("table-no-columns", loc, criteria=cs.id)
        return [DossierRead(display, sha, None, [*table_issues, problem])], []
    head, columns = found
    problems: list[Issue] = []
    by_key: dict[str, int] = {}
    for c, col in sorted(columns.items()):
        if col.key in by_key:
            first = xl_rowcol_to_cell(head, by_key[col.key])
            problems.append(
                error(
                    "table-duplicate-column",
                    Location(file=display, sheet=sheet, cell=xl_rowcol_to_cell(head, c)),
                    key=column_name(col.key),
                    first=first,
                )
            )
        else:
            by_key[col.key] = c
    missing = [column_name(k) for k, f, _ in slots(cs) if f.required and k not in by_key]
    if missing:
        problems.append(error("table-missing-columns", loc, columns=missing, count=len(missing)))
    if problems:
        return [DossierRead(display, sha, None, [*table_issues, *problems])], []
    for c, cell in enumerate(rows[head]):
        if c not in columns and cell is not None and str(cell).strip():
            cell_loc = Location(file=display, sheet=sheet, cell=xl_rowcol_to_cell(head, c))
            table_issues.append(warning("table-column-unmatched", cell_loc, header=str(cell), criteria=cs.id))
    for c, col in sorted(columns.items()):
        if col.factor != 1.0:
            cell_loc = Location(file=display, sheet=sheet, cell=xl_rowcol_to_cell(head, c))
            table_issues.append(
                info("table-unit-converted", cell_loc, header=col.header, factor=format(col.factor, "g"))
            )
    start = head + 1
    if start < len(rows) and _is_label_row(rows[start], columns, cs):
        start += 1
    reads: list[DossierRead] = []
    letters = {c: xl_col_to_name(c) for c in columns}  # A1 names are built per cell: the letters once
    for r in range(start, len(rows)):
        row = rows[r]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        name = row_names[r - head - 1] if row_names is not None else f"{display}#row {r + 1}"
        own: CriteriaSet | DossierRead = cs
        if cs.categories is not None:
            own = _category_of_row(row, r, name, cs, sheet, sha, by_key, text_cells, letters)
        if isinstance(own, DossierRead):
            reads.append(own)
            continue
        reads.append(_read_row(row, r, name, own, sheet, sha, by_key, columns, text_cells, letters))
    if not reads:
        return [DossierRead(display, sha, None, [*table_issues, error("table-empty", loc)])], []
    table_issues.insert(0, info("table-read", loc, rows=len(reads), columns=len(columns), header_row=head + 1))
    return reads, table_issues


def _category_of_row(
    row: Sequence[Any],
    r: int,
    name: str,
    cs: CriteriaSet,
    sheet: str,
    sha: str,
    by_key: dict[str, int],
    text_cells: bool,
    letters: dict[int, str],
) -> CriteriaSet | DossierRead:
    """The own set of the category a row's category cell names, or the row's read with the error.

    A row of another criteria set (its meta columns say so) is given the base set, whose read
    reports that, as a form of another set is reported before its category is looked at."""
    for key, expected in ((META_CRITERIA_ID, cs.id), (META_CRITERIA_VERSION, cs.version)):
        at = by_key.get(key)
        cell = row[at] if at is not None and at < len(row) else None
        if cell is not None and _text(cell).strip() not in ("", expected):
            return cs
    f = category_field(cs)
    c = by_key[f.id]  # a required field: a table without its column is refused as a whole
    value = row[c] if c < len(row) else None
    if isinstance(value, str) and text_cells and value.strip()[:2] in _MARKED_TEXT:
        value = value.strip()[1:]
    category = match_category(cs, value)
    if category is None:
        loc = Location(file=name, sheet=sheet, cell=letters[c] + str(r + 1), field=f.id)
        return DossierRead(name, sha, None, [category_unknown(cs, value, loc)])
    return category_sets(cs)[category]


def _is_label_row(row: Sequence[Any], columns: dict[int, Column], cs: CriteriaSet) -> bool:
    """Whether ``row`` repeats the matched columns' labels (the second header row of ``export``)."""
    _, labels = _spellings(cs)
    seen = 0
    for c, col in columns.items():
        cell = row[c] if c < len(row) else None
        if cell is None or str(cell).strip() == "":
            continue
        if fold(nfc(str(cell))) not in labels.get(col.key, set()):
            return False
        seen += 1
    return seen > 0


def _read_row(
    row: Sequence[Any],
    r: int,
    name: str,
    cs: CriteriaSet,
    sheet: str,
    sha: str,
    by_key: dict[str, int],
    columns: dict[int, Column],
    text_cells: bool,
    letters: dict[int, str],
) -> DossierRead:
    issues: list[Issue] = []
    number = str(r + 1)

    def cell_of(key: str) -> tuple[Any, str, Column] | None:
        c = by_key.get(key)
        if c is None:
            return None
        value = row[c] if c < len(row) else None
        if isinstance(value, str):
            value = value.strip()
            if text_cells and value[:2] in _MARKED_TEXT:
                value = value[1:]  # export marks text that Excel would take for a formula
        return (None if value == "" else value), letters[c] + number, columns[c]

    reporting_year: int | None = None
    got = cell_of(META_REPORTING_YEAR)
    if got is not None and got[0] is not None:
        try:
            year = float(got[0]) if not isinstance(got[0], str) else parse_number(got[0])[0]
            if not float(year).is_integer() or isinstance(got[0], bool):
                raise NumberError(str(got[0]))
            reporting_year = int(year)
        except (NumberError, TypeError, ValueError):
            loc = Location(file=name, sheet=sheet, cell=got[1], field=META_REPORTING_YEAR)
            issues.append(warning("table-bad-year", loc, value=str(got[0])))
    if reporting_year is not None and got is not None:
        loc = Location(file=name, sheet=sheet, cell=got[1], field=META_REPORTING_YEAR)
        if reporting_year_problem(reporting_year, loc, issues):
            reporting_year = None
    id_cell, version_cell = cell_of(META_CRITERIA_ID), cell_of(META_CRITERIA_VERSION)
    found_id = _text(id_cell[0]) if id_cell is not None and id_cell[0] is not None else cs.id
    found_version = _text(version_cell[0]) if version_cell is not None and version_cell[0] is not None else cs.version
    if (found_id, found_version) != (cs.id, cs.version):
        wrong = id_cell if found_id != cs.id else version_cell
        assert wrong is not None
        loc = Location(file=name, sheet=sheet, cell=wrong[1], field=META_CRITERIA_ID)
        issues.append(
            error(
                "dossier-wrong-criteria",
                loc,
                found_id=found_id,
                found_version=found_version,
                expected_id=cs.id,
                expected_version=cs.version,
            )
        )
        return DossierRead(name, sha, None, issues)
    values: dict[str, Value] = {}
    cells: dict[str, CellRef] = {}
    raw: dict[str, str] = {}
    absent: list[str] = []
    for key, f, k in slots(cs):
        got = cell_of(key)
        if got is None:
            values[key] = None
            if f.required and cs.category is not None:
                absent.append(column_name(key))  # a field of this row's category only: its column is missing
            continue
        value, a1, col = got
        cells[key] = CellRef.model_construct(sheet=sheet, cell=a1)  # both str, as validation would leave them
        typed = value
        if text_cells and isinstance(value, str):
            typed = _plain_text_value(value, f)
        if col.factor != 1.0 and typed is not None:
            typed = _scaled(typed, col.factor)
        parsed, text = parse_value(
            typed, f, issues, display=name, sheet=sheet, cell=a1, key=key, offset=k, year=reporting_year
        )
        if text is None and col.factor != 1.0 and isinstance(value, str):
            text = value  # text converted to the field's unit: as typed, like any interpreted text
        if text is not None:
            raw[key] = text
        values[key] = parsed
    self_scores: dict[str, float | None] = {}
    for _, c in cs.criteria():
        got = cell_of(SELF_PREFIX + c.id)
        if got is None:
            self_scores[c.id] = None
            continue
        value, a1, _ = got
        cells[SELF_PREFIX + c.id] = CellRef.model_construct(sheet=sheet, cell=a1)
        if text_cells and isinstance(value, str) and _CANONICAL.match(value) and not _AMBIGUOUS.match(value):
            value = float(value)
        self_scores[c.id] = parse_self_score(value, c.id, c.max, issues, display=name, sheet=sheet, cell=a1)
    if absent:
        issues.append(
            error("table-missing-columns", Location(file=name, sheet=sheet), columns=absent, count=len(absent))
        )
    category = cs.category.id if cs.category is not None else None
    dossier = built_dossier(
        name, sha, cs.id, cs.version, cs.fingerprint, reporting_year, values, self_scores, cells, raw, category
    )
    return DossierRead(name, sha, dossier, issues, category=category)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _plain_text_value(text: str, f: InputField) -> Any:
    """A CSV cell as the value a spreadsheet cell would hold: plain numbers and ISO dates typed."""
    if f.type in ("number", "integer") and _CANONICAL.match(text) and not _AMBIGUOUS.match(text):
        return float(text)
    if f.type == "date" and _ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    return text


def _scaled(value: Any, factor: float) -> Any:
    """A number in the column's unit, in the field's: multiplied by ``factor``. Text that is not a
    number is left for the reader to report."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return value
    if isinstance(value, str):
        try:
            number, _ = parse_number(value)
        except NumberError:
            return value
    else:
        number = float(value)
    inverse = 1 / factor
    if factor < 1 and abs(inverse - round(inverse)) < 1e-9 * inverse:
        return number / round(inverse)  # 1234000000 / 1e9 is exact where 1234000000 * 1e-9 is not
    return number * factor


def with_tables(
    cs: CriteriaSet, files: list[FoundFile], reads: list[DossierRead], mapping: Mapping | None = None
) -> tuple[list[FoundFile], list[DossierRead], list[Issue]]:
    """The files and reads of a run with every table read into its rows.

    A CSV is a table; a workbook the form reader found no form in (no ``meta.criteria_id``) is one
    if its header matches fields. A table's file is replaced by one ``table_row`` file per dossier
    row, so that each row is ranked or listed as not ranked like a form; a table that cannot be
    read at all stays one file with the reason. Returns also the issues of the tables as wholes."""
    by_file = {r.file: r for r in reads}
    out_files: list[FoundFile] = []
    out_reads: list[DossierRead] = []
    extra: list[Issue] = []
    for f in files:
        read = by_file.get(f.display)
        got: tuple[list[DossierRead], list[Issue]] | None = None
        if f.kind == "table":
            got = _read_safely(f, cs, mapping, sure=True)
        elif read is not None and read.dossier is None and any(i.code == "dossier-not-a-form" for i in read.issues):
            got = _read_safely(f, cs, mapping, sure=False)
        if got is None:
            out_files.append(f)
            if read is not None:
                out_reads.append(read)
            continue
        rows, table_issues = got
        extra.extend(table_issues)
        if len(rows) == 1 and rows[0].file == f.display:  # refused as a whole
            out_files.append(FoundFile(f.path, f.display, "table"))
        else:
            out_files.extend(FoundFile(f.path, r.file, "table_row") for r in rows)
        out_reads.extend(rows)
    return out_files, out_reads, extra


def _read_safely(
    f: FoundFile, cs: CriteriaSet, mapping: Mapping | None, *, sure: bool
) -> tuple[list[DossierRead], list[Issue]] | None:
    """read_table_file, whose every failure is this file's issue: one bad table never stops a batch."""
    try:
        return read_table_file(f.path, cs, f.display, mapping, sure=sure)
    except OSError as exc:
        problem = error("dossier-unreadable", Location(file=f.display), detail=str(exc))
    except Exception as exc:  # a bug of ours on a strange file: reported as such, with the file named
        problem = error("internal-error", Location(file=f.display), detail=f"{type(exc).__name__}: {exc}")
    return [DossierRead(f.display, "", None, [problem])], []
