"""Figures shown to a reader never contradict the decision taken on them (criteria/README.md, 'Rounding')."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from spcncl_score.evaluation.explain import Explanation, render_text
from spcncl_score.i18n import DECISION_EPS, format_against, format_number, format_threshold, render_reason

scores = st.floats(min_value=0, max_value=1000, allow_nan=False, allow_infinity=False)
marks = st.one_of(
    st.integers(min_value=0, max_value=1000).map(float),
    st.decimals(min_value=0, max_value=1000, places=2).map(float),
    scores,
)


def read_back(text: str, lang: str) -> float:
    """The number a reader sees, read the way they read it."""
    text = text.replace(".", "").replace(",", ".") if lang == "vi" else text.replace(",", "")
    return float(text)


@settings(max_examples=400, deadline=None)
@given(total=scores, pass_mark=marks, lang=st.sampled_from(["vi", "en"]), near=st.booleans())
def test_the_displayed_total_never_contradicts_pass_or_fail(total, pass_mark, lang, near):
    if near:  # most cases that matter sit within a rounding step of the mark
        total = pass_mark - abs(total) * 1e-6
    passed = total + DECISION_EPS >= pass_mark
    shown = read_back(format_against(total, pass_mark, lang), lang)
    mark = read_back(format_threshold(pass_mark, lang), lang)
    assert (shown >= mark) == passed, (total, pass_mark, shown, mark)


@settings(max_examples=300, deadline=None)
@given(total=scores, pass_mark=marks)
def test_a_failed_pass_mark_reason_shows_a_total_below_the_mark(total, pass_mark):
    if total + DECISION_EPS >= pass_mark:
        total = pass_mark - 1e-7 if pass_mark >= 1e-7 else 0.0
    if total + DECISION_EPS >= pass_mark:
        return
    text = render_reason("reason-below-pass-mark", {"total": total, "pass_mark": pass_mark}, "en")
    shown, mark = re.fullmatch(r"Total (\S+) is below the pass mark (\S+)", text).groups()  # type: ignore[union-attr]
    assert read_back(shown, "en") < read_back(mark, "en")


def test_the_issue_s_example_is_shown_below_the_mark():
    params = {"total": 64.99944, "pass_mark": 65.0}
    assert render_reason("reason-below-pass-mark", params, "vi") == "Tổng điểm 64,999 thấp hơn điểm đạt 65"
    assert render_reason("reason-below-pass-mark", params, "en") == "Total 64.999 is below the pass mark 65"
    params = {"group": "a", "points": 13.9999, "minimum": 14.0}
    assert render_reason("reason-group-minimum", params, "vi") == "Nhóm a: 13,9999 điểm, dưới mức tối thiểu 14"


def test_numbers_are_written_the_reader_s_way():
    assert format_number(1234.5, "vi") == "1.234,5"
    assert format_number(1234.5, "en") == "1,234.5"
    assert format_number(89.0, "vi") == "89"
    assert format_number(2000.0, "vi") == "2.000"
    assert format_number(-0.0001, "vi") == "0"
    assert format_against(89.0, 60.0, "vi") == "89"
    assert format_against(60.0, 60.0, "vi") == "60"
    assert format_threshold(64.995, "vi") == "64,995"


def test_explain_states_total_and_margin_on_the_side_of_the_decision():
    ex = Explanation("a.xlsx", "Công ty A", "Sản phẩm A", 64.99944, 65.0, 64.99944 - 65.0, "Không được công nhận", [])
    text = render_text(ex, "vi")
    assert "Tổng: 64,999 · điểm đạt 65 · chênh −0,001" in text.replace("-0,001", "−0,001")
    ex = Explanation("a.xlsx", "Công ty A", "Sản phẩm A", 89.0, 60.0, 29.0, "Top 10", [])
    assert "Tổng: 89 · điểm đạt 60 · chênh +29" in render_text(ex, "vi")


def test_gate_comparisons_are_written_with_symbols_and_the_reader_s_numbers(hanoi):
    from spcncl_score.criteria.gatetree import comparison_text
    from spcncl_score.criteria.models import Gate

    ge = Gate.model_validate({"ref": "revenue_latest", "op": "ge", "value": 10.0})
    assert comparison_text(ge, "vi") == "revenue_latest ≥ 10"
    assert comparison_text(ge, "vi", hanoi) == "Doanh thu năm báo cáo ≥ 10"
    big = Gate.model_validate({"ref": "export_latest", "op": "ge", "value": 1000000})
    assert comparison_text(big, "vi") == "export_latest ≥ 1.000.000"
    yes = Gate.model_validate({"ref": "handicraft", "op": "eq", "value": True})
    assert comparison_text(yes, "vi") == "handicraft = Có" and comparison_text(yes, "en") == "handicraft = Yes"
    among = Gate.model_validate({"ref": "kind", "op": "not_in", "value": ["a", "b"]})
    assert comparison_text(among, "vi") == "kind không thuộc a, b"


def test_messages_show_a_figure_on_its_side_of_the_limit_it_was_compared_with():
    from spcncl_score.i18n import render_message

    assert render_message("council-disagreement", {"dossier": "a", "spread": 15.001, "threshold": 15.0}, "vi") == (
        "Hồ sơ a: tổng điểm của các thành viên chênh nhau 15,001 điểm (> 15); Hội đồng cần thảo luận."
    )
    assert render_message("value-below-min", {"label": "X", "value": -0.001, "min": 0.0}, "vi") == (
        "'X': giá trị -0,001 nhỏ hơn mức tối thiểu 0."
    )
    assert render_message("value-above-max", {"label": "X", "value": 100.0004, "max": 100}, "en") == (
        "'X': value 100.0004 is above the maximum 100."
    )


@settings(max_examples=300, deadline=None)
@given(value=scores, limit=marks)
def test_a_figure_strictly_above_its_limit_is_shown_above_it(value, limit):
    if value <= limit:
        value = limit + abs(value) * 1e-7 + 1e-12
    if value <= limit:
        return
    shown = read_back(format_against(value, limit, "en", below=False, strict=True), "en")
    assert shown > read_back(format_threshold(limit, "en"), "en")


def test_the_report_never_rounds_a_failing_total_up_to_the_pass_mark(tmp_path):
    """The workbook's total cells carry a format that shows six decimals just under the pass mark."""
    from openpyxl import load_workbook

    from spcncl_score.evaluation.pipeline import evaluate
    from spcncl_score.report.xlsx import total_format, write_xlsx

    root = Path(__file__).resolve().parent.parent
    result = evaluate([root / "samples" / "hanoi"], "hanoi-spcncl", sensitivity=None)
    out = tmp_path / "r.xlsx"
    write_xlsx(result, out, lang="vi")
    assert total_format(65) == "[>=65]0.00;[>=64.995]0.000000;0.00"
    wb = load_workbook(out)
    pass_mark = float(result.criteria.outcome.pass_mark)
    for sheet in ("Xếp hạng", "Phân tích xếp hạng"):
        ws = wb[sheet]
        header = next(r for r in ws.iter_rows(max_row=6) if any(str(c.value).startswith("Tổng điểm") for c in r))
        col = next(c.column for c in header if str(c.value).startswith("Tổng điểm"))
        cell = ws.cell(row=header[0].row + 1, column=col)
        assert cell.number_format == total_format(pass_mark), sheet
