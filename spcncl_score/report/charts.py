"""Charts the council looks at before it reads: distribution around the pass mark, group
subtotals of the leaders, and counts by industry group and outcome."""

from __future__ import annotations

import math
from typing import Any

from spcncl_score.i18n import label
from spcncl_score.report.limits import TITLE_ROWS
from spcncl_score.report.tables import FIRST_GROUP_COL, Table
from spcncl_score.scoring.result import RunResult

TOP_CHART = 20
_GROUP_COLOURS = ["#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47", "#264478", "#9E480E"]


def _ref(sheet: str, r1: int, c1: int, r2: int, c2: int) -> list[Any]:
    return [sheet, r1, c1, r2, c2]


# The sheet is laid out for A4 landscape at 100 %: each chart starts a page, its figures under it.
# Columns A-H are 140 characters wide: 739 pt in Excel, 672 pt in LibreOffice, both inside the 784 pt
# between the margins; the charts (660 pt) fit inside the columns in either program.
COLUMN_WIDTHS = (30, 16, 16, 16, 16, 16, 15, 15)
CHART_WIDTH = 880  # pixels
ROW_PX = 20  # default row height in pixels
PAGE_ROWS = 30  # rows that fit one A4 landscape page below the repeated margins


def count_axis(most: int) -> dict[str, Any]:
    """A value axis for counts of dossiers: whole numbers only, at most about ten steps."""
    step = 1
    for nice in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        step = nice
        if most <= nice * 10:
            break
    else:
        step = math.ceil(most / 10)
    return {"min": 0, "max": step * max(1, math.ceil(most / step)), "major_unit": step, "num_format": "0"}


def write_charts(wb: Any, writer: Any, result: RunResult, ranking: Table, lang: str, name: str | None = None) -> None:
    """The charts sheet (``name``: the default one's, or a part's); ``ranking`` is the full
    analysis table, whose group subtotals chart 2 reads."""
    cs = result.criteria
    if result.scores is None or result.ranking is None or not len(result.ranking):
        return
    name = name or label("sheet_charts", lang)
    ws = wb.add_worksheet(name)
    head = writer.head
    cell = writer.fmt("text", "")
    num = writer.fmt("int", "")
    for c, w in enumerate(COLUMN_WIDTHS):
        ws.set_column(c, c, w)
    ws.write_string(0, 0, f"{name} — {cs.title.get(lang)}", writer.title)
    breaks: list[int] = []

    # 1. distribution of totals, split at the pass mark; its figures under the chart
    width = cs.total_max / 10
    edges = [width * i for i in range(11)]
    below = [0] * 10
    above = [0] * 10
    pm = cs.outcome.pass_mark
    for t in result.scores.total.to_numpy(dtype=float):
        b = min(math.floor(t / width), 9) if width > 0 else 0
        (above if t + 1e-9 >= pm else below)[max(b, 0)] += 1
    top = 2
    chart_rows = 17
    t1 = top + chart_rows + 1
    ws.set_row(t1, 30)  # two lines of header
    ws.write_row(t1, 0, [label("bin", lang), label("chart_below", lang), label("chart_above", lang)], head)
    for i in range(10):
        closing = "]" if i == 9 else ")"
        ws.write_string(t1 + 1 + i, 0, f"[{edges[i]:g}, {edges[i + 1]:g}{closing}", cell)
        ws.write_number(t1 + 1 + i, 1, below[i], num)
        ws.write_number(t1 + 1 + i, 2, above[i], num)
    ch = wb.add_chart({"type": "column", "subtype": "stacked"})
    for col, colour in ((1, "#C00000"), (2, "#70AD47")):
        ch.add_series(
            {
                "name": _ref(name, t1, col, t1, col),
                "categories": _ref(name, t1 + 1, 0, t1 + 10, 0),
                "values": _ref(name, t1 + 1, col, t1 + 10, col),
                "fill": {"color": colour},
                "gap": 20,
            }
        )
    ch.set_title({"name": label("chart_distribution", lang, pass_mark=f"{pm:g}"), "name_font": {"size": 12}})
    most = max(b + a for b, a in zip(below, above, strict=True))
    ch.set_y_axis({"name": label("count", lang), "major_gridlines": {"visible": True}, **count_axis(most)})
    ch.set_x_axis({"name": label("total_points", lang)})
    ch.set_legend({"position": "bottom"})
    ch.set_size({"width": CHART_WIDTH, "height": chart_rows * ROW_PX})
    ws.insert_chart(top, 0, ch)

    # 2. group subtotals of the first rows of the ranking (recognised products by rank come first)
    start2 = top + PAGE_ROWS
    breaks.append(start2)
    rows = min(TOP_CHART, len(ranking.rows))
    sheet = ranking.name[:31]
    first = TITLE_ROWS + 1
    ch2 = wb.add_chart({"type": "bar", "subtype": "stacked"})
    product_col = 4
    for gi in range(len(cs.groups)):
        col = FIRST_GROUP_COL + gi
        ch2.add_series(
            {
                "name": _ref(sheet, TITLE_ROWS, col, TITLE_ROWS, col),
                "categories": _ref(sheet, first, product_col, first + rows - 1, product_col),
                "values": _ref(sheet, first, col, first + rows - 1, col),
                "fill": {"color": _GROUP_COLOURS[gi % len(_GROUP_COLOURS)]},
                "gap": 30,
            }
        )
    ch2.set_title({"name": label("chart_groups", lang, n=rows), "name_font": {"size": 12}})
    ch2.set_y_axis({"reverse": True})
    ch2.set_x_axis(
        {
            "name": label("points", lang),
            "min": 0,
            "max": cs.total_max,
            "major_unit": cs.total_max / 10,
            "major_gridlines": {"visible": True},
        }
    )
    ch2.set_legend({"position": "bottom"})
    ch2.set_size({"width": CHART_WIDTH, "height": (PAGE_ROWS - 2) * ROW_PX})
    # a row below the page break: LibreOffice draws an object that touches a break on both pages
    ws.insert_chart(start2 + 1, 0, ch2)

    # 3. counts by industry group and outcome; its figures under the chart
    start3 = start2 + PAGE_ROWS
    breaks.append(start3)
    ig = cs.identity.industry_group
    f = cs.field(ig) if ig else None
    groups = [(c.value, c.label.get(lang)) for c in (f.choices or [])] if f is not None else [("", "—")]
    outcomes = [
        ("top", label("outcome_top", lang, n=cs.ranking.top_n or 0)),
        ("recognised", label("outcome_recognised", lang)),
        ("not_recognised", label("outcome_not_recognised", lang)),
    ]
    counts = {g: {o: 0 for o, _ in outcomes} for g, _ in groups}
    rk = result.ranking
    recognised = result.scores.outcome["recognised"].reindex(rk.index).to_numpy(dtype=bool).tolist()
    for d, is_top, rec in zip(rk.index, rk["top"].tolist(), recognised, strict=True):
        read = result.read_of(str(d))
        value = read.dossier.values.get(ig) if ig and read and read.dossier else ""
        key = value if value in counts else groups[0][0]
        status = "top" if is_top else ("recognised" if rec else "not_recognised")
        counts[str(key)][status] += 1
    chart3_rows = max(12, min(PAGE_ROWS - 4 - len(groups), 2 * len(groups) + 6))
    t3 = start3 + chart3_rows + 2
    ws.set_row(t3, 30)
    ws.write_row(t3, 0, [label("industry_group", lang)] + [o[1] for o in outcomes], head)
    for i, (g, text) in enumerate(groups):
        ws.write_string(t3 + 1 + i, 0, text, cell)
        for j, (o, _) in enumerate(outcomes):
            ws.write_number(t3 + 1 + i, 1 + j, counts[g][o], num)
    ch3 = wb.add_chart({"type": "bar", "subtype": "stacked"})
    for j, (_, _text) in enumerate(outcomes):
        ch3.add_series(
            {
                "name": _ref(name, t3, 1 + j, t3, 1 + j),
                "categories": _ref(name, t3 + 1, 0, t3 + len(groups), 0),
                "values": _ref(name, t3 + 1, 1 + j, t3 + len(groups), 1 + j),
                "fill": {"color": ["#FFC000", "#70AD47", "#C00000"][j]},
                "gap": 30,
            }
        )
    ch3.set_title({"name": label("chart_industry", lang), "name_font": {"size": 12}})
    ch3.set_y_axis({"reverse": True})
    most3 = max((sum(c.values()) for c in counts.values()), default=0)
    ch3.set_x_axis({"name": label("count", lang), "major_gridlines": {"visible": True}, **count_axis(most3)})
    ch3.set_legend({"position": "bottom"})
    ch3.set_size({"width": CHART_WIDTH, "height": chart3_rows * ROW_PX})
    ws.insert_chart(start3 + 1, 0, ch3)
    writer.print_setup(ws)
    # a fitted page ignores manual page breaks (Excel): the columns are sized for 100 % instead
    ws.set_print_scale(100)
    ws.set_h_pagebreaks(breaks)
    ws.print_area(0, 0, t3 + len(groups), len(COLUMN_WIDTHS) - 1)
