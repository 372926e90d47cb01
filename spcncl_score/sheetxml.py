"""Read a form's input cells straight from the .xlsx XML, when that gives exactly what calamine gives.

Reading a dossier needs about 45 cells, but calamine parses every cell, shared string and style of
every sheet it is asked for (2-3x the cost of merely inflating the zip members, docs/performance.md
§2). This module reads only the named cells, and only from XML plain enough to be sure of the
result: every check below that fails returns None, and the caller then reads the sheet with
calamine exactly as before. "Plain" is deliberately narrow: what xlsxwriter (our form writer),
Excel and openpyxl write for ordinary values. Anything else (rich text, dates, escapes such as
``_x000D_``, comments, unknown cell types, odd encodings) is calamine's.

Being exact covers what is *not* read, too: calamine fails or panics on a whole sheet for one bad
cell anywhere in it, and the reader then reports the file (or reads the sheet with openpyxl). So a
sheet is accepted only if all of it is valid, which is proved once per *skeleton* (the sheet XML
minus the named cells and formula cells, i.e. the template's labels and layout; its variants,
which differ only in label indexes and row heights, are recognised without a new proof) and
cached; each file then only costs locating and checking its own named and formula cells.

The zip is read from the file's bytes in memory (LeanZip, ZipBytes): the members a template
shares (relationships, workbook.xml, styles, the _meta sheet) are parsed once per distinct stored
content, and anything unusual about a member is left to zipfile, which then gives the same bytes
or raises its own error where it always did.

``tests/test_sheetxml.py`` compares all this with the plain path (zipfile and calamine) on the
samples, the intake corpus, hand-made XML variants and hypothesis-generated values.
"""

from __future__ import annotations

import functools
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any, NamedTuple
from xml.etree import ElementTree as ET

MISSING: Any = object()  # "not in a cache" / "not available here", distinct from a cached None


class _Cache(dict[Any, Any]):
    """A dict that empties itself when full: memory stays flat over a long run."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def put(self, key: Any, value: Any) -> Any:
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


# Parsed members, by their stored (compressed) bytes (ZipBytes.parse_cached): every form of one
# criteria set shares its workbook.xml, relationships, styles and _meta sheet, parsed once.
_MEMBERS = _Cache(512)
_SKELETONS = _Cache(32)  # proved (or refused: None) skeletons by segment lengths, up to 32 each
_CELLS = _Cache(50_000)  # cell elements already parsed
_TEXTS = _Cache(50_000)  # shared strings already decoded
_OUTSIDES = _Cache(64)  # the XML around <sheetData> already checked (its merged ranges, or None)
_BOOK_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
_FAMILIES: dict[tuple[tuple[str, ...], tuple[str, ...]], Any] = {}  # the last proved skeleton per set of holes
_FORMULA_HOLES: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}

# The five predefined XML entities are the only references accepted (no numeric ones: what a
# parser makes of &#0; or a lone surrogate is not worth guessing).
# (written as "unrolled loops": the same languages as (?:[^<&]|&entity;)*, many times faster in re)
_TEXT = rb"[^<&]*(?:&(?:amp|lt|gt|quot|apos);[^<&]*)*"
_ATTR_VALUE = rb'"[^"<&]*(?:&(?:amp|lt|gt|quot|apos);[^"<&]*)*"'
_ATTRS = rb"(?:\s+[A-Za-z_][\w.:-]*\s*=\s*" + _ATTR_VALUE + rb")*"
_XML_DECL = re.compile(rb'<\?xml(?:\s+[a-z]+\s*=\s*(?:"[^"<>]*"|\'[^\'<>]*\'))*\s*\?>\s*')
_ENCODING = re.compile(rb'encoding\s*=\s*["\']([^"\']*)["\']')
# a cell as xlsxwriter, Excel and openpyxl write it: r, s, t in this order, then an optional
# formula and then a cached value (<v>) or an inline string (<is>)
_CELL = re.compile(
    rb'<c r="([A-Z]{1,3}[1-9][0-9]{0,6})"(?: s="([0-9]{1,6})")?(?: t="(n|s|b|e|str|inlineStr)")?'
    rb"(?:\s*/>|>"
    rb"(<f" + _ATTRS + rb"\s*/>|<f" + _ATTRS + rb"\s*>" + _TEXT + rb"</f>)?"
    rb"(?:<v>(" + _TEXT + rb")</v>|(<v\s*/>)|<is><t( xml:space=\"preserve\")?>(" + _TEXT + rb")</t></is>)?"
    rb"</c>)"
)
_ROW_ATTRS = rb'(?:\s+(?:r="[1-9][0-9]{0,6}"|(?!r\s*=)[A-Za-z_][\w.:-]*\s*=\s*' + _ATTR_VALUE + rb"))*"
# the same cell without groups, for whole-sheet matching (capturing groups slow re down)
_CELL_PLAIN = re.sub(rb"\((?!\?)", b"(?:", _CELL.pattern)
# <sheetData>'s content: rows of cells, white space between (checked in one call)
_ROWS = re.compile(rb"(?:\s*<row" + _ROW_ATTRS + rb"\s*(?:/>|>(?:\s*" + _CELL_PLAIN + rb")*\s*</row>))*\s*")
# each cell of a checked <sheetData>, with its ref
_CELLS_OF_DATA = re.compile(
    rb'(<c r="([A-Z]{1,3}[1-9][0-9]{0,6})"' + _CELL_PLAIN[len(rb'<c r="(?:[A-Z]{1,3}[1-9][0-9]{0,6})"') :] + rb")"
)
# the XML around <sheetData>: tags and text only (no comment, CDATA, DOCTYPE, instruction), and
# each tag's parts, found the same way (quoted values may hold '>' or '/')
# (possessive: with text that may match empty inside a repeated group, a failing match would try
# every way of splitting a long text run: minutes for 200 KB of spaces before a broken tag)
_OUTSIDE = re.compile(
    rb"(?:<[A-Za-z_][\w.:-]*" + _ATTRS + rb"\s*/?>|</[A-Za-z_][\w.:-]*\s*>|[^<&]++|&(?:amp|lt|gt|quot|apos);)*+"
)
_OUTSIDE_TAG = re.compile(rb"<(/?)([A-Za-z_][\w.:-]*)(" + _ATTRS + rb")\s*(/?)>")
# a formula cell, roughly (to make it a hole before proving; the proof finds them exactly)
_FORMULA_REFS = re.compile(rb'<c r="([A-Z]{1,3}[1-9][0-9]{0,6})"[^>]*><f\b')
# what the skeletons of one template differ in (see _Family): a label cell's shared-string index,
# a row's height (set by the form writer from the texts typed in). No look-behinds, literal
# replacements: several times faster in re.
_LABEL_STRING = re.compile(rb' t="s"><v>([0-9]+)</v>')
_VARYING_LABEL = re.compile(rb' t="s"><v>[0-9]+</v>')
_VARYING_HEIGHT = re.compile(rb' ht="[0-9.]+"')
_MERGE = re.compile(rb'\s+ref="([A-Z]{1,3})([1-9][0-9]{0,6}):([A-Z]{1,3})([1-9][0-9]{0,6})"\s*')
_DIMENSION = re.compile(rb'\s+ref="[A-Z]{1,3}[1-9][0-9]{0,6}(?::[A-Z]{1,3}[1-9][0-9]{0,6})?"\s*')
_NUMBER = re.compile(rb"-?[0-9]+(?:\.[0-9]+)?(?:[Ee][+-]?[0-9]+)?")
# the plainest number cell: a subset of _CELL, classified ("n", style, value) as _classify would
_PLAIN_NUMBER_CELL = re.compile(
    rb'<c r="[A-Z]{1,3}[1-9][0-9]{0,6}"(?: s="([0-9]{1,6})")?(?: t="n")?><v>(' + _NUMBER.pattern + rb")</v></c>"
)
_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")  # calamine decodes these in strings; leave it to calamine
# calamine reads these cached errors, as an empty cell
_ERRORS = {b"#DIV/0!", b"#N/A", b"#NAME?", b"#NULL!", b"#NUM!", b"#REF!", b"#VALUE!"}
# number formats calamine (any version) reads as plain numbers: General, 0, 0.00, #,##0, %,
# scientific, fractions, accounting, text (@); every date and time format (14-22, 45-47) and the
# locale-dependent ids (23-36, 50-81) are left to calamine
_PLAIN_BUILTIN_FORMATS = frozenset([*range(0, 14), *range(37, 45), 48, 49])
_PLAIN_CUSTOM_FORMAT = re.compile(r'[0#?.,%@ ;+\-()]*|"[^"]*"[0#?.,%@ ;+\-()]*')
_REF = re.compile(r"([A-Z]{1,3})([1-9][0-9]*)")
_SHEET_PART = re.compile(r"xl/worksheets/[A-Za-z0-9_]+\.xml")
FAST_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")  # what calamine opens as .xlsx by its name
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROOTS = {root: re.compile(rb"\s*<" + root + _ATTRS + rb"\s*>") for root in (b"sst", b"worksheet")}


class ZipEntry(NamedTuple):
    """The fields of a central-directory entry that reading uses (named as zipfile.ZipInfo's)."""

    filename: str
    flag_bits: int
    compress_type: int
    CRC: int
    compress_size: int
    file_size: int
    header_offset: int


_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # zipfile.structCentralDir
_new_tuple = tuple.__new__  # a NamedTuple without its keyword-handling __new__ (3x faster)


class LeanZip:
    """The central directory of a plain zip in memory, read without building zipfile.ZipInfo objects.

    Only the plainest archive is accepted (what xlsxwriter, Excel, LibreOffice and zipfile write):
    no archive comment, no zip64, nothing before the first member, ASCII names, no extra fields,
    the directory exactly where the end record says. ``zipfile.ZipFile`` then reads the same entries
    without error, so ``parse`` returning None (use zipfile) or an object changes nothing but time;
    reading a member, listing or opening one is left to a ZipFile made on demand.
    """

    def __init__(self, data: bytes, entries: dict[str, ZipEntry]) -> None:
        self.data = data
        self.NameToInfo = entries
        self._zf: zipfile.ZipFile | None = None

    @classmethod
    def parse(cls, data: bytes) -> LeanZip | None:
        end = len(data) - 22
        if end < 0 or data[end : end + 4] != b"PK\x05\x06" or data[-2:] != b"\x00\x00":
            return None  # zipfile searches for an end record behind a comment: its business
        if end >= 20 and data[end - 20 : end - 16] == b"PK\x06\x07":
            return None  # zip64
        size_cd, offset_cd = struct.unpack_from("<LL", data, end + 12)
        if offset_cd + size_cd != end:
            return None  # data before the archive or a bad offset
        entries: dict[str, ZipEntry] = {}
        pos = offset_cd
        while pos < end:
            if pos + 46 > end:
                return None
            (sig, _, _, extract, _, flags, method, _, _, crc, csize, usize, name_len, extra_len, comment_len, _, _, _,
             offset) = _CENTRAL.unpack_from(data, pos)  # fmt: skip
            if sig != b"PK\x01\x02" or extract > 63 or extra_len:
                return None
            name_end = pos + 46 + name_len
            raw_name = data[pos + 46 : name_end]
            if name_end + comment_len > end or not raw_name.isascii():
                return None
            name = raw_name.decode("ascii")
            if name in entries:
                return None
            entries[name] = _new_tuple(ZipEntry, (name, flags, method, crc, csize, usize, offset))
            pos = name_end + comment_len
        return cls(data, entries) if pos == end else None

    def infolist(self) -> list[ZipEntry]:
        return list(self.NameToInfo.values())

    def getinfo(self, name: str) -> ZipEntry:
        return self.NameToInfo[name]

    def zipfile(self) -> zipfile.ZipFile:
        if self._zf is None:
            self._zf = zipfile.ZipFile(io.BytesIO(self.data))
        return self._zf

    def read(self, name: str) -> bytes:
        return self.zipfile().read(name)

    def open(self, name: str) -> IO[bytes]:
        return self.zipfile().open(name)

    def namelist(self) -> list[str]:
        return list(self.NameToInfo)

    def close(self) -> None:
        if self._zf is not None:
            self._zf.close()


class ZipBytes:
    """The members of a zip held in memory, inflated without zipfile's per-member overhead.

    ``read`` returns None whenever anything is unusual (encryption, another method, a local header
    that disagrees with the directory, a bad CRC or size): the caller then uses ``zipfile``, which
    gives the same bytes or raises its own error, exactly as before.
    """

    def __init__(self, data: bytes, zf: zipfile.ZipFile | LeanZip) -> None:
        self.data = data
        self.zf = zf

    def locate(self, name: str) -> tuple[int, Any] | None:
        """(offset of the stored bytes, directory entry) of a plain member, or None."""
        info = self.zf.NameToInfo.get(name)
        if info is None:
            return None
        if info.flag_bits & 0x61 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            return None  # encrypted, patched or strongly encrypted; other methods
        data, off = self.data, info.header_offset
        if not data.startswith(b"PK\x03\x04", off) or off + 30 > len(data):
            return None
        name_len, extra_len = struct.unpack_from("<HH", data, off + 26)
        if name_len != len(name) or not name.isascii() or not data.startswith(name.encode("ascii"), off + 30):
            return None
        start = off + 30 + name_len + extra_len
        if start + info.compress_size > len(data):
            return None
        return start, info

    def inflate(self, start: int, info: Any) -> bytes | None:
        """The member's bytes if they inflate to its size and CRC (else None: zipfile will say why)."""
        stored = self.data[start : start + info.compress_size]
        try:
            raw = zlib.decompress(stored, -15) if info.compress_type == zipfile.ZIP_DEFLATED else stored
        except zlib.error:
            return None
        if len(raw) != info.file_size or zlib.crc32(raw) != info.CRC:
            return None
        return raw

    def read(self, name: str) -> bytes | None:
        found = self.locate(name)
        return None if found is None else self.inflate(*found)

    def parse_cached(self, kind: Any, names: tuple[str, ...], parse: Callable[..., Any]) -> Any:
        """``parse(*contents)`` of members ``names`` (None for an absent one), once per distinct
        stored bytes; MISSING if a member is not plain or ``parse`` raises: the caller then does it
        the plain way, which gives the same result or raises the same error as it always did."""
        found: list[tuple[int, Any] | None] = []
        for name in names:
            if name not in self.zf.NameToInfo:
                found.append(None)
                continue
            at = self.locate(name)
            if at is None:
                return MISSING
            found.append(at)
        key = (kind, names, *((f[1].compress_type, f[1].CRC, f[1].compress_size) if f else None for f in found))
        hit = _MEMBERS.get(key)
        data = self.data
        # the same stored bytes with the same method, CRC and size: the same contents (compared in
        # place, neither copied nor hashed)
        if hit is not None and all(
            (f is None) if s is None else (f is not None and data.startswith(s, f[0]))
            for s, f in zip(hit[0], found, strict=True)
        ):
            return hit[1]
        contents: list[bytes | None] = []
        stored: list[bytes | None] = []
        for f in found:
            if f is None:
                contents.append(None)
                stored.append(None)
                continue
            raw = self.inflate(*f)
            if raw is None:
                return MISSING
            contents.append(raw)
            stored.append(data[f[0] : f[0] + f[1].compress_size])
        try:
            result = parse(*contents)
        except Exception:  # any failure is reproduced by the plain path
            return MISSING
        _MEMBERS.put(key, (stored, result))
        return result


def _unescape(text: str) -> str:
    if "&" not in text:
        return text
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _plain_text(raw: bytes, kept: bool = False) -> str | None:
    """A string's text as calamine gives it, or None where calamine would transform it.

    ``kept``: the text is marked xml:space="preserve"; calamine trims the spaces around any other.
    """
    if not kept and (raw[:1].isspace() or raw[-1:].isspace()):
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\r" in text or ("_x" in text and _ESCAPE.search(text)):
        return None  # line-end normalisation and _xHHHH_ escapes: calamine's business
    return _unescape(text)


def _root_body(raw: bytes, root: bytes) -> tuple[int, int] | None:
    """(start, end) of the content of the document element ``root``, if head and tail are plain.

    The content itself is the caller's to check (nothing but known tags and text may be in it).
    """
    pos = 0
    m = _XML_DECL.match(raw)
    if m:
        enc = _ENCODING.search(m.group(0))
        if enc and enc.group(1).lower() not in (b"utf-8", b"utf8"):
            return None
        pos = m.end()
    # the root must follow at once: no BOM, DOCTYPE, comment or processing instruction before it
    m2 = _ROOTS[root].match(raw, pos)
    if m2 is None:
        return None
    end = len(raw)
    while end and raw[end - 1] in b" \t\r\n":
        end -= 1
    closing = b"</" + root + b">"
    if not raw.endswith(closing, 0, end) or end - len(closing) < m2.end():
        return None
    return m2.end(), end - len(closing)


@dataclass(frozen=True)
class Styles:
    """Which cell formats calamine certainly reads as plain numbers (the rest may be dates)."""

    plain: frozenset[bytes]  # the s="..." values (cellXfs indexes) of plain number formats, and b''


def _parse_styles(raw: bytes) -> Styles | None:
    try:
        root = ET.fromstring(raw)
    except ET.ParseError:
        return None
    custom: dict[int, str] = {}
    for nf in root.iterfind(f"{_NS_MAIN}numFmts/{_NS_MAIN}numFmt"):
        fid, code = nf.get("numFmtId", ""), nf.get("formatCode")
        if not fid.isdigit() or code is None:
            return None
        custom[int(fid)] = code
    plain: set[bytes] = {b""}  # a number without s="..." is plain whatever the styles say
    for i, xf in enumerate(root.iterfind(f"{_NS_MAIN}cellXfs/{_NS_MAIN}xf")):
        fid = xf.get("numFmtId", "0")
        if not fid.isdigit():
            return None
        n = int(fid)
        if n in custom:
            # a builtin id redefined: which definition calamine uses is not worth guessing
            ok = n >= 164 and _PLAIN_CUSTOM_FORMAT.fullmatch(custom[n]) is not None
        else:
            ok = n in _PLAIN_BUILTIN_FORMATS
        if ok:
            plain.add(b"%d" % i)  # s="007" is not matched: such a cell is left to calamine
    return Styles(frozenset(plain))


class SharedStrings:
    """The shared strings table, checked as a whole and decoded only where a named cell needs it."""

    def __init__(self, pieces: list[bytes]) -> None:
        self.pieces = pieces  # the raw <si> contents, '<si><t ...>text' each

    def __len__(self) -> int:
        return len(self.pieces)

    def text(self, i: int) -> str | None:
        piece = self.pieces[i]
        found = _TEXTS.get(piece, MISSING)  # answers, yes/no words, choices recur in every form
        if found is MISSING:
            start = piece.find(b">", 4) + 1  # after '<si><t>' or '<si><t xml:space="preserve">'
            found = _TEXTS.put(piece, _plain_text(piece[start:], kept=start > 7))
        return found


def parse_shared_strings(raw: bytes) -> SharedStrings | None:
    """Only the plainest table: <si><t>text</t></si> items (no rich text, no phonetic runs)."""
    span = _root_body(raw, b"sst")
    if span is None:
        return None
    body = raw[span[0] : span[1]]
    n = body.count(b"</t></si>")
    if n == 0:
        return SharedStrings([]) if not body.strip() else None
    # Every '<' belongs to one of n openings and n closings, the items alternate (n - 1 closings
    # directly followed by an opening) and nothing else is tagged: the table is exactly
    # (<si><t[ xml:space="preserve"]>text</t></si>){n}, its texts free of '<'.
    plain_open, kept_open = body.count(b"<si><t>"), body.count(b'<si><t xml:space="preserve">')
    if (
        not body.startswith(b"<si><t")
        or not body.endswith(b"</t></si>")
        or plain_open + kept_open != n
        or body.count(b"<") != 4 * n
        or body.count(b"</si><si>") != n - 1
    ):
        return None
    if b"&" in body:
        entities = sum(body.count(e) for e in (b"&amp;", b"&lt;", b"&gt;", b"&quot;", b"&apos;"))
        if body.count(b"&") != entities:
            return None
    try:
        body.decode("utf-8")  # calamine refuses a table with invalid UTF-8 anywhere
    except UnicodeDecodeError:
        return None
    pieces = body.split(b"</t></si>")
    pieces.pop()  # the empty tail after the last item
    return SharedStrings(pieces)


@dataclass(frozen=True)
class _Skeleton:
    """What was proved about a sheet's XML outside its named and formula cells."""

    merged: tuple[tuple[int, int, int, int], ...]
    max_string: int  # highest shared-string index used outside the holes (-1: none)
    number_styles: frozenset[bytes]  # styles of numbers outside the holes (b'' = no style)


@dataclass
class FastSheet:
    """The named cells of one sheet: values as calamine gives them and their XML."""

    values: dict[str, Any]
    cell_xml: dict[str, bytes | None]
    merged: list[tuple[int, int, int, int]]

    def raw_cell_xml(self, cell: str) -> str | None:
        # as Workbook.raw_cell_xml decodes the whole sheet: the cell starts and ends at ASCII
        # bytes, so decoding the cell alone gives the same text
        xml = self.cell_xml[cell]
        return None if xml is None else xml.decode("utf-8", "replace")


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


@functools.lru_cache(maxsize=256)
def sheet_order(refs: frozenset[str]) -> tuple[str, ...]:
    """Cell refs in the order a sheet's XML holds them (row by row, left to right)."""
    return tuple(sorted(refs, key=_order))


def _order(ref: str) -> tuple[int, int]:
    m = _REF.fullmatch(ref)
    if m is None:
        raise ValueError(ref)
    return int(m.group(2)), _col_number(m.group(1).encode())


class BookParts(NamedTuple):
    """What FastBook.open checks of xl/styles.xml and the workbook parts, worked out beforehand."""

    styles: Styles | None  # None: no styles part
    usable: bool  # False: they rule the direct reading out


def book_parts(styles: bytes | None, book: bytes | None, rels: bytes | None) -> BookParts:
    """FastBook.open's verdict on these parts' contents (None: absent), all of which inflated."""
    parsed = None if styles is None else _parse_styles(styles)
    return BookParts(parsed, book is not None and rels is not None and (styles is None or parsed is not None))


class FastBook:
    """The workbook-level parts calamine reads when it opens a file, proved plain, and the sheets."""

    def __init__(self, zb: ZipBytes, strings: SharedStrings | None, styles: Styles | None) -> None:
        self.zb = zb
        self.strings = strings
        self.styles = styles

    @classmethod
    def open(cls, zb: ZipBytes, parts: BookParts | None = None) -> FastBook | None:
        """None unless calamine would certainly open this workbook and read its tables as here.

        ``parts``: the styles and workbook parts already checked with the layout (book_parts).
        """
        # calamine reads these fixed paths when it opens a file, whatever the relationships say
        strings = None
        if "xl/sharedStrings.xml" in zb.zf.NameToInfo:
            raw = zb.read("xl/sharedStrings.xml")  # one per file: not worth caching
            strings = None if raw is None else parse_shared_strings(raw)
            if strings is None:
                return None
        if parts is None:
            styles = None
            if "xl/styles.xml" in zb.zf.NameToInfo:
                styles = zb.parse_cached("styles", ("xl/styles.xml",), _parse_styles)
                if styles is None or styles is MISSING:
                    return None
            # calamine inflates these too when it opens the file: a damaged one is calamine's to report
            if zb.parse_cached("inflates", _BOOK_PARTS, _both_present) is not True:
                return None
            parts = BookParts(styles, True)
        return cls(zb, strings, parts.styles) if parts.usable else None

    def sheet(self, part: str, needed: tuple[str, ...]) -> FastSheet | None:
        """The named cells ``needed`` (in sheet_order) of the sheet in zip member ``part``, or None."""
        if _SHEET_PART.fullmatch(part) is None:
            return None
        at = self.zb.locate(part)
        if at is None:
            return None
        located: Any
        if at[1].file_size <= 4096:
            # small sheets recur whole (the _meta sheet): located once per distinct content
            located = self.zb.parse_cached(("sheet", needed), (part,), lambda raw: _locate(raw, needed, part))
        else:
            raw = self.zb.inflate(*at)
            located = None if raw is None else _locate(raw, needed, part)
        if located is None or located is MISSING:
            return None
        skeleton, holes = located
        return self._values(skeleton, holes, needed)

    def _values(self, skeleton: _Skeleton, holes: dict[str, bytes], needed: tuple[str, ...]) -> FastSheet | None:
        """Check this file's hole cells and read them; None if any is not plain."""
        strings = self.strings
        plain = (self.styles or _NO_STYLES).plain
        if skeleton.max_string >= (len(strings) if strings is not None else 0):
            return None
        if not skeleton.number_styles <= plain:
            return None
        values: dict[str, Any] = {}
        known_cell, plain_number = _CELLS.get, _PLAIN_NUMBER_CELL.fullmatch
        for ref, xml in holes.items():
            cell = known_cell(xml, MISSING)
            if cell is MISSING:
                number = plain_number(xml)
                if number is not None:
                    # a number typed in: the commonest cell, and rarely the same twice (not cached);
                    # what _classify says of it, found with a simpler pattern
                    cell = ("n", number.group(1) or b"", number.group(2))
                else:
                    m = _CELL.fullmatch(xml)
                    cell = _CELLS.put(xml, None if m is None else _classify(m))
            if cell is None:
                return None
            kind, style, content = cell
            value: Any
            if kind == "":
                value = ""
            elif kind == "n":
                if style not in plain:
                    return None
                value = float(content)
            elif kind == "s":
                i = int(content)
                if strings is None or i >= len(strings):
                    return None
                value = strings.text(i)
                if value is None:
                    return None
            elif kind == "b":
                value = content == b"1"
            else:  # str, inlineStr
                value = _plain_text(content, kind == "kept")
                if value is None:
                    return None
            values[ref] = value
        cell_xml: dict[str, bytes | None] = holes  # type: ignore[assignment]
        if len(holes) < len(needed) or any(ref not in holes for ref in needed):
            cell_xml = dict(holes)
            for ref in needed:
                if ref not in holes:
                    values[ref] = ""  # no such cell in the XML: calamine reads it as empty
                    cell_xml[ref] = None
        # (values and cell_xml may also hold formula holes: the true value and XML of those cells)
        return FastSheet(values, cell_xml, list(skeleton.merged))


def _locate(raw: bytes, needed: tuple[str, ...], part: str) -> tuple[_Skeleton, dict[str, bytes]] | None:
    """The sheet's proved skeleton and its hole cells (named cells and formula cells) by ref."""
    learned = (part, needed)
    extra = _FORMULA_HOLES.get(learned, ())
    for _ in range(3):
        cut = _cut(raw, needed, extra)
        if cut is None:
            return None
        segments, holes = cut
        skey = (needed, extra, tuple(map(len, segments)))
        skeleton = _known_skeleton(skey, segments)
        if skeleton is MISSING:
            # not seen before. Formula cells' cached values change with the inputs: they become
            # holes too, for this file and the next ones (found roughly here, exactly by _prove)
            formulas = {r.decode() for r in _FORMULA_REFS.findall(raw)}.difference(needed, extra)
            if formulas:
                extra = sheet_order(frozenset((*extra, *formulas)))
                _FORMULA_HOLES[learned] = extra
                continue
            # a variant of a proved skeleton (other shared-string indexes in its label cells)?
            family = _FAMILIES.get((needed, extra))
            skeleton = None if family is None else family.variant(segments)
            if skeleton is not None:
                _remember_skeleton(skey, segments, skeleton)
                return skeleton, holes
            # prove the sheet with every hole emptied (<c r="X"/>), so the verdict holds for any
            # file with this skeleton; each file's holes are checked in _values
            proved = _prove(_fill(segments, holes), (*needed, *extra))
            if proved is None:
                _remember_skeleton(skey, segments, None)
                return None
            skeleton, found = proved
            if found:
                extra = sheet_order(frozenset((*extra, *found)))
                _FORMULA_HOLES[learned] = extra
                continue
            _remember_skeleton(skey, segments, skeleton)
            family = _Family.of(segments, skeleton)
            if family is not None:
                _FAMILIES[(needed, extra)] = family
        return None if skeleton is None else (skeleton, holes)
    return None


# Skeletons are found by their segments' lengths (a cheap key: hashing ~20 KB of segments per
# file cost more than the rest of the lookup) and then compared whole; skeletons of one template
# often share the lengths (a label index 57 -> 58), so a key holds a few, the last found first.
def _known_skeleton(skey: tuple[Any, ...], segments: tuple[Any, ...]) -> Any:
    bucket = _SKELETONS.get(skey)
    if bucket:
        for i, (known, skeleton) in enumerate(bucket):
            if known == segments:
                if i:
                    bucket.insert(0, bucket.pop(i))
                return skeleton
    return MISSING


def _remember_skeleton(skey: tuple[Any, ...], segments: tuple[Any, ...], skeleton: _Skeleton | None) -> None:
    bucket = _SKELETONS.get(skey)
    if bucket is None:
        bucket = _SKELETONS.put(skey, [])
    bucket.insert(0, (segments, skeleton))
    del bucket[32:]


@dataclass(frozen=True)
class _Family:
    """A proved skeleton, kept to recognise its variants without proving them again.

    A template has a dozen skeletons: its label cells hold shared strings, whose indexes shift with
    the texts typed before them, and the form writer sizes rows to those texts. A skeleton whose
    segments equal this one's once every label index (t="s"><v>digits</v>) and row height
    (ht="digits") is blanked is the same XML with other digits where digits are all that is
    allowed: valid alike, with the same merged ranges and number styles; only its highest label
    index is its own, worked out from the segments that differ.
    """

    segments: tuple[Any, ...]
    blanked: tuple[Any, ...]
    highest: tuple[int, ...]  # per segment: its highest label index (-1: none)
    skeleton: _Skeleton

    @classmethod
    def of(cls, segments: tuple[Any, ...], skeleton: _Skeleton) -> _Family | None:
        highest = tuple(_highest_label(seg) for seg in segments)
        if max(highest, default=-1) != skeleton.max_string:
            return None  # not what the proof found: do not reason from it
        blanked = tuple(seg if isinstance(seg, str) else _blanked(seg) for seg in segments)
        return cls(segments, blanked, highest, skeleton)

    def variant(self, segments: tuple[Any, ...]) -> _Skeleton | None:
        if len(segments) != len(self.segments):
            return None
        highest = list(self.highest)
        for i, (mine, theirs) in enumerate(zip(self.segments, segments, strict=True)):
            if mine == theirs:
                continue
            if isinstance(mine, str) or isinstance(theirs, str) or _blanked(theirs) != self.blanked[i]:
                return None
            highest[i] = _highest_label(theirs)
        return _Skeleton(self.skeleton.merged, max(highest, default=-1), self.skeleton.number_styles)


def _blanked(segment: bytes) -> bytes:
    return _VARYING_HEIGHT.sub(b' ht=""', _VARYING_LABEL.sub(b' t="s"><v></v>', segment))


def _highest_label(segment: Any) -> int:
    if isinstance(segment, str):
        return -1
    return max(map(int, _LABEL_STRING.findall(segment)), default=-1)


def _fill(segments: tuple[Any, ...], holes: dict[str, bytes]) -> bytes:
    out: list[bytes] = []
    refs = iter(holes)
    for i, seg in enumerate(segments):
        if isinstance(seg, str):
            continue  # an absent cell
        out.append(seg)
        if i < len(segments) - 1:
            out.append(b'<c r="' + next(refs).encode() + b'"/>')
    return b"".join(out)


_NO_STYLES = Styles(frozenset({b""}))  # no styles part: only unstyled numbers are sure


def _classify(m: re.Match[bytes]) -> tuple[str, bytes, bytes] | None:
    """(kind, style, content) of a cell matched by _CELL, or None if calamine must read it.

    kind: '' empty, 'n' number, 's' shared string, 'b' boolean, 'str' text, 'kept' text marked
    xml:space="preserve"; errors read as ''.
    """
    _, style, t, _formula, v, empty_v, kept, inline = m.groups()
    style_s = style or b""
    if t == b"inlineStr":
        if v is not None or empty_v is not None:
            return None
        if inline is None:
            return "", style_s, b""
        return ("kept" if kept else "str"), style_s, inline
    if inline is not None:
        return None  # an inline string in a cell not typed inlineStr
    if v is None or v == b"":
        return "", style_s, b""
    if t is None or t == b"n":
        return ("n", style_s, v) if _NUMBER.fullmatch(v) else None
    if t == b"s":
        return ("s", style_s, v) if v.isdigit() else None
    if t == b"b":
        return ("b", style_s, v) if v in (b"0", b"1") else None
    if t == b"e":
        return ("", style_s, b"") if v in _ERRORS else None
    return "str", style_s, v  # t="str": a formula's text result


@functools.lru_cache(maxsize=256)
def _hole_tags(needed: tuple[str, ...], extra: tuple[str, ...]) -> tuple[tuple[str, bytes, int], ...]:
    """(ref, b'<c r="ref"', its length) of every hole, in sheet order."""
    refs = needed if not extra else sheet_order(frozenset((*needed, *extra)))
    tags = ((ref, b'<c r="' + ref.encode() + b'"') for ref in refs)
    return tuple((ref, tag, len(tag)) for ref, tag in tags)


def _cut(
    raw: bytes, needed: tuple[str, ...], extra: tuple[str, ...]
) -> tuple[tuple[Any, ...], dict[str, bytes]] | None:
    """Split the XML at the hole cells: (skeleton: the bytes between holes, {ref: cell element}).

    An absent cell is marked in the skeleton by its ref (a str) instead of a hole.
    """
    segments: list[Any] = []
    holes: dict[str, bytes] = {}
    pos = 0
    find = raw.find
    for ref, tag, size in _hole_tags(needed, extra):
        start = find(tag, pos)
        if start < 0:
            if find(tag) >= 0:
                return None  # present, but not in row order
            segments.append(ref)
            continue
        close = find(b">", start + size)
        if close < 0:
            return None
        if raw[close - 1] == 0x2F:  # '/>'
            end = close + 1
        else:
            end = find(b"</c>", close)
            if end < 0:
                return None
            end += 4
        segments.append(raw[pos:start])
        holes[ref] = raw[start:end]
        pos = end
    segments.append(raw[pos:])
    return tuple(segments), holes


def _prove(raw: bytes, holes: tuple[str, ...]) -> tuple[_Skeleton, list[str]] | None:
    """Check a whole sheet whose hole cells are empty; what holds outside them, and its formula cells."""
    span = _root_body(raw, b"worksheet")
    if span is None:
        return None
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    body_start, body_end = span
    open_at = raw.find(b"<sheetData>", body_start, body_end)
    close_at = raw.find(b"</sheetData>", body_start, body_end)
    if open_at < 0 or close_at < open_at:
        return None
    # the XML around the cells is the same in every variant of a template's skeleton: checked once
    outside = (raw[body_start:open_at], raw[close_at + 12 : body_end])
    merged = _OUTSIDES.get(outside, MISSING)
    if merged is MISSING:
        merged = _OUTSIDES.put(outside, _check_outside(*outside))
    if merged is None:
        return None
    data = raw[open_at + 11 : close_at]
    wanted = set(holes)
    seen: set[bytes] = set()
    formulas: list[str] = []
    max_string = -1
    number_styles: set[bytes] = set()
    if _ROWS.fullmatch(data) is None:
        return None
    for xml, ref in _CELLS_OF_DATA.findall(data):
        if ref in seen:
            return None  # a cell twice: which one calamine keeps is its business
        seen.add(ref)
        name = ref.decode()
        if name in wanted:
            continue
        cell = _CELLS.get(xml, MISSING)
        if cell is MISSING:
            cell = _CELLS.put(xml, _classify(_CELL.fullmatch(xml)))  # type: ignore[arg-type]
        if cell is None:
            return None
        if b"<f" in xml:
            formulas.append(name)  # a formula's cached value follows the inputs: a hole
            continue
        kind, style, content = cell
        if kind == "s":
            max_string = max(max_string, int(content))
        elif kind == "n":
            number_styles.add(style)
    return _Skeleton(tuple(merged), max_string, frozenset(number_styles)), formulas


def _check_outside(before: bytes, after: bytes) -> list[tuple[int, int, int, int]] | None:
    """The XML around <sheetData> is well formed and plain; its merged ranges, 0-based, in order."""
    merged: list[tuple[int, int, int, int]] = []
    for part, is_after in ((before, False), (after, True)):
        if _OUTSIDE.fullmatch(part) is None:
            return None  # nothing but plain tags and text
        stack: list[bytes] = []
        for closing, name, attrs, selfclosing in _OUTSIDE_TAG.findall(part):
            if closing:
                if not stack or stack.pop() != name:
                    return None
                continue
            local = name.rpartition(b":")[2]
            if local in (b"sheetData", b"row", b"c"):
                return None
            if local in (b"mergeCells", b"mergeCell"):
                # merged ranges: only the plain <mergeCells><mergeCell ref="A1:B2"/>...</mergeCells>
                if local == b"mergeCells" and (stack or not is_after or name != local):
                    return None
                if local == b"mergeCell":
                    mm = _MERGE.fullmatch(attrs)
                    if stack != [b"mergeCells"] or not selfclosing or mm is None or name != local:
                        return None
                    c1, r1, c2, r2 = mm.groups()
                    merged.append((int(r1) - 1, _col_number(c1) - 1, int(r2) - 1, _col_number(c2) - 1))
            elif local == b"dimension" and _DIMENSION.fullmatch(attrs) is None:
                return None
            if not selfclosing:
                stack.append(name)
        if stack:
            return None
    return merged


def _both_present(book: bytes | None, rels: bytes | None) -> bool:
    return book is not None and rels is not None
