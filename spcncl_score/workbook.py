"""Open a workbook defensively and resolve the defined names of the form contract.

Everything that can be wrong with a file before its cells are read is found here
and returned as an issue: empty, not a workbook, corrupt, encrypted, legacy format,
too large once inflated, names pointing at deleted cells.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from spcncl_score.i18n import L
from spcncl_score.issues import Issue, Location, error

# Refuse a workbook whose parts would inflate beyond this many bytes (a "zip bomb").
# A filled form is ~20 KB zipped and ~150 KB inflated; 50 MB leaves room for real files
# with pictures or long histories while keeping memory bounded.
MAX_INFLATED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200

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


@dataclass
class Workbook:
    path: Path
    zf: zipfile.ZipFile
    sheets: dict[str, str]  # name -> state (visible, hidden, veryHidden)
    sheet_parts: dict[str, str]  # name -> zip member of the sheet XML
    names: dict[str, NameTarget]
    _book: Any = None
    _rows: dict[str, list[list[Any]]] = field(default_factory=dict)
    _merged: dict[str, list[tuple[int, int, int, int]]] = field(default_factory=dict)
    _xml: dict[str, str] = field(default_factory=dict)

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
        xml = self._xml.get(part)
        if xml is None:
            xml = self.zf.read(part).decode("utf-8", "replace")
            self._xml[part] = xml
        m = re.search(rf'<c r="{cell}"[^>]*?(?:/>|>.*?</c>)', xml, re.S)
        return m.group(0) if m else None


_CELL = re.compile(r"^([A-Z]{1,3})(\d+)$")


def cell_to_rc(cell: str) -> tuple[int, int]:
    m = _CELL.match(cell)
    if not m:
        raise ValueError(cell)
    col = 0
    for ch in m.group(1):
        col = col * 26 + (ord(ch) - 64)
    return int(m.group(2)) - 1, col - 1


def sniff(path: Path) -> str | None:
    """What a file is, from its first bytes: 'zip', 'cfb' (OLE), 'empty', or None."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head:
        return "empty"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head == _CFB_MAGIC:
        return "cfb"
    return None


def open_workbook(path: Path, display: str) -> tuple[Workbook | None, list[Issue]]:
    loc = Location(file=display)
    kind = sniff(path)
    if kind == "empty":
        return None, [error("file-empty", loc)]
    if kind == "cfb":
        data = path.read_bytes()
        if _ENCRYPTION_MARK in data:
            return None, [error("file-encrypted", loc)]
        return None, [error("file-legacy-xls", loc)]
    if kind != "zip":
        return None, [error("file-not-workbook", loc, what=_describe_bytes(path))]
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return None, [error("file-corrupt-zip", loc, detail=str(exc))]
    try:
        return _open_zip(path, zf, loc)
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


def _open_zip(path: Path, zf: zipfile.ZipFile, loc: Location) -> tuple[Workbook | None, list[Issue]]:
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
    book_part = _office_document(zf, members)
    if book_part is None or book_part not in members:
        zf.close()
        return None, [error("file-no-workbook", loc)]
    root = ET.fromstring(zf.read(book_part))
    rels = _relationships(zf, book_part)
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
    return Workbook(path, zf, sheets, parts, names), []


_ODS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
}
_ODS_REF = re.compile(r"^\$?(?:'((?:[^']|'')+)'|([^.']+))\.\$?([A-Z]{1,3})\$?(\d+)$")


def _open_ods(path: Path, zf: zipfile.ZipFile, loc: Location) -> tuple[Workbook | None, list[Issue]]:
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


def _office_document(zf: zipfile.ZipFile, members: set[str]) -> str | None:
    if "_rels/.rels" in members:
        root = ET.fromstring(zf.read("_rels/.rels"))
        for rel in root.iterfind("pr:Relationship", _NS):
            if rel.get("Type", "").endswith("/officeDocument"):
                return rel.get("Target", "").lstrip("/")
    return "xl/workbook.xml" if "xl/workbook.xml" in members else None


def _relationships(zf: zipfile.ZipFile, part: str) -> dict[str, str]:
    folder, _, base = part.rpartition("/")
    rels_part = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
    try:
        root = ET.fromstring(zf.read(rels_part))
    except KeyError:
        return {}
    out: dict[str, str] = {}
    for rel in root.iterfind("pr:Relationship", _NS):
        target = rel.get("Target", "")
        if target.startswith("/"):
            target = target.lstrip("/")
        elif folder:
            target = f"{folder}/{target}"
        out[rel.get("Id", "")] = target
    return out


def _describe_bytes(path: Path) -> L:
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
