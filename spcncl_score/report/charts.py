"""Charts the council looks at before it reads: distribution around the pass mark, group
subtotals of the leaders, and counts by industry group and outcome."""

from __future__ import annotations

import math
from typing import Any

from spcncl_score.i18n import label
from spcncl_score.report.limits import TITLE_ROWS
from spcncl_score.report.tables import Table
from spcncl_score.scoring.result import RunResult

TOP_CHART = 20
_GROUP_COLOURS = ["#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47", "#264478", "#9E480E"]


def _ref(sheet: str, r1: int, c1: int, r2: int, c2: int) -> list[Any]:
    return [sheet, r1, c1, r2, c2]


def write_charts(wb: Any, writer: Any, result: RunResult, ranking: Table, lang: str) -> None:

    cs = result.criteria
    if result.scores is None or result.ranking is None or not len(result.ranking):
        return
    name = label("sheet_charts", lang)
    ws = wb.add_worksheet(name)
    head = writer.head
    cell = writer.fmt("text", "")
    num = writer.fmt("int", "")
    ws.set_column(0, 0, 22)
    ws.set_column(1, 4, 14)
    ws.write_string(0, 0, f"{name} — {cs.title.get(lang)}", writer.title)

    # 1. distribution of totals, split at the pass mark
    width = cs.total_max / 10
    edges = [width * i for i in range(11)]
    below = [0] * 10
    above = [0] * 10
    pm = cs.outcome.pass_mark
    for t in result.scores.total.to_numpy(dtype=float):
        b = min(math.floor(t / width), 9) if width > 0 else 0
        (above if t + 1e-9 >= pm else below)[max(b, 0)] += 1
    top = 2
    ws.write_row(top, 0, [label("bin", lang), label("chart_below", lang), label("chart_above", lang)], head)
    for i in range(10):
        closing = "]" if i == 9 else ")"
        ws.write_string(top + 1 + i, 0, f"[{edges[i]:g}, {edges[i + 1]:g}{closing}", cell)
        ws.write_number(top + 1 + i, 1, below[i], num)
        ws.write_number(top + 1 + i, 2, above[i], num)
    ch = wb.add_chart({"type": "column", "subtype": "stacked"})
    for col, colour in ((1, "#C00000"), (2, "#70AD47")):
        ch.add_series(
            {
                "name": _ref(name, top, col, top, col),
                "categories": _ref(name, top + 1, 0, top + 10, 0),
                "values": _ref(name, top + 1, col, top + 10, col),
                "fill": {"color": colour},
                "gap": 20,
            }
        )
    ch.set_title({"name": label("chart_distribution", lang, pass_mark=f"{pm:g}"), "name_font": {"size": 12}})
    ch.set_y_axis({"name": label("count", lang), "major_gridlines": {"visible": True}})
    ch.set_x_axis({"name": label("total_points", lang)})
    ch.set_size({"width": 640, "height": 320})
    ws.insert_chart(top, 5, ch)

    # 2. group subtotals of the first rows of the ranking (recognised products by rank come first)
    rows = min(TOP_CHART, len(ranking.rows))
    sheet = ranking.name[:31]
    first = TITLE_ROWS + 1
    ch2 = wb.add_chart({"type": "bar", "subtype": "stacked"})
    product_col = 4
    for gi in range(len(cs.groups)):
        col = 7 + gi
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
    ch2.set_x_axis({"name": label("points", lang), "max": cs.total_max})
    height2 = max(320, 24 * rows + 100)
    ch2.set_size({"width": 640, "height": height2})
    ws.insert_chart(top + 18, 5, ch2)

    # 3. counts by industry group and outcome
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
    t3 = top + 14
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
    ch3.set_size({"width": 640, "height": 360})
    ws.insert_chart(top + 18 + math.ceil(height2 / 20) + 2, 5, ch3)  # default rows are 20 px high
    writer.print_setup(ws)
