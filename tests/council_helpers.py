"""Builders for the council tests: council mappings, long score frames, member forms filled with openpyxl,
and the report read back."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import yaml

from spcncl_score.council.model import Council

ROOT = Path(__file__).resolve().parent.parent
HANOI_DIR = ROOT / "samples" / "hanoi"
FORM_SHEET = "Phiếu đánh giá"
COL_SCORE, COL_COMMENT, COL_DOSSIER, COL_CRITERION = 9, 10, 12, 13  # I, J, L (__dossier), M (__criterion)
D2 = "d2_technology"

# The five sample dossiers the end-to-end tests use, by short key.
SUBSET = {
    "hn01": "hn01-co-khi-chinh-xac-dong-anh.xlsx",  # tax code 0109615386 (= m05's organisation)
    "hn02": "hn02-thiet-bi-dien-soc-son.xlsx",  # tax code 0102993283
    "hn03": "hn03-sua-thuc-pham-ba-vi.xlsx",
    "hn04": "hn04-dien-tu-thang-long-viet.xlsx",
    "hn05": "hn05-nhua-ky-thuat-long-bien.xlsx",
}
# Points of the computed (non-council) criteria a1..d1 of these dossiers, from the sample specs
# (tests/test_samples.py pins each criterion; here only their sum matters): total without d2.
COMPUTED_TOTAL = {"hn01": 80.0, "hn02": 78.0, "hn03": 71.0, "hn04": 72.0, "hn05": 68.0}


def hanoi_council(**over: Any) -> dict[str, Any]:
    """The example council (examples/council-2025.yaml) as a mapping: m01 chair, m02..m05 members,
    m06 secretary; m05 works for the enterprise of hn01 (tax code 0109615386)."""
    data: dict[str, Any] = {
        "id": "hd-test-2025",
        "title": "Hội đồng thử nghiệm",
        "criteria_id": "hanoi-spcncl",
        "round": "official",
        "members": [
            {"id": "m01", "name": "Nguyễn Văn An", "organisation": "UBND thành phố Hà Nội", "role": "chair"},
            {"id": "m02", "name": "Trần Thị Bình", "organisation": "Sở Công Thương Hà Nội", "role": "member"},
            {"id": "m03", "name": "Lê Minh Cường", "organisation": "Sở Khoa học và Công nghệ Hà Nội", "role": "member"},
            {
                "id": "m04",
                "name": "Phạm Thu Dung",
                "organisation": "Sở Tài nguyên và Môi trường Hà Nội",
                "role": "member",
            },
            {
                "id": "m05",
                "name": "Hoàng Quốc Em",
                "organisation": "Công ty Cổ phần Cơ khí Chính xác Đông Anh",
                "organisation_tax_code": "0109615386",
                "role": "member",
            },
            {"id": "m06", "name": "Vũ Thị Phương", "organisation": "Sở Công Thương Hà Nội", "role": "secretary"},
        ],
        "conflicts": [],
        "aggregation": "mean",
        "quorum": {"fraction": 0.75, "chair_required": True},
        "disagreement_threshold": 10,
    }
    data.update(copy.deepcopy(over))
    return data


def small_council(**over: Any) -> Council:
    """Chair + four members (five voting) + a secretary, for the pure aggregation tests."""
    data: dict[str, Any] = {
        "id": "hd-small",
        "title": "Hội đồng nhỏ",
        "criteria_id": "hanoi-spcncl",
        "members": [
            {"id": "ch", "name": "Chủ tịch", "organisation": "UBND", "role": "chair"},
            {"id": "u1", "name": "Ủy viên 1", "organisation": "Sở A"},
            {"id": "u2", "name": "Ủy viên 2", "organisation": "Sở B"},
            {"id": "u3", "name": "Ủy viên 3", "organisation": "Sở C"},
            {"id": "u4", "name": "Ủy viên 4", "organisation": "Sở D"},
            {"id": "tk", "name": "Thư ký", "organisation": "Sở A", "role": "secretary"},
        ],
    }
    data.update(copy.deepcopy(over))
    return Council.model_validate(data)


def long_scores(
    table: Mapping[str, Mapping[str, float]], criterion: str = D2, comments: Mapping[tuple[str, str], str] | None = None
) -> pd.DataFrame:
    """member -> dossier -> score, as the long frame aggregate() takes."""
    comments = comments or {}
    rows = [
        {"member": m, "dossier": d, "criterion": criterion, "score": float(v), "comment": comments.get((m, d), "")}
        for m, by_d in table.items()
        for d, v in by_d.items()
    ]
    return pd.DataFrame(rows, columns=["member", "dossier", "criterion", "score", "comment"])


def write_yaml(path: Path, data: Mapping[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(dict(data), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def copy_dossiers(dest: Path, keys: Iterable[str] = SUBSET) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for k in keys:
        name = SUBSET.get(k) or next(p.name for p in HANOI_DIR.glob(f"{k}-*.xlsx"))
        shutil.copy2(HANOI_DIR / name, dest / name)
    return dest


def form_path(folder: Path, council_id: str, member: str) -> Path:
    return folder / f"phieu-{council_id}-{member}.xlsx"


def form_rows(path: Path) -> list[tuple[int, str, str, Any]]:
    """(row, dossier key, criterion, score cell) of every criterion row of a member's form."""
    wb = openpyxl.load_workbook(path)
    try:
        ws = wb[FORM_SHEET]
        out = []
        for r in range(1, ws.max_row + 1):
            d, c = ws.cell(r, COL_DOSSIER).value, ws.cell(r, COL_CRITERION).value
            if d and c and d != "__dossier":
                out.append((r, str(d), str(c), ws.cell(r, COL_SCORE).value))
        return out
    finally:
        wb.close()


def fill_form(
    path: Path, scores: Mapping[str, Any], comments: Mapping[str, str] | None = None, criterion: str = D2
) -> dict[str, int]:
    """Type scores (dossier short key or file name -> value) into a member's form, like a member in Excel.

    Returns dossier key -> the row written, for checking cell references in messages."""
    comments = comments or {}
    wb = openpyxl.load_workbook(path)
    written: dict[str, int] = {}
    ws = wb[FORM_SHEET]
    for r in range(1, ws.max_row + 1):
        d, c = ws.cell(r, COL_DOSSIER).value, ws.cell(r, COL_CRITERION).value
        if c != criterion or not d:
            continue
        key = next((k for k in (str(d), str(d)[:4]) if k in scores), None)
        if key is None:
            continue
        ws.cell(r, COL_SCORE).value = scores[key]
        if key in comments:
            ws.cell(r, COL_COMMENT).value = comments[key]
        written[key] = r
    wb.save(path)
    wb.close()
    missing = set(scores) - set(written)
    assert not missing, f"{path.name} has no {criterion} row for {sorted(missing)}"
    return written


def fill_forms(
    folder: Path,
    council_id: str,
    table: Mapping[str, Mapping[str, Any]],
    comments: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, dict[str, int]]:
    comments = comments or {}
    return {m: fill_form(form_path(folder, council_id, m), s, comments.get(m)) for m, s in table.items()}


def sheet_rows(path: Path, sheet: str) -> list[list[Any]]:
    """Data rows of a report sheet (row 1 title, row 2 subtitle, row 3 header), empty rows dropped."""
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = [list(r) for r in wb[sheet].iter_rows(min_row=4, values_only=True)]
    finally:
        wb.close()
    return [r for r in rows if any(v not in (None, "") for v in r)]


def sheet_header(path: Path, sheet: str) -> list[Any]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(next(wb[sheet].iter_rows(min_row=3, max_row=3, values_only=True)))
    finally:
        wb.close()


def codes(issues: Iterable[Any], prefix: str = "council-") -> list[str]:
    return [i.code for i in issues if i.code.startswith(prefix)]


def issues_of(issues: Iterable[Any], code: str) -> list[Any]:
    return [i for i in issues if i.code == code]
