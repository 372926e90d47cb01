"""Open a workbook defensively and resolve the defined names of the form contract.

Everything that can be wrong with a file before its cells are read is found here
and returned as an issue: empty, not a workbook, corrupt, encrypted, legacy format,
too large once inflated, names pointing at deleted cells.
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
from spcncl_score.sheetxml import (
    FAST_SUFFIXES,
    MISSING,
    BookParts,
    FastBook,
    FastSheet,
    LeanZip,
    ZipBytes,
    book_parts,
    sheet_order,
)

# Refuse a workbook whose parts would inflate beyond this many bytes (a "zip bomb").
# A filled form is ~20 KB zipped and ~150 KB inflated; 50 MB leaves room for real files
# with pictures or long histories while keeping memory bounded.
MAX_INFLATED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
# Read named cells straight from the sheet XML where sheetxml proves that gives what calamine gives
# (tests switch it off to compare the two ways).
READ_CELLS_DIRECTLY = True

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)$")
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_MARK = "EncryptionInfo".encode("utf-16-le")


@dataclass(frozen=True)
class NameTarget:
    name: str
    raw: str
    sheet: str | None
    cell: str | None  # "D8", or None when the name is broken

    @property
    def broken(self) -> bool:
        return self.cell is None


@dataclass(frozen=True)
class _Layout:
    """What workbook.xml and its relationships say; shared by every file with the same parts."""

    sheets: dict[str, str]
    parts: dict[str, str]
    names: dict[str, NameTarget]
    refs: dict[str, tuple[str, ...]]  # sheet -> the cells names point at, in sheet order
    unique_sheets: bool


@dataclass
class Workbook:
    """An opened workbook. ``sheets``, ``sheet_parts`` and ``names`` may be shared with other
    workbooks of the same template (they are parsed once per distinct workbook.xml): read only."""

    path: Path
    zf: zipfile.ZipFile | LeanZip
    sheets: dict[str, str]  # name -> state (visible, hidden, veryHidden)
    sheet_parts: dict[str, str]  # name -> zip member of the sheet XML
    names: dict[str, NameTarget]
    _book: Any = None
    _rows: dict[str, list[list[Any]]] = field(default_factory=dict)
    _merged: dict[str, list[tuple[int, int, int, int]]] = field(default_factory=dict)
    _xml: dict[str, str] = field(default_factory=dict)
    # the direct reading of named cells (sheetxml); None where calamine reads
    _zb: ZipBytes | None = None
    _refs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _fast_book: FastBook | bool | None = False  # False: not tried yet
    _book_parts: BookParts | None = None  # FastBook.open's checks, if made with the layout
    _fast: dict[str, FastSheet | None] = field(default_factory=dict)

    @property
    def is_report(self) -> bool:
        """Whether this is a report written by spcncl-score (it carries a custom property)."""
        try:
            return b"spcncl_report" in self.zf.read("docProps/custom.xml")
        except KeyError:
            return False

    def close(self) -> None:
        self.zf.close()
        if self._book is not None:
            self._book.close()

    def rows(self, sheet: str) -> list[list[Any]]:
        """All cached values of a sheet, row by row, aligned on A1."""
        rows = self._rows.get(sheet)
        if rows is None:
            try:
                if self._book is None:
                    from python_calamine import CalamineWorkbook

                    self._book = CalamineWorkbook.from_path(str(self.path))
                calamine_sheet = self._book.get_sheet_by_name(sheet)
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

    def _rows_with_openpyxl(self, sheet: str) -> list[list[Any]]:
        import warnings

        from openpyxl import load_workbook

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(self.path, read_only=True, data_only=True)
            try:
                ws = book[sheet]
                return [
                    ["" if v is None else v for v in row]
                    for row in ws.iter_rows(min_row=1, min_col=1, values_only=True)
                ]
            finally:
                book.close()

    def _fast_sheet(self, sheet: str) -> FastSheet | None:
        """The named cells of ``sheet`` read straight from its XML, if sheetxml can prove them."""
        try:
            return self._fast[sheet]
        except KeyError:
            pass
        fs: FastSheet | None = None
        if self._zb is not None and sheet in self._refs and sheet in self.sheet_parts:
            try:
                if self._fast_book is False:
                    self._fast_book = FastBook.open(self._zb, self._book_parts)
                if isinstance(self._fast_book, FastBook):
                    fs = self._fast_book.sheet(self.sheet_parts[sheet], self._refs[sheet])
            except Exception:  # never let the shortcut decide: calamine reads the sheet
                fs = None
        self._fast[sheet] = fs
        return fs

    def direct_values(self, sheet: str) -> dict[str, Any] | None:
        """The named cells of ``sheet`` as value() gives them, if read directly; else None."""
        fs = self._fast_sheet(sheet)
        return None if fs is None else fs.values

    def merged(self, sheet: str) -> list[tuple[int, int, int, int]]:
        """Merged ranges of a sheet as (first row, first column, last row, last column), 0-based."""
        fs = self._fast_sheet(sheet)
        if fs is not None:
            return fs.merged
        self.rows(sheet)
        return self._merged.get(sheet, [])

    def value(self, sheet: str, cell: str) -> Any:
        """The cached value of a cell; '' when empty (as calamine reports)."""
        fs = self._fast_sheet(sheet)
        if fs is not None:
            found = fs.values.get(cell, _MISSING)
            if found is not _MISSING:
                return found
        rows = self.rows(sheet)
        r, c = cell_to_rc(cell)
        if r < len(rows) and c < len(rows[r]):
            return rows[r][c]
        return ""

    def raw_cell_xml(self, sheet: str, cell: str) -> str | None:
        """The <c> element of a cell in the sheet XML, to explain an empty reading."""
        fs = self._fast_sheet(sheet)
        if fs is not None and cell in fs.cell_xml:
            return fs.raw_cell_xml(cell)
        part = self.sheet_parts.get(sheet)
        if part is None:
            return None
        xml = self._xml.get(part)
        if xml is None:
            xml = self.zf.read(part).decode("utf-8", "replace")
            self._xml[part] = xml
        m = re.search(rf'<c r="{cell}"[^>]*?(?:/>|>.*?</c>)', xml, re.S)
        return m.group(0) if m else None


_CELL = re.compile(r"^([A-Z]{1,3})(\d+)$")
_MISSING: Any = MISSING


@functools.lru_cache(maxsize=4096)
def cell_to_rc(cell: str) -> tuple[int, int]:
    m = _CELL.match(cell)
    if not m:
        raise ValueError(cell)
    col = 0
    for ch in m.group(1):
        col = col * 26 + (ord(ch) - 64)
    return int(m.group(2)) - 1, col - 1


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
        # a plain archive's directory is read without zipfile's per-member objects (sheetxml.LeanZip)
        lean = LeanZip.parse(data) if data is not None else None
        zf = lean if lean is not None else zipfile.ZipFile(path if data is None else io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return None, [error("file-corrupt-zip", loc, detail=str(exc))]
    try:
        return _open_zip(path, zf, loc, data)
    except (
        zlib.error,
        zipfile.BadZipFile,
        KeyError,
        ET.ParseError,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        zf.close()
        return None, [error("file-corrupt-zip", loc, detail=f"{type(exc).__name__}: {exc}")]


def _open_zip(
    path: Path, zf: zipfile.ZipFile | LeanZip, loc: Location, data: bytes | None = None
) -> tuple[Workbook | None, list[Issue]]:
    infos = zf.infolist()
    members = {i.filename for i in infos}
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_INFLATED_BYTES or (total > 1024 * 1024 and total / packed > MAX_COMPRESSION_RATIO):
        zf.close()
        return None, [
            error(
                "file-too-large",
                loc,
                size_mb=round(total / 1024 / 1024, 1),
                limit_mb=MAX_INFLATED_BYTES // 1024 // 1024,
            )
        ]
    if "mimetype" in members and b"opendocument.spreadsheet" in zf.read("mimetype"):
        return _open_ods(path, zf, loc)
    if "mimetype" in members and b"opendocument" in zf.read("mimetype"):
        zf.close()
        return None, [
            error("file-not-workbook", loc, what=L("tài liệu OpenDocument khác", "another OpenDocument document"))
        ]
    if "word/document.xml" in members:
        zf.close()
        return None, [error("file-not-workbook", loc, what=L("tài liệu Word (.docx)", "Word document (.docx)"))]
    # every form of one template has the same _rels/.rels, workbook.xml and relationships: with the
    # file's bytes at hand they are parsed once per distinct content (ZipBytes.parse_cached), else
    # (or if anything about them is unusual) read and parsed here, raising as they always did
    zb = ZipBytes(data, zf) if data is not None else None
    # the usual case in one look: the package points at xl/workbook.xml, with the styles checked
    # for the direct reading too
    template: Any = _MISSING
    if zb is not None and "xl/workbook.xml" in members:
        template = zb.parse_cached("template", _TEMPLATE_PARTS, _template)
    parts: BookParts | None = None
    book_part: str | None
    if template is not _MISSING and template is not None:
        layout, parts = template
        book_part = "xl/workbook.xml"
    else:
        target = _MISSING
        if "_rels/.rels" not in members:
            target = None
        elif zb is not None:
            target = zb.parse_cached("office", ("_rels/.rels",), _office_target)
        if target is _MISSING:
            target = _office_target(zf.read("_rels/.rels"))
        book_part = target if target is not None else ("xl/workbook.xml" if "xl/workbook.xml" in members else None)
        if book_part is None or book_part not in members:
            zf.close()
            return None, [error("file-no-workbook", loc)]
        rels_part = _rels_part(book_part)
        layout = _MISSING
        if zb is not None:
            layout = zb.parse_cached(
                "layout", (book_part, rels_part), lambda book, rels: _layout(book, rels, book_part)
            )
        if layout is _MISSING:
            book = zf.read(book_part)
            ET.fromstring(book)  # parse errors first, in the order they always came
            try:
                rels: bytes | None = zf.read(rels_part)
            except KeyError:
                rels = None
            layout = _layout(book, rels, book_part)
    wb = Workbook(path, zf, layout.sheets, layout.parts, layout.names)
    if (
        READ_CELLS_DIRECTLY
        and zb is not None
        and layout.unique_sheets
        and book_part == "xl/workbook.xml"
        and path.suffix.lower() in FAST_SUFFIXES
    ):
        # what calamine opens by the name .xlsx, reading xl/workbook.xml: named cells may be read
        # straight from the XML (sheetxml), else by calamine as always
        wb._zb = zb
        wb._refs = layout.refs
        wb._book_parts = parts
    return wb, []


_TEMPLATE_PARTS = ("_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml")


def _template(office: bytes | None, book: bytes, rels: bytes | None, styles: bytes | None) -> Any:
    """(layout, book parts) of a package whose office document is xl/workbook.xml, else None.

    What the separate steps below make of the same parts: the office target, the layout, and
    FastBook.open's checks of the styles and workbook parts.
    """
    if (None if office is None else _office_target(office)) not in (None, "xl/workbook.xml"):
        return None
    return _layout(book, rels, "xl/workbook.xml"), book_parts(styles, book, rels)


def _office_target(raw: bytes) -> str | None:
    root = ET.fromstring(raw)
    for rel in root.iterfind("pr:Relationship", _NS):
        if rel.get("Type", "").endswith("/officeDocument"):
            return rel.get("Target", "").lstrip("/")
    return None


def _layout(book: bytes, rels_raw: bytes | None, book_part: str) -> _Layout:
    root = ET.fromstring(book)
    rels = {} if rels_raw is None else _relationships(rels_raw, book_part)
    sheets: dict[str, str] = {}
    parts: dict[str, str] = {}
    order: list[str] = []
    for s in root.iterfind("m:sheets/m:sheet", _NS):
        name = s.get("name", "")
        sheets[name] = s.get("state", "visible")
        order.append(name)
        target = rels.get(s.get(f"{{{_NS['r']}}}id", ""))
        if target:
            parts[name] = target
    names: dict[str, NameTarget] = {}
    for dn in root.iterfind("m:definedNames/m:definedName", _NS):
        name = dn.get("name", "")
        raw = (dn.text or "").strip()
        local = dn.get("localSheetId")
        if local is not None and name in names:
            continue  # the workbook-level name wins; the contract uses only those
        names[name] = _parse_target(name, raw)
    cells: dict[str, set[str]] = {}
    for t in names.values():
        if t.sheet is not None and t.cell is not None:
            cells.setdefault(t.sheet, set()).add(t.cell)
    refs = {sheet: sheet_order(frozenset(c)) for sheet, c in cells.items()}
    return _Layout(sheets, parts, names, refs, len(order) == len(set(order)))


_ODS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
}
_ODS_REF = re.compile(r"^\$?(?:'((?:[^']|'')+)'|([^.']+))\.\$?([A-Z]{1,3})\$?(\d+)$")


def _open_ods(path: Path, zf: zipfile.ZipFile | LeanZip, loc: Location) -> tuple[Workbook | None, list[Issue]]:
    """A form saved by LibreOffice as .ods keeps its named ranges: read it like an .xlsx."""
    if "content.xml" not in zf.namelist():
        zf.close()
        return None, [error("file-no-workbook", loc)]
    sheets: dict[str, str] = {}
    names: dict[str, NameTarget] = {}
    t = f"{{{_ODS['table']}}}"
    for _, el in ET.iterparse(zf.open("content.xml"), events=("end",)):
        if el.tag == f"{t}table":
            sheets[el.get(f"{t}name", "")] = "visible"
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
    return Workbook(path, zf, sheets, {}, names), []


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
