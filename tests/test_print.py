"""The printed documents, as LibreOffice prints them to PDF on A4: page counts, text that is whole
and readable, nothing printed over something else.

The report, a score card, a council member's form, the red-pen copy and the enterprise form are
written from the samples and converted in one LibreOffice run; pages are read back with poppler's
pdftotext (words and their boxes). Skipped, with a message, where LibreOffice or poppler is missing;
.ci/run installs both.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spcncl_score.cli.commands import app
from spcncl_score.evaluation.pipeline import evaluate
from spcncl_score.report.cards import write_card_workbooks
from spcncl_score.report.xlsx import write_xlsx

ROOT = Path(__file__).resolve().parent.parent
HANOI = ROOT / "samples" / "hanoi"
TITLE = "Tiêu chí đánh giá, xét chọn sản phẩm công nghiệp chủ lực thành phố Hà Nội"
MIN_POINTS = 8.0  # the smallest type a council member should have to read on paper
MARGIN = 40.0  # points at the foot of a page where the footer prints

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="LibreOffice (soffice) and poppler (pdftotext) are needed to print the documents to PDF "
    "(apt-get install libreoffice-calc-nogui poppler-utils fonts-liberation)",
)


@dataclass
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Page:
    text: str  # pdftotext -layout
    words: list[Word]
    width: float
    height: float


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def pages_of(pdf: Path) -> list[Page]:
    layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True)
    texts = layout.stdout.split("\f")
    out = []
    for i, chunk in enumerate(boxes.stdout.split("<page ")[1:]):
        size = _PAGE.match("<page " + chunk)
        assert size is not None
        words = [
            Word(html.unescape(m.group(5)), *(float(m.group(k)) for k in range(1, 5))) for m in _WORD.finditer(chunk)
        ]
        out.append(Page(texts[i], words, float(size.group(1)), float(size.group(2))))
    return out


def footer(page: Page) -> list[Word]:
    """The words printed in the bottom margin."""
    return [w for w in page.words if w.y0 > page.height - MARGIN]


def body(page: Page) -> list[Word]:
    return [w for w in page.words if MARGIN / 2 < w.y0 <= page.height - MARGIN and w.text.strip()]


def sheet_of(page: Page) -> str:
    """The sheet a report page belongs to: the right half of its footer is the sheet's name."""
    words = sorted((w for w in footer(page) if w.x0 > page.width * 0.6), key=lambda w: w.x0)
    return " ".join(w.text for w in words)


def overlapping(page: Page) -> list[tuple[str, str]]:
    """Pairs of words printed over each other (rows that overlap, text running into the next cell)."""
    words = sorted(page.words, key=lambda w: w.y0)
    found = []
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            if b.y0 >= a.y1:
                break
            dy = min(a.y1, b.y1) - max(a.y0, b.y0)
            dx = min(a.x1, b.x1) - max(a.x0, b.x0)
            if dy > 0.3 * min(a.y1 - a.y0, b.y1 - b.y0) and dx > 0.3 * min(a.x1 - a.x0, b.x1 - b.x0):
                found.append((a.text, b.text))
    return found


def smallest_type(page: Page) -> float:
    """The smallest type on the page, in points as printed (footers aside).

    A word's box is as high as its font's ascent and descent: 1.255 times the type size for
    Liberation Serif, which prints Times New Roman (11 pt text of the ranking at 100 % is 13.8).
    """
    return min((w.y1 - w.y0) / 1.255 for w in body(page))


def column_text(page: Page, first: str, next_column: str) -> str:
    """The words of a column, in reading order: from where ``first`` starts to where ``next_column`` starts."""
    left = min(w.x0 for w in page.words if w.text == first) - 1
    right = min(w.x0 for w in page.words if w.text == next_column and w.x0 > left)
    inside = [w for w in page.words if left <= w.x0 < right]
    return " ".join(w.text for w in sorted(inside, key=lambda w: (round(w.y0), w.x0)))


def landscape(page: Page) -> bool:
    return page.width > page.height and round(page.width) == 842 and round(page.height) == 595


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, list[Page]]:
    tmp = tmp_path_factory.mktemp("print")
    result = evaluate([HANOI], "hanoi-spcncl")
    docs = {"report": tmp / "report.xlsx"}
    write_xlsx(result, docs["report"], lang="vi")
    docs["card"] = write_card_workbooks(result, tmp / "cards", "vi")[0]
    run = CliRunner()
    forms = tmp / "forms"
    res = run.invoke(
        app,
        ["council", "forms", str(HANOI), "--council", str(ROOT / "examples" / "council-2025.yaml"), "-o", str(forms)],
    )
    assert res.exit_code in (0, 1), res.output  # 1: hn18 is invalid by design
    docs["member"] = forms / "phieu-hd-spcncl-2025-m05.xlsx"
    docs["redpen"] = tmp / "redpen.xlsx"
    res = run.invoke(app, ["annotate", str(HANOI / "hn17-may-tre-dan-phu-vinh.xlsx"), "-o", str(docs["redpen"])])
    assert docs["redpen"].exists(), res.output
    docs["form"] = tmp / "form.xlsx"
    res = run.invoke(app, ["template", "-o", str(docs["form"]), "--year", "2025"])
    assert res.exit_code == 0, res.output
    out = tmp / "pdf"
    # a profile of its own: another LibreOffice running on the machine does not take the conversion
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, docs.values()),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {key: pages_of(out / f"{path.stem}.pdf") for key, path in docs.items()}


def test_the_report_prints_for_the_meeting_in_few_readable_pages(printed):
    pages = printed["report"]
    by_sheet: dict[str, list[Page]] = {}
    for p in pages:
        by_sheet.setdefault(sheet_of(p), []).append(p)
    # 18 Hanoi samples (17 ranked): the meeting's ranking on at most 2 pages (it was 1 page at ~5 pt),
    # each chart on a page of its own (one was cut across two), the recognition list on one
    assert 1 <= len(by_sheet["Xếp hạng"]) <= 2
    assert len(by_sheet["Biểu đồ"]) == 3
    assert len(by_sheet["Đề nghị công nhận"]) == 1
    for name in ("Xếp hạng", "Đề nghị công nhận", "Phân tích xếp hạng", "Chi tiết điểm", "Vấn đề"):
        assert all(landscape(p) for p in by_sheet[name]), name
    for p in by_sheet["Xếp hạng"] + by_sheet["Đề nghị công nhận"]:
        assert smallest_type(p) >= MIN_POINTS, p.text[:200]
        assert not overlapping(p)
    first = by_sheet["Xếp hạng"][0].text
    assert f"Xếp hạng — {TITLE}" in first
    assert "Trang 1/" in first
    # the header repeats on every page of the ranking
    assert all("Doanh nghiệp" in p.text and "Kết quả" in p.text for p in by_sheet["Xếp hạng"])
    ranking = " ".join(p.text for p in by_sheet["Xếp hạng"])
    assert "Tổng điểm 59,5 thấp hơn điểm đạt 60" in ranking  # the short reason, whole
    charts = [
        "Phân bố tổng điểm (điểm đạt 60)",
        "Điểm theo nhóm tiêu chí — 17 hồ sơ đứng đầu",
        "Số hồ sơ theo nhóm ngành và kết quả",
    ]
    for title, page in zip(charts, by_sheet["Biểu đồ"], strict=True):
        assert title in page.text
        assert sum(t in page.text for t in charts) == 1  # one chart a page
    # counts are whole numbers: no 0.5 step on an axis
    assert not re.search(r"\b0[.,]5\b", " ".join(p.text for p in by_sheet["Biểu đồ"]))


def test_a_score_card_is_one_whole_page(printed):
    (page,) = printed["card"]
    assert page.height > page.width  # A4 portrait
    assert f"PHIẾU KẾT QUẢ CHẤM ĐIỂM — {TITLE}" in page.text
    assert "hanoi-spcncl 2025.1-provisional" in page.text
    assert re.search(r"Hạng\s+1\s*$", page.text, re.MULTILINE)  # the rank, as a rank: not 1.00
    assert smallest_type(page) >= MIN_POINTS
    assert not overlapping(page)


def test_a_member_form_holds_only_the_members_criteria_and_a_whole_signature_block(printed):
    pages = printed["member"]
    text = "\n".join(p.text for p in pages)
    # 16 dossiers, a heading and one row with room to write each, 12 pt at 100 %
    assert len(pages) <= 3
    assert f"PHIẾU ĐÁNH GIÁ CHÍNH THỨC — {TITLE}" in text
    # m05 scores d2 only: one row per dossier it may score (16: hn01 is a conflict of interest)
    assert text.count("d2_technology") == 16
    assert "a1_growth" not in text
    for line in ("Hà Nội, ngày ..... tháng ..... năm ..........", "NGƯỜI ĐÁNH GIÁ", "(ký, ghi rõ họ tên)"):
        assert line in pages[-1].text
    for p in pages:
        assert landscape(p) and smallest_type(p) >= MIN_POINTS
        assert not overlapping(p), overlapping(p)[:5]


def test_the_red_pen_summary_prints_on_one_landscape_page_with_every_note(printed):
    pages = printed["redpen"]
    summary = pages[0]
    assert landscape(summary)
    assert "Kết quả kiểm tra: hn17-may-tre-dan-phu-vinh.xlsx" in summary.text
    assert "1/" in summary.text.strip().splitlines()[-1]
    # each note on a marked cell is on the printed summary, whole
    for message in (
        "Tiêu chí 'Chỉ tiêu tăng trưởng phát triển sản xuất': tự chấm 15 điểm, tính được 4 điểm (chênh 11).",
        "Tiêu chí 'Nộp ngân sách nhà nước': tự chấm 6 điểm, tính được 0 điểm (chênh 6).",
    ):
        assert message in summary.text
    assert not overlapping(summary)


def test_the_enterprise_form_prints_its_sections_bands_and_pass_mark(printed):
    pages = printed["form"]
    assert len(pages) == 2  # the dossier sheet and the self-score sheet, one page each
    main, scores = pages
    sections = [ln.strip() for ln in main.text.splitlines() if re.match(r"\s*[IVX]+\. ", ln)]
    assert [s.split(".")[0] for s in sections] == ["I", "II", "III", "IV"]
    assert f"BẢNG TỰ ĐÁNH GIÁ — {TITLE}" in main.text
    assert f"ĐIỂM TỰ CHẤM — {TITLE}" in scores.text
    flat = re.sub(r"\s+", " ", scores.text)
    how = column_text(scores, "Tốc", "(1)")  # the 'how it is scored' column, its wrapped lines joined
    assert "dưới 0 → 0 điểm; từ 0 đến dưới 5 → 4 điểm" in how
    assert "inf" not in flat
    assert flat.count("Bảng điểm chuẩn trong phụ lục Đề án 496") == 1
    assert "Điểm đạt" in flat and "từ 60/100 trở lên" in flat
    for p in pages:
        assert landscape(p) and smallest_type(p) >= MIN_POINTS
        assert not overlapping(p), overlapping(p)[:5]
