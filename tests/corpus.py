"""A corpus of broken, odd and hostile dossier files, to run beside the good samples.

    python tests/corpus.py DEST        # writes the corpus under DEST and prints what each file is

``build_corpus(dest)`` writes real files (forms made by ``write_form`` and then damaged with
openpyxl or zipfile, as an enterprise's software or a bad copy would damage them) plus a few
hand-made binaries, and returns ``{relative path: expected}`` where ``expected`` is:

- an issue code the run must report for that file (``file-empty``, ``cell-merged``, ...);
- ``"ok"``: a dossier that must read cleanly and be scored (scoring warnings such as
  ``score-self-score-used`` aside);
- ``"info"``: a file that is not a spreadsheet, ignored with an info line (``file-ignored``);
- ``"skip"``: an Excel/LibreOffice lock file, skipped (``file-lock-skipped``).

Every enterprise, tax code and figure is fictitious. Dossiers that read without errors are
made to fail the location gate (neither head office nor factory in Hanoi), so they are scored
but never ranked: the good samples beside them must keep exactly their ranks.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import struct
import sys
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script
    sys.path.insert(0, str(ROOT))

OK, INFO, SKIP = "ok", "info", "skip"
REPORTING_YEAR = 2025
FIXED_ZIP_TIME = (2025, 3, 31, 9, 0, 0)

# Files the tests look at more closely than by their code.
NUMBER_WRITING = "cty-so-lieu-go-tay/so-kieu-viet.xlsx"
NFD_DOSSIER = "Công ty Gốm Ánh Dương/HỒ SƠ TỰ ĐÁNH GIÁ.XLSX"
INJECTION = "cty-ten-cong-thuc/ho-so.xlsx"
DUPLICATES = ("cty-nop-hai-lan/lan-1.xlsx", "cty-nop-hai-lan/lan-2-sua-lai.xlsx")
ZIP_BOMB = "tep-hong/bom-nen.xlsx"
CSV_SPLIT = "tep-hong/danh-sach-doanh-nghiep.xlsx"  # a CSV whose 512th byte falls inside a letter
XLSM = "cty-macro/ho-so-co-macro.xlsm"
ODS_FORM = "cty-libreoffice/ho-so-luu-bang-libreoffice.ods"
# substrings the message of the expected issue must contain (Vietnamese)
MESSAGE_HINTS: dict[str, str] = {
    "so-lieu-bat-thuong/doanh-thu-am.xlsx": "Doanh thu âm",
    "so-lieu-bat-thuong/xuat-khau-vuot-doanh-thu.xlsx": "Kim ngạch xuất khẩu lớn hơn doanh thu",
    "so-lieu-bat-thuong/tang-truong-ao.xlsx": "Tăng trưởng doanh thu trên 1000",
    "so-lieu-bat-thuong/qua-nhieu-lao-dong.xlsx": "Số lao động quá lớn",
    "tep-hong/mat-khau.xlsx": "mật khẩu",
    "tep-hong/excel-2003.xls": ".xls",
    ZIP_BOMB: "MB",
}

# The base dossier: sample hn05's figures (samples/specs.py), with its own identity per file.
BASE_VALUES: dict[str, Any] = {
    "enterprise_name": "Công ty TNHH Thử nghiệm Hồ sơ",
    "tax_code": "0199000000",
    "head_office_address": "Số 1 đường Thử Nghiệm, phường Dĩ An, thành phố Dĩ An, tỉnh Bình Dương",
    "head_office_in_hanoi": False,
    "factory_address": "Khu công nghiệp Sóng Thần, tỉnh Bình Dương",
    "factory_in_hanoi": False,
    "product_name": "Sản phẩm thử nghiệm",
    "industry_group": "hoa_chat_nhua_duoc",
    "high_tech_listed": False,
    "handicraft": False,
    "startup": False,
    "compliance_commitment": True,
    "iso9001": True,
    "iso14001": True,
    "standard_conformity": True,
    "revenue@0": 560,
    "revenue@1": 500,
    "revenue@2": 460,
    "export_usd@0": 2_400_000,
    "export_usd@1": 2_000_000,
    "export_usd@2": 1_700_000,
    "workers@0": 280,
    "workers@1": 275,
    "workers@2": 262,
    "budget_contribution@0": 22,
    "budget_contribution@1": 19.5,
    "budget_contribution@2": 17,
}
BASE_SELF_SCORES: dict[str, Any] = {
    "a1_growth": 12,
    "a2_scale": 15,
    "b1_productivity": 6,
    "b2_export": 5,
    "c1_iso9001": 8,
    "c2_iso14001": 6,
    "c3_conformity": 6,
    "d1_budget": 10,
    "d2_technology": 7,
}


# --------------------------------------------------------------------------------------------
# criteria and forms
# --------------------------------------------------------------------------------------------
_SETS: dict[str, Any] = {}


def criteria(name: str = "hanoi-spcncl") -> Any:
    if name not in _SETS:
        from spcncl_score.criteria.loader import load_criteria

        cs, issues = load_criteria(name)
        assert cs is not None, [i.render("en") for i in issues]
        _SETS[name] = cs
    return _SETS[name]


def dossier_values(n: int, **overrides: Any) -> dict[str, Any]:
    """The base values with a unique tax code, enterprise and product for dossier ``n``."""
    values = dict(BASE_VALUES)
    values["tax_code"] = f"0199{n:06d}"
    values["enterprise_name"] = f"Công ty TNHH Thử nghiệm Hồ sơ số {n}"
    values["product_name"] = f"Sản phẩm thử nghiệm số {n}"
    values.update(overrides)
    return values


def write_dossier(
    path: Path,
    n: int,
    values: Mapping[str, Any] | None = None,
    self_scores: Mapping[str, Any] | None = None,
    criteria_name: str = "hanoi-spcncl",
) -> Path:
    from spcncl_score.intake.form import write_form

    path.parent.mkdir(parents=True, exist_ok=True)
    vals = dossier_values(n) if values is None else dict(values)
    selfs = dict(BASE_SELF_SCORES) if self_scores is None else dict(self_scores)
    write_form(criteria(criteria_name), path, reporting_year=REPORTING_YEAR, values=vals, self_scores=selfs)
    return path


def name_cell(wb: Any, name: str) -> tuple[Any, str]:
    """The worksheet and cell (e.g. 'D9') a workbook-level defined name points at (openpyxl)."""
    dn = wb.defined_names[name]
    sheet, ref = next(iter(dn.destinations))
    return wb[sheet], ref.replace("$", "")


def edit(path: Path, change: Callable[[Any], None]) -> Path:
    """Open ``path`` with openpyxl, apply ``change`` to the workbook, save it in place."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    change(wb)
    wb.save(path)
    return path


# --------------------------------------------------------------------------------------------
# zip and OLE (compound file) building blocks
# --------------------------------------------------------------------------------------------
def write_zip(path: Path, members: Mapping[str, bytes], *, stored_first: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if name == stored_first else zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return path


def rezip(src: Path, dest: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """Copy the zip ``src`` to ``dest`` member by member; ``change`` may alter or drop (None) each one."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info, data)
    return dest


def corrupt_member(src: Path, dest: Path, member: str, want: type[BaseException]) -> Path:
    """Flip one byte of ``member``'s compressed data so that reading it raises ``want``.

    ``zlib.error``: the deflate stream itself is broken (a bad sector, a bad download);
    ``zipfile.BadZipFile``: the stream inflates but to other bytes (CRC mismatch).
    """
    data = src.read_bytes()
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for off in range(info.compress_size):
        d = bytearray(data)
        d[start + off] ^= 0xFF
        try:
            with zipfile.ZipFile(io.BytesIO(bytes(d))) as zf:
                zf.read(member)
        except want:
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(bytes(d))
            return dest
        except Exception:
            continue
    raise AssertionError(f"no single-byte flip of {member} raises {want.__name__}")


def entity_bomb(name: str, data: bytes) -> bytes:
    """``rezip`` change: workbook.xml behind a "billion laughs" DTD (10^9 'lol's if expanded)."""
    if name != "xl/workbook.xml":
        return data
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    dtd = f'<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY lol0 "lol">{entities}]>'.encode()
    body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
    return dtd + body.replace(b"<sheets>", b"<sheets>&lol9;", 1)


def write_zip_bomb(path: Path, inflated_mb: int = 120, base: Path | None = None) -> Path:
    """A real form whose first sheet's XML is padded with whitespace to ``inflated_mb`` MB.

    Still a valid workbook (whitespace between elements is allowed), about 1 KB on disk per MB
    inflated. Written in chunks, so building it costs no memory.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        if base is None:
            base = write_dossier(Path(tmp) / "base.xlsx", 990)
        with zipfile.ZipFile(base) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                data = zin.read(info.filename)
                if info.filename != "xl/worksheets/sheet1.xml":
                    zout.writestr(info, data)
                    continue
                cut = data.index(b"<sheetData")
                member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                member.compress_type = zipfile.ZIP_DEFLATED
                chunk = b" " * (1 << 20)
                with zout.open(member, "w", force_zip64=True) as w:
                    w.write(data[:cut])
                    for _ in range(inflated_mb):
                        w.write(chunk)
                    w.write(data[cut:])
    return path


def cfb(streams: Mapping[str, bytes]) -> bytes:
    """A minimal valid OLE compound file (CFB v3) holding ``streams`` at the root (at most 3).

    Every stream is padded to 4096 bytes so that it lives in regular sectors (no mini stream).
    olefile reads the result; Excel would too, for what it is.
    """
    sector = 512
    free, end, fatsect, nostream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    assert 1 <= len(names) <= 3
    blobs = [streams[n].ljust(4096, b"\0") for n in names]
    fat = [fatsect, end]  # sector 0: the FAT, sector 1: the directory
    starts: list[int] = []
    for blob in blobs:
        count = -(-len(blob) // sector)
        starts.append(len(fat))
        fat.extend(range(len(fat) + 1, len(fat) + count))
        fat.append(end)
    assert len(fat) <= sector // 4
    fat += [free] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le")
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB3I", len(raw) + 2 if name else 0, kind, 1, left, right, child)
            + b"\0" * 16
            + struct.pack("<I", 0)
            + b"\0" * 16
            + struct.pack("<IQ", start, size)
        )

    entries = [entry("Root Entry", 5, nostream, nostream, 1, end, 0)]
    for i, (name, blob) in enumerate(zip(names, blobs, strict=True)):
        right = i + 2 if i + 1 < len(names) else nostream
        entries.append(entry(name, 2, nostream, right, nostream, starts[i], len(blob)))
    while len(entries) < 4:
        entries.append(b"\0" * 64 + struct.pack("<HBB3I", 0, 0, 0, nostream, nostream, nostream) + b"\0" * 48)
    header = struct.pack(
        "<8s16sHHHHH6s9I",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        1,
        1,
        0,
        4096,
        end,
        0,
        end,
        0,
    )
    header += struct.pack("<109I", 0, *([free] * 108))
    assert len(header) == sector
    return header + struct.pack(f"<{sector // 4}I", *fat) + b"".join(entries) + b"".join(blobs)


def encrypted_copy(src: Path, dest: Path, password: str = "matkhau2025") -> Path:
    """``src`` encrypted as Excel does (msoffcrypto-tool); a compound file with EncryptionInfo
    and EncryptionPackage streams when that tool is not installed."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        info = struct.pack("<HHI", 4, 4, 0x40) + b"<?xml version='1.0'?><encryption/>"
        dest.write_bytes(cfb({"EncryptionInfo": info, "EncryptionPackage": os.urandom(8) + src.read_bytes()}))
        return dest
    out = io.BytesIO()
    with src.open("rb") as fh:
        OOXMLFile(fh).encrypt(password, out)
    dest.write_bytes(out.getvalue())
    return dest


def biff8_stub() -> bytes:
    """The start of an Excel 97-2003 'Workbook' stream: a BOF record and an EOF record."""
    bof = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0x2775, 1997, 0x000080C9, 0x00000206)
    return bof + struct.pack("<HH", 0x000A, 0)


def docx_members() -> dict[str, bytes]:
    ct = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>'
    )
    doc = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        "<w:p><w:r><w:t>CÔNG VĂN đề nghị xét chọn sản phẩm công nghiệp chủ lực</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    return {"[Content_Types].xml": ct.encode(), "_rels/.rels": rels.encode(), "word/document.xml": doc.encode()}


def ods_members() -> dict[str, bytes]:
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
        '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Hồ sơ"><table:table-row>'
        "<table:table-cell><text:p>Tên doanh nghiệp</text:p></table:table-cell></table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    return {
        "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
        "META-INF/manifest.xml": manifest.encode(),
        "content.xml": content.encode(),
    }


def csv_split_at(boundary: int = 512) -> bytes:
    """A Vietnamese CSV (UTF-8) in which byte ``boundary`` falls in the middle of a letter."""
    rows = "STT;Tên doanh nghiệp;Mã số thuế\n" + "".join(
        f"{i};Công ty TNHH Thương mại Dịch vụ Việt Tiến {i};0199{i:06d}\n" for i in range(1, 30)
    )
    for pad in range(8):
        data = (" " * pad + rows).encode("utf-8")
        try:
            data[:boundary].decode("utf-8")
        except UnicodeDecodeError:
            return data
    raise AssertionError("no padding splits a letter at the boundary")


def xlsx_to_ods(src: Path, dest: Path) -> Path:
    """``src`` saved as OpenDocument, as LibreOffice does: cached cell values and the named ranges."""
    from xml.sax.saxutils import escape, quoteattr

    from openpyxl import load_workbook

    wb = load_workbook(src, data_only=True)
    tables: list[str] = []
    for ws in wb.worksheets:
        rows: list[str] = []
        for row in ws.iter_rows():
            cells: list[str] = []
            for c in row:
                v = c.value
                if v is None:
                    cells.append("<table:table-cell/>")
                elif isinstance(v, bool):
                    flag = "true" if v else "false"
                    cells.append(
                        f'<table:table-cell office:value-type="boolean" office:boolean-value="{flag}">'
                        f"<text:p>{flag.upper()}</text:p></table:table-cell>"
                    )
                elif isinstance(v, (int, float)):
                    cells.append(
                        f'<table:table-cell office:value-type="float" office:value="{v!r}">'
                        f"<text:p>{v}</text:p></table:table-cell>"
                    )
                elif isinstance(v, dt.datetime):
                    cells.append(
                        f'<table:table-cell office:value-type="date" office:date-value="{v.isoformat()}">'
                        f"<text:p>{v:%d/%m/%Y}</text:p></table:table-cell>"
                    )
                else:
                    cells.append(
                        f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p>'
                        "</table:table-cell>"
                    )
            rows.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
        tables.append(f"<table:table table:name={quoteattr(ws.title)}>" + "".join(rows) + "</table:table>")
    ranges: list[str] = []
    for name in wb.defined_names:
        sheet, ref = next(iter(wb.defined_names[name].destinations))
        col, row = ref.replace("$", "").rstrip("0123456789"), ref.replace("$", "").lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        address = "$'" + sheet.replace("'", "''") + f"'.${col}${row}"
        ranges.append(
            f"<table:named-range table:name={quoteattr(name)} table:base-cell-address={quoteattr(address)} "
            f"table:cell-range-address={quoteattr(address)}/>"
        )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:spreadsheet>"
        + "".join(tables)
        + "<table:named-expressions>"
        + "".join(ranges)
        + "</table:named-expressions>"
        "</office:spreadsheet></office:body></office:document-content>"
    )
    members = ods_members()
    members["content.xml"] = content.encode("utf-8")
    return write_zip(dest, members, stored_first="mimetype")


def excel_lock_bytes(owner: str = "Nguyen Thi Thuy") -> bytes:
    """What Excel leaves as ~$name.xlsx while a workbook is open: the owner's name, twice."""
    raw = owner.encode("ascii")[:53]
    wide = owner.encode("utf-16-le")[:110]
    return (bytes([len(raw)]) + raw.ljust(53, b" ") + struct.pack("<H", len(owner)) + wide.ljust(110, b" "))[:165]


# --------------------------------------------------------------------------------------------
# the corpus
# --------------------------------------------------------------------------------------------
def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def build_corpus(dest: Path) -> dict[str, str]:
    """Write the corpus under ``dest``; return ``{relative posix path: expected code / ok / info / skip}``."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    criteria("hanoi-spcncl")  # load once, fail early if the shipped set does not load
    expected: dict[str, str] = {}
    counter = iter(range(1, 1000))

    def put(rel: str, code: str) -> Path:
        assert rel not in expected, rel
        expected[rel] = code
        p = dest / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def dossier(
        rel: str,
        code: str,
        values: Mapping[str, Any] | None = None,
        *,
        self_scores: Mapping[str, Any] | None = None,
        **overrides: Any,
    ) -> Path:
        n = next(counter)
        vals = dict(values) if values is not None else dossier_values(n, **overrides)
        return write_dossier(put(rel, code), n, vals, self_scores)

    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        good = write_dossier(scratch / "good.xlsx", 999)

        # -- not workbooks at all -----------------------------------------------------------
        put("tep-hong/rong.xlsx", "file-empty").write_bytes(b"")
        rnd = random.Random(20250331)
        noise = bytes(rnd.getrandbits(8) for _ in range(4096))
        assert not noise.startswith((b"PK", b"\xd0\xcf"))
        put("tep-hong/ngau-nhien.xlsx", "file-not-workbook").write_bytes(noise)
        csv_text = "\ufeffSTT,Tên doanh nghiệp,Mã số thuế,Doanh thu (tỷ đồng)\n" + "".join(
            f"{i},Công ty TNHH Thương mại Dịch vụ số {i},0199{i:06d},{100 + i}\n" for i in range(1, 40)
        )
        put("tep-hong/bang-ke-xuat-tu-phan-mem.xlsx", "file-not-workbook").write_bytes(csv_text.encode("utf-8"))
        put(CSV_SPLIT, "file-not-workbook").write_bytes(csv_split_at(512))
        write_zip(put("tep-hong/cong-van-de-nghi.xlsx", "file-not-workbook"), docx_members())
        put("tep-hong/scan-ho-so.xlsx", "file-not-workbook").write_bytes(
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
        )

        # -- damaged zips ---------------------------------------------------------------------
        data = good.read_bytes()
        put("tep-hong/cat-cut-giua-chung.xlsx", "file-corrupt-zip").write_bytes(data[: len(data) // 2])
        put("tep-hong/chi-con-dau-tep.xlsx", "file-corrupt-zip").write_bytes(data[:2048])
        corrupt_member(
            good, put("tep-hong/sai-crc.xlsx", "file-corrupt-zip"), "xl/worksheets/sheet1.xml", zipfile.BadZipFile
        )
        corrupt_member(
            good, put("tep-hong/hong-luong-nen.xlsx", "file-corrupt-zip"), "xl/worksheets/sheet1.xml", zlib.error
        )

        def cut_sheet(name: str, d: bytes) -> bytes | None:
            return d[: len(d) // 2] if name == "xl/worksheets/sheet1.xml" else d

        rezip(good, put("tep-hong/xml-bi-cat.xlsx", "dossier-unreadable"), cut_sheet)
        rezip(
            good,
            put("tep-hong/thieu-trang-tinh.xlsx", "dossier-unreadable"),
            lambda name, d: None if name == "xl/worksheets/sheet1.xml" else d,
        )
        rezip(good, put("tep-hong/xml-bom-thuc-the.xlsx", "file-corrupt-zip"), entity_bomb)
        write_zip(
            put("tep-hong/anh-chup-ho-so.xlsx", "file-no-workbook"),
            {
                "IMG_0001.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(2000),
                "ghi-chu.txt": "Ảnh chụp hồ sơ gốc".encode(),
            },
        )
        write_zip_bomb(put(ZIP_BOMB, "file-too-large"), 120, base=good)

        # -- other formats ----------------------------------------------------------------------
        encrypted_copy(good, put("tep-hong/mat-khau.xlsx", "file-encrypted"))
        put("tep-hong/excel-2003.xls", "file-legacy-xls").write_bytes(cfb({"Workbook": biff8_stub()}))
        # an .ods that is not a form (a form saved as .ods keeps its named ranges and is read: below)
        write_zip(put("tep-hong/libreoffice.ods", "dossier-not-a-form"), ods_members(), stored_first="mimetype")
        from openpyxl import Workbook

        plain = Workbook()
        plain.active.title = "Sheet1"
        plain.active.append(["Tên doanh nghiệp", "Mã số thuế", "Doanh thu"])
        plain.active.append(["Công ty TNHH Tự làm mẫu", "0199000777", 120])
        # its header names two fields: read as a one-row table (issue #15) that lacks the other columns
        plain.save(put("tep-hong/tu-lam-bieu-mau.xlsx", "table-missing-columns"))
        from samples import specs

        ocop = specs.OCOP[0]
        write_dossier(
            put("cty-ocop/bieu-mau-ocop.xlsx", "dossier-wrong-criteria"),
            0,
            ocop["values"],
            ocop["self_scores"],
            criteria_name="ocop",
        )

        # -- what is not a dossier ----------------------------------------------------------
        put("ghi-chu-cua-can-bo.txt", INFO).write_text(
            "Hồ sơ nhận ngày 21/11/2025, còn thiếu bản gốc.\n", encoding="utf-8"
        )
        put("cong-van-gui-so.pdf", INFO).write_bytes(b"%PDF-1.4\n%%EOF\n")
        put("cty-an-trang/.DS_Store", INFO).write_bytes(b"\0\0\0\1Bud1" + bytes(64))
        put(".~lock.bao-cao-tong-hop.xlsx#", SKIP).write_text(
            "Nguyen Thi Thuy,DESKTOP-SCT01/thuy,DESKTOP-SCT01,21.11.2025 09:12,file:///C:/Users/thuy/AppData;\n",
            encoding="utf-8",
        )
        link = dest / "tep-hong/lien-ket-hong.xlsx"
        try:
            os.symlink("da-xoa/ho-so-cu.xlsx", link)
        except (OSError, NotImplementedError):  # no symlinks here (Windows without privilege)
            pass
        else:
            expected["tep-hong/lien-ket-hong.xlsx"] = "file-broken-link"

        # -- forms whose structure was changed (openpyxl, like a user's spreadsheet program) ---
        hidden = dossier("cty-an-trang/ho-so-an-trang.xlsx", "sheet-hidden")
        put("cty-an-trang/~$ho-so-an-trang.xlsx", SKIP).write_bytes(excel_lock_bytes())

        def hide(wb: Any) -> None:
            ws, _ = name_cell(wb, "f.tax_code")
            wb.active = wb.sheetnames.index("Tự chấm điểm")
            ws.sheet_state = "hidden"

        edit(hidden, hide)

        def delete_scores_sheet(wb: Any) -> None:
            del wb["Tự chấm điểm"]

        edit(dossier("cty-sua-cau-truc/xoa-trang-tu-cham.xlsx", "dossier-missing-sheet"), delete_scores_sheet)

        def delete_like_excel(wb: Any) -> None:
            # Excel turns every name into #REF! when the sheet it points at is deleted
            del wb["Tự chấm điểm"]
            for name in list(wb.defined_names):
                dn = wb.defined_names[name]
                if name.startswith("s."):
                    dn.attr_text = "#REF!$D$6"

        edit(dossier("cty-sua-cau-truc/xoa-trang-bang-excel.xlsx", "dossier-broken-name"), delete_like_excel)

        def drop_name(wb: Any) -> None:
            del wb.defined_names["f.tax_code"]

        edit(dossier("cty-sua-cau-truc/mat-ten-vung.xlsx", "dossier-missing-name"), drop_name)

        def merge_over_input(wb: Any) -> None:
            ws, cell = name_cell(wb, "f.tax_code")
            left = chr(ord(cell[0]) - 1) + cell[1:]
            ws.merge_cells(f"{left}:{cell}")

        edit(dossier("cty-sua-cau-truc/gop-o.xlsx", "cell-merged"), merge_over_input)

        def formula_without_cache(wb: Any) -> None:
            ws, cell = name_cell(wb, "f.revenue.y1")
            ws[cell] = "=450+50"  # openpyxl stores the formula and no computed value

        edit(dossier("cty-sua-cau-truc/cong-thuc-chua-tinh.xlsx", "value-formula-no-cache"), formula_without_cache)

        def error_cell(wb: Any) -> None:
            ws, cell = name_cell(wb, "f.budget_contribution.y0")
            ws[cell] = "#DIV/0!"

        edit(dossier("cty-sua-cau-truc/o-loi-chia-0.xlsx", "value-error-cell"), error_cell)

        def dates_in_numbers(wb: Any) -> None:
            ws, cell = name_cell(wb, "f.revenue.y2")
            ws[cell] = dt.datetime(2023, 12, 31)  # a date-formatted cell
            ws, cell = name_cell(wb, "f.workers.y1")
            ws[cell] = "31/12/2024"  # a date typed as text

        edit(dossier("cty-sua-cau-truc/ngay-trong-o-so.xlsx", "value-not-number"), dates_in_numbers)

        def rename_sheet_like_excel(wb: Any) -> None:
            # Excel renames the sheet and rewrites every name that points at it
            ws, _ = name_cell(wb, "f.tax_code")
            old, new = ws.title, "Hồ sơ của DN's (bản 2)"
            ws.title = new
            for name in list(wb.defined_names):
                dn = wb.defined_names[name]
                dn.attr_text = dn.attr_text.replace(f"'{old}'!", "'" + new.replace("'", "''") + "'!")

        edit(dossier("cty-sua-cau-truc/doi-ten-trang.xlsx", OK), rename_sheet_like_excel)

        # -- what enterprises type ----------------------------------------------------------
        n = next(counter)
        write_dossier(
            put("cty-so-lieu-go-tay/chu-trong-o-so.xlsx", "value-not-number"),
            n,
            dossier_values(n, **{"workers@0": "khoảng 300 người", "export_usd@1": "không có"}),
        )
        n = next(counter)
        write_dossier(
            put(NUMBER_WRITING, "value-interpreted"),
            n,
            dossier_values(
                n,
                **{
                    "revenue@0": "1.234,5",
                    "revenue@1": "1,234.5",
                    "revenue@2": "120 tỷ",
                    "workers@0": "1\u00a0234",
                    "export_usd@0": "2 400 000",
                },
            ),
        )
        n = next(counter)
        write_dossier(
            put("cty-so-lieu-go-tay/diem-tu-cham-bang-chu.xlsx", "self-score-invalid"),
            n,
            dossier_values(n),
            {**BASE_SELF_SCORES, "a1_growth": "mười hai", "a2_scale": 20},
        )
        n = next(counter)
        write_dossier(
            put("cty-so-lieu-go-tay/so-lao-dong-le.xlsx", "value-not-integer"),
            n,
            dossier_values(n, **{"workers@0": 280.5}),
        )
        n = next(counter)
        write_dossier(
            put("cty-so-lieu-go-tay/xuat-khau-am.xlsx", "value-below-min"), n, dossier_values(n, **{"export_usd@2": -5})
        )
        n = next(counter)
        write_dossier(
            put("cty-so-lieu-go-tay/thieu-ten-san-pham.xlsx", "value-required"), n, dossier_values(n, product_name=None)
        )
        n = next(counter)
        write_dossier(
            put("cty-so-lieu-go-tay/nganh-khong-co.xlsx", "value-not-choice"),
            n,
            dossier_values(n, industry_group="Sản xuất đồ chơi"),
        )
        n = next(counter)
        write_dossier(
            put("cty-so-lieu-go-tay/co-khong-sai.xlsx", "value-not-yes-no"),
            n,
            dossier_values(n, iso9001="Đang làm thủ tục"),
        )

        # -- implausible figures (warnings: still scored) -----------------------------------
        implausible = {
            "so-lieu-bat-thuong/doanh-thu-am.xlsx": {"revenue@0": -50},
            "so-lieu-bat-thuong/xuat-khau-vuot-doanh-thu.xlsx": {"revenue@0": 100, "export_usd@0": 100_000_000},
            "so-lieu-bat-thuong/tang-truong-ao.xlsx": {"revenue@0": 900, "revenue@1": 30, "revenue@2": 1},
            "so-lieu-bat-thuong/qua-nhieu-lao-dong.xlsx": {"revenue@0": 500, "workers@0": 100_000},
        }
        for rel, over in implausible.items():
            n = next(counter)
            write_dossier(put(rel, "implausible-value"), n, dossier_values(n, **over))

        # -- Vietnamese text in NFD, odd names ----------------------------------------------
        n = next(counter)
        write_dossier(
            put(NFD_DOSSIER, OK),
            n,
            dossier_values(
                n,
                enterprise_name=_nfd("Công ty TNHH Gốm sứ Ánh Dương"),
                product_name=_nfd("Bình gốm men rạn cổ"),
                industry_group=_nfd("Hóa chất, cao su, nhựa, dược phẩm"),
                iso14001=_nfd("Không"),
                head_office_address=_nfd("Xã Bát Tràng, huyện Gia Lâm, tỉnh Hưng Yên"),
            ),
        )
        n = next(counter)
        write_dossier(
            put(INJECTION, OK),
            n,
            dossier_values(
                n,
                enterprise_name='=HYPERLINK("http://x","y")',
                product_name="@SUM(1+1)*cmd|' /C calc'!A0",
                head_office_address="+84 24 3826 0000",
                factory_address="-Lô 5, KCN Sóng Thần",
            ),
        )

        # the same product twice: second file re-sent in NFD with other spacing and case
        n = next(counter)
        twice = dossier_values(n, product_name="Ống nhựa PPR chịu nhiệt D20–D110")
        write_dossier(put(DUPLICATES[0], "dossier-duplicate-conflict"), n, twice)
        write_dossier(
            put(DUPLICATES[1], "dossier-duplicate-conflict"),
            n,
            {**twice, "product_name": _nfd("  ống nhựa PPR  chịu nhiệt D20–D110 "), "revenue@0": 570},
        )

        n = next(counter)
        write_dossier(
            put("cty-ma-so-thue/mst-thieu-so.xlsx", "tax-code-format"), n, dossier_values(n, tax_code="019900123")
        )
        n = next(counter)
        # typed into a General cell, Excel drops the leading 0 and stores a number
        write_dossier(
            put("cty-ma-so-thue/mst-mat-so-0.xlsx", "tax-code-format"), n, dossier_values(n, tax_code=199000456)
        )
        n = next(counter)
        write_dossier(put("cty-ma-so-thue/mst-chi-nhanh.xlsx", OK), n, dossier_values(n, tax_code="0199000457-001"))

        # -- a form saved by LibreOffice as .ods ------------------------------------------
        n = next(counter)
        xlsx_to_ods(write_dossier(scratch / "ods.xlsx", n), put(ODS_FORM, OK))

        # -- .xlsm: a macro-enabled workbook reads like .xlsx -----------------------------
        n = next(counter)
        plain_form = write_dossier(scratch / "macro.xlsx", n)
        rezip(
            plain_form,
            put(XLSM, OK),
            lambda name, d: (
                d.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
                if name == "[Content_Types].xml"
                else d
            ),
        )
    return dict(sorted(expected.items()))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    dest = Path(argv[1])
    if dest.exists() and any(dest.iterdir()):
        print(f"{dest} is not empty", file=sys.stderr)
        return 2
    for rel, code in build_corpus(dest).items():
        print(f"{code:28} {rel}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
