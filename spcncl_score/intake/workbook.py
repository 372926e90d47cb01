"""Open a workbook defensively and resolve the defined names of the form contract.

Everything that can be wrong with a file before its cells are read is found here and returned as
an issue: empty, not a workbook, corrupt, encrypted, legacy format, too large once inflated, a sheet
too large to lay out, names pointing at deleted cells.

How a file is read, and why it is safe whatever its headers say:

1. ``zipfile`` inflates every member, member by member, counting what it actually produces and
   stopping at ``MAX_INFLATED_BYTES``. zipfile never produces more than a member's declared size
   (a stream that goes on past it is cut and fails its CRC), so a header that understates a size
   cannot make it inflate more than the limit.
2. The workbook part (defined names, sheet states) is parsed with ElementTree; python-calamine does
   not expose defined names.
3. Cell values are read by python-calamine, from a copy of the package rebuilt in memory out of
   the bytes of step 1 (stored, not compressed): calamine never inflates anything itself, so it
   only ever sees bytes that were counted.
4. Before calamine lays out a sheet it is asked for, the sheet's extent is bounded from its XML
   (``sheet_extent``): calamine allocates the whole rectangle between the first and last cells, so
   one value at XFD1048576 in a 6 KB file would make it allocate 500 GB and abort the process.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from spcncl_score.i18n import L
from spcncl_score.issues import Issue, Location, error

# Refuse a workbook whose parts inflate beyond this many bytes (a "zip bomb"). A filled form is
# ~20 KB zipped and ~150 KB inflated; 50 MB leaves room for real files with pictures or long
# histories while keeping memory bounded.
MAX_INFLATED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
# Refuse a package with more members than this (each costs a directory entry and a copy).
MAX_MEMBERS = 2_000
# Refuse to lay out a sheet whose cells could span more than this many positions (see sheet_extent).
# A form spans ~60 rows x 8 columns; a 2,000,000-cell rectangle costs calamine ~64 MB.
MAX_SHEET_CELLS = 2_000_000
_CHUNK = 1 << 20
_READ_SUFFIXES = (".xml", ".rels", "mimetype")


def _is_read(name: str) -> bool:
    """Whether a member is one the cells, names or report mark are read from (and so inflated)."""
    if not name.endswith(_READ_SUFFIXES) or "/theme/" in name:
        return False
    return not name.startswith("docProps/") or name == "docProps/custom.xml"


_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)$")
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_MARK = "EncryptionInfo".encode("utf-16-le")


class TooLarge(Exception):
    """A package or sheet beyond the limits; ``size_mb`` is what was counted when it stopped."""

    def __init__(self, size_mb: float) -> None:
        super().__init__(size_mb)
        self.size_mb = size_mb


@dataclass(frozen=True)
class NameTarget:
    name: str
    raw: str
    sheet: str | None
    cell: str | None  # "D8", or None when the name is broken

    @property
    def broken(self) -> bool:
        return self.cell is None


@dataclass
class Workbook:
    """An opened workbook: its members inflated (and counted), its sheets, states and defined names.

    ``sheets``, ``sheet_parts`` and ``names`` are shared by the workbooks of one template: read only.
    """

    path: Path
    parts: dict[str, bytes]
    sheets: dict[str, str]  # name -> state (visible, hidden, veryHidden)
    sheet_parts: dict[str, str]  # name -> package member of the sheet XML ({} for .ods)
    names: dict[str, NameTarget]
    kind: str = "xlsx"  # or "ods"
    # names defined more than once at workbook level (Excel refuses it; a hand-edited file may not):
    # name -> every target as written, in order
    twice: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _book: Any = None
    _rows: dict[str, list[list[Any]]] = field(default_factory=dict)
    _merged: dict[str, list[tuple[int, int, int, int]]] = field(default_factory=dict)

    @property
    def is_report(self) -> bool:
        """Whether this is a report written by spcncl-score (it carries a custom property)."""
        return b"spcncl_report" in self.parts.get("docProps/custom.xml", b"")

    def close(self) -> None:
        if self._book is not None:
            self._book.close()
            self._book = None

    def rows(self, sheet: str) -> list[list[Any]]:
        """All cached values of a sheet, row by row, aligned on A1."""
        rows = self._rows.get(sheet)
        if rows is None:
            part = self.sheet_parts.get(sheet)
            if part is not None:
                xml = self.parts.get(part, b"")
                if not sheet_fits_at_a_glance(xml):
                    rows_bound, cols_bound = sheet_extent(xml)
                    if rows_bound * cols_bound > MAX_SHEET_CELLS:
                        raise SheetTooLarge(sheet, rows_bound, cols_bound)
            try:
                calamine_sheet = self._calamine().get_sheet_by_name(sheet)
                rows = calamine_sheet.to_python(skip_empty_area=False)
                self._merged[sheet] = [(a[0], a[1], b[0], b[1]) for a, b in calamine_sheet.merged_cell_ranges or []]
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:
                # calamine panics (a BaseException) on some cell values, e.g. a date-formatted
                # -1e12; openpyxl reads such a sheet, marking the cell as an error
                if "Panic" not in type(exc).__name__:
                    raise
                rows = self._rows_with_openpyxl(sheet)
            self._rows[sheet] = rows
        return rows

    def _calamine(self) -> Any:
        if self._book is None:
            from python_calamine import CalamineWorkbook

            self._book = CalamineWorkbook.from_filelike(io.BytesIO(_stored_copy(self.parts)))
        return self._book

    def _rows_with_openpyxl(self, sheet: str) -> list[list[Any]]:
        import warnings

        from openpyxl import load_workbook

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(_stored_copy(self.parts)), read_only=True, data_only=True)
            try:
                ws = book[sheet]
                return [
                    ["" if v is None else v for v in row]
                    for row in ws.iter_rows(min_row=1, min_col=1, values_only=True)
                ]
            finally:
                book.close()

    def merged(self, sheet: str) -> list[tuple[int, int, int, int]]:
        """Merged ranges of a sheet as (first row, first column, last row, last column), 0-based."""
        self.rows(sheet)
        return self._merged.get(sheet, [])

    def value(self, sheet: str, cell: str) -> Any:
        """The cached value of a cell; '' when empty (as calamine reports)."""
        rows = self.rows(sheet)
        r, c = cell_to_rc(cell)
        if r < len(rows) and c < len(rows[r]):
            return rows[r][c]
        return ""

    def raw_cell_xml(self, sheet: str, cell: str) -> str | None:
        """The <c> element of a cell in the sheet XML, to explain an empty reading."""
        part = self.sheet_parts.get(sheet)
        if part is None:
            return None
        xml = self.parts.get(part, b"")
        start = xml.find(f'<c r="{cell}"'.encode())
        if start < 0:
            return None
        # the element ends at its own "/>" or at the first "</c>" after it (cells do not nest)
        tag_end = xml.find(b">", start)
        if tag_end < 0:
            return None
        end = tag_end + 1 if xml[tag_end - 1 : tag_end] == b"/" else xml.find(b"</c>", tag_end)
        if end < 0:
            return None
        if xml[end : end + 4] == b"</c>":
            end += 4
        return xml[start:end].decode("utf-8", "replace")


class SheetTooLarge(Exception):
    """A sheet whose cells could span more positions than MAX_SHEET_CELLS."""

    def __init__(self, sheet: str, rows: int, columns: int) -> None:
        super().__init__(sheet)
        self.sheet, self.rows, self.columns = sheet, rows, columns


_CELL = re.compile(r"^([A-Z]{1,3})(\d+)$")


@functools.lru_cache(maxsize=4096)
def cell_to_rc(cell: str) -> tuple[int, int]:
    m = _CELL.match(cell)
    if not m:
        raise ValueError(cell)
    col = 0
    for ch in m.group(1):
        col = col * 26 + (ord(ch) - 64)
    return int(m.group(2)) - 1, col - 1


# A cell's or row's position as calamine reads it: r="C12", r='c12', r = "12" (the letters in
# either case, any number of digits, leading zeros allowed; the value is taken as written, an
# entity in it is an error). Any attribute whose name ends in "r" matches too: that can only
# loosen the bound. A literal start and runs that cannot overlap, so scanning stays linear.
_POSITION = re.compile(rb'r\s*=\s*["\']([A-Za-z]*)([0-9]+)["\']')
# calamine holds a position in 32 bits: a longer one may wrap to anything below this
_FAR = 1 << 32


def sheet_extent(xml: bytes) -> tuple[int, int]:
    """An upper bound on the rows and columns a sheet's cells can span, from its XML alone.

    Explicit positions (``r="C12"`` on cells, ``r="12"`` on rows) give the largest row and column
    named; a row or cell without a position follows the previous one, so each such element can add
    at most one. The bound is the largest position named plus the count of elements (counted as
    their opening text, with or without a namespace prefix: an over-count only loosens the bound).
    """
    max_row = 0
    columns: set[bytes] = set()  # at most 52^3 spellings of three letters
    far_column = False
    for match in _POSITION.finditer(xml):  # one at a time: a 50 MB sheet may hold millions
        letters, digits = match.groups()
        if len(digits) > 7:
            digits = digits.lstrip(b"0") or b"0"
        row = int(digits) if len(digits) <= 7 else _FAR
        if row > max_row:
            max_row = row
        if len(letters) > 3:
            far_column = True
        elif letters:
            columns.add(letters)
    max_col = _FAR if far_column else 0
    for letters in columns:
        column = 0
        for ch in letters.upper():
            column = column * 26 + (ch - 64)
        max_col = max(max_col, column)
    rows = max_row + xml.count(b"<row") + xml.count(b":row")
    # "<c" also counts <col>, <cfRule> and the like: an over-count only loosens the bound
    cols = max_col + xml.count(b"<c") + xml.count(b":c")
    return max(rows, 1), max(cols, 1)


# A position past row 999 (four digits or more) or past column Z (two letters or more).
_FAR_POSITION = re.compile(rb'r\s*=\s*["\'](?:[A-Za-z]*[0-9]{4,}|[A-Za-z]{2,}[0-9]+)["\']')


def sheet_fits_at_a_glance(xml: bytes) -> bool:
    """True when a coarser bound than ``sheet_extent``'s already keeps the sheet within
    MAX_SHEET_CELLS; False says nothing (ask ``sheet_extent``).

    A form names no position past row 999 or column Z. Then, by the reasoning of sheet_extent, the
    sheet spans at most 999 rows plus one per row element and 26 columns plus one per cell
    element; and each element has one start tag, a "<" that does not open an end tag ("</"):
    counting those over-counts the elements (declarations, comments and CDATA only add to it).
    One search that finds nothing and two counts cost a fifth of listing every position.
    """
    if _FAR_POSITION.search(xml):
        return False
    starts = xml.count(b"<") - xml.count(b"</")
    return (999 + starts) * (26 + starts) <= MAX_SHEET_CELLS


def sniff(path: Path, data: bytes | None = None) -> str | None:
    """What a file is, from its first bytes: 'zip', 'cfb' (OLE), 'empty', or None."""
    if data is not None:
        head = data[:8]
    else:
        with path.open("rb") as fh:
            head = fh.read(8)
    if not head:
        return "empty"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head == _CFB_MAGIC:
        return "cfb"
    return None


def open_workbook(path: Path, display: str, data: bytes | None = None) -> tuple[Workbook | None, list[Issue]]:
    """Open ``path``; ``data``, if given, is its whole content, already read (once, by the reader)."""
    loc = Location(file=display)
    kind = sniff(path, data)
    if kind == "empty":
        return None, [error("file-empty", loc)]
    if kind == "cfb":
        content = path.read_bytes() if data is None else data
        if _ENCRYPTION_MARK in content:
            return None, [error("file-encrypted", loc)]
        return None, [error("file-legacy-xls", loc)]
    if kind != "zip":
        return None, [error("file-not-workbook", loc, what=_describe_bytes(path, data))]
    try:
        with zipfile.ZipFile(path if data is None else io.BytesIO(data)) as zf:
            parts = inflate(zf)
    except TooLarge as exc:
        return None, [error("file-too-large", loc, size_mb=exc.size_mb, limit_mb=MAX_INFLATED_BYTES // 1024 // 1024)]
    except (zlib.error, zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, NotImplementedError) as exc:
        return None, [error("file-corrupt-zip", loc, detail=f"{type(exc).__name__}: {exc}")]
    try:
        return _open_parts(path, parts, loc)
    except (ET.ParseError, ValueError) as exc:
        return None, [error("file-corrupt-zip", loc, detail=f"{type(exc).__name__}: {exc}")]


def inflate(zf: zipfile.ZipFile) -> dict[str, bytes]:
    """The content of every member a workbook's cells are read from, counted as it is inflated.

    That is every XML part but themes and document properties (the custom properties excepted: they
    mark a report), and an OpenDocument's mimetype; pictures and the rest are never inflated, so
    they need no counting. TooLarge past the limits.
    """
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ValueError(f"{len(infos)} members in the package")
    declared = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    # refuse on the headers when they already say too much; what they say is checked below anyway
    if declared > MAX_INFLATED_BYTES or (declared > 1024 * 1024 and declared / packed > MAX_COMPRESSION_RATIO):
        raise TooLarge(round(declared / 1024 / 1024, 1))
    parts: dict[str, bytes] = {}
    total = 0
    for info in infos:
        if info.is_dir() or not _is_read(info.filename):
            continue
        chunks: list[bytes] = []
        with zf.open(info) as member:
            while chunk := member.read(_CHUNK):
                total += len(chunk)
                if total > MAX_INFLATED_BYTES:
                    raise TooLarge(round(total / 1024 / 1024, 1))
                chunks.append(chunk)
        parts[info.filename] = b"".join(chunks)
    return parts


def _stored_copy(parts: dict[str, bytes]) -> bytes:
    """The package again, its members stored as they were inflated (for calamine and openpyxl)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:
        for name, content in parts.items():
            if name != "docProps/custom.xml":  # no cell comes from it
                out.writestr(name, content)
    return buf.getvalue()


def _open_parts(path: Path, parts: dict[str, bytes], loc: Location) -> tuple[Workbook | None, list[Issue]]:
    mimetype = parts.get("mimetype", b"")
    if b"opendocument.spreadsheet" in mimetype:
        return _open_ods(path, parts, loc)
    if b"opendocument" in mimetype:
        return None, [
            error("file-not-workbook", loc, what=L("tài liệu OpenDocument khác", "another OpenDocument document"))
        ]
    if "word/document.xml" in parts:
        return None, [error("file-not-workbook", loc, what=L("tài liệu Word (.docx)", "Word document (.docx)"))]
    office = parts.get("_rels/.rels")
    target = _office_target(office) if office is not None else None
    book_part = target or ("xl/workbook.xml" if "xl/workbook.xml" in parts else None)
    if book_part is None or book_part not in parts:
        return None, [error("file-no-workbook", loc)]
    sheets, sheet_parts, names, twice = _layout(parts[book_part], parts.get(_rels_part(book_part)), book_part)
    return Workbook(path, parts, sheets, sheet_parts, names, twice=twice), []


def _office_target(raw: bytes) -> str | None:
    root = ET.fromstring(raw)
    for rel in root.iterfind("pr:Relationship", _NS):
        if rel.get("Type", "").endswith("/officeDocument"):
            return rel.get("Target", "").lstrip("/")
    return None


@functools.lru_cache(maxsize=64)  # every form of one template has the same workbook part: parsed once
def _layout(
    book: bytes, rels_raw: bytes | None, book_part: str
) -> tuple[dict[str, str], dict[str, str], dict[str, NameTarget], dict[str, tuple[str, ...]]]:
    root = ET.fromstring(book)
    rels = {} if rels_raw is None else _relationships(rels_raw, book_part)
    sheets: dict[str, str] = {}
    parts: dict[str, str] = {}
    for s in root.iterfind("m:sheets/m:sheet", _NS):
        name = s.get("name", "")
        sheets[name] = s.get("state", "visible")
        target = rels.get(s.get(f"{{{_NS['r']}}}id", ""))
        if target:
            parts[name] = target
    names: dict[str, NameTarget] = {}
    global_targets: dict[str, list[str]] = {}
    for dn in root.iterfind("m:definedNames/m:definedName", _NS):
        name = dn.get("name", "")
        raw = (dn.text or "").strip()
        local = dn.get("localSheetId")
        if local is not None and name in names:
            continue  # the workbook-level name wins; the contract uses only those
        if local is None:
            global_targets.setdefault(name, []).append(raw)
            if len(global_targets[name]) > 1:
                continue  # the first is kept; the reader refuses the name (``twice``)
        names[name] = _parse_target(name, raw)
    twice = {n: tuple(t) for n, t in global_targets.items() if len(t) > 1}
    return sheets, parts, names, twice


_ODS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
}
_ODS_REF = re.compile(r"^\$?(?:'((?:[^']|'')+)'|([^.']+))\.\$?([A-Z]{1,3})\$?(\d+)$")


def _open_ods(path: Path, parts: dict[str, bytes], loc: Location) -> tuple[Workbook | None, list[Issue]]:
    """A form saved by LibreOffice as .ods keeps its named ranges: read it like an .xlsx.

    OpenDocument writes runs of equal cells and rows once, with a repeat count; the extent that
    calamine would lay out is where the last cell *with content* ends, repeats included.
    """
    content = parts.get("content.xml")
    if content is None:
        return None, [error("file-no-workbook", loc)]
    sheets: dict[str, str] = {}
    names: dict[str, NameTarget] = {}
    t, o = f"{{{_ODS['table']}}}", f"{{{_ODS['office']}}}"
    rows = cols = row_end = last_row = last_col = 0
    for event, el in ET.iterparse(io.BytesIO(content), events=("start", "end")):
        if event == "start":
            if el.tag == f"{t}table":
                rows = last_row = last_col = 0
            elif el.tag == f"{t}table-row":
                cols = row_end = 0
            continue
        if el.tag in (f"{t}table-cell", f"{t}covered-table-cell"):
            cols += _repeat(el.get(f"{t}number-columns-repeated"))
            if el.get(f"{o}value-type") is not None or len(el):
                row_end = cols
            el.clear()
        elif el.tag == f"{t}table-row":
            rows += _repeat(el.get(f"{t}number-rows-repeated"))
            if row_end:
                last_row, last_col = rows, max(last_col, row_end)
            el.clear()
        elif el.tag == f"{t}table":
            name = el.get(f"{t}name", "")
            sheets[name] = "visible"
            if last_row * last_col > MAX_SHEET_CELLS:
                return None, [_too_large(loc, name, last_row, last_col)]
            el.clear()  # keep memory flat: cell contents are read by calamine, not here
        elif el.tag == f"{t}named-range":
            name = el.get(f"{t}name", "")
            raw = el.get(f"{t}cell-range-address", "")
            m = _ODS_REF.match(raw)
            if m:
                sheet = (m.group(1) or "").replace("''", "'") or m.group(2)
                names[name] = NameTarget(name, raw, sheet, f"{m.group(3)}{m.group(4)}")
            else:
                names[name] = NameTarget(name, raw, None, None)
    return Workbook(path, parts, sheets, {}, names, kind="ods"), []


def _repeat(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() else 1


def sheet_too_large(loc: Location, exc: SheetTooLarge) -> Issue:
    return _too_large(loc, exc.sheet, exc.rows, exc.columns)


def _too_large(loc: Location, sheet: str, rows: int, columns: int) -> Issue:
    return error(
        "sheet-too-large",
        Location(file=loc.file, sheet=sheet),
        sheet=sheet,
        rows=rows,
        columns=columns,
        limit=MAX_SHEET_CELLS,
    )


def _parse_target(name: str, raw: str) -> NameTarget:
    m = _REF.match(raw.lstrip("="))
    if not m or "#REF!" in raw:
        return NameTarget(name, raw, None, None)
    sheet = (m.group(1) or "").replace("''", "'") or m.group(2)
    return NameTarget(name, raw, sheet, f"{m.group(3)}{m.group(4)}")


def _rels_part(part: str) -> str:
    folder, _, base = part.rpartition("/")
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


def _relationships(raw: bytes, part: str) -> dict[str, str]:
    folder = part.rpartition("/")[0]
    root = ET.fromstring(raw)
    out: dict[str, str] = {}
    for rel in root.iterfind("pr:Relationship", _NS):
        target = rel.get("Target", "")
        if target.startswith("/"):
            target = target.lstrip("/")
        elif folder:
            target = f"{folder}/{target}"
        out[rel.get("Id", "")] = target
    return out


def _describe_bytes(path: Path, data: bytes | None = None) -> L:
    if data is not None:
        head = data[:512]
    else:
        with path.open("rb") as fh:
            head = fh.read(512)
    if head.startswith(b"%PDF"):
        return L("PDF", "PDF")
    if head[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1", b"\xff\xd8\xff\xdb"):
        return L("hình ảnh", "image")
    text = head.decode("utf-8", errors="ignore")  # 512 bytes may end inside a letter
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    if not text or printable < 0.9 * len(text):
        return L("dữ liệu nhị phân", "binary data")
    if "," in text or ";" in text:
        return L("văn bản/CSV", "text/CSV")
    return L("văn bản", "text")
