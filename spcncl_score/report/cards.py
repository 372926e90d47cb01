"""Score cards: one printable A4 page per dossier, as report sheets or separate workbooks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from spcncl_score.criteria.gatetree import walk_with_keys
from spcncl_score.i18n import label
from spcncl_score.report.tables import reasons_text
from spcncl_score.scoring.frames import at, num, opt_num
from spcncl_score.scoring.result import RunResult, outcome_of
from spcncl_score.sheetlayout import default_font, row_height

if TYPE_CHECKING:
    from spcncl_score.output import OutputGuard


def card_rows(result: RunResult, dossier: str, lang: str) -> list[tuple[str, list[Any]]]:
    """The card's content as (style, cells) rows; styles: title, head, group, row, note."""
    cs = result.criteria
    sc = result.scores
    assert sc is not None
    read = result.read_of(dossier)
    assert read is not None and read.dossier is not None
    d = read.dossier
    ranked = opt_num(at(result.ranking, dossier, "rank")) if result.ranking is not None else None
    rank = None if ranked is None else int(ranked)
    out: list[tuple[str, list[Any]]] = [
        ("title", [f"{label('card_title', lang)} — {cs.title.get(lang)}"]),
        ("note", [f"{cs.id} {cs.version}"]),
        ("row", [label("enterprise", lang), d.text(cs.identity.enterprise)]),
        ("row", [label("tax_code", lang), d.text(cs.identity.tax_code)]),
        ("row", [label("product", lang), d.text(cs.identity.product)]),
        ("row", [label("file", lang), dossier]),
        ("row", [label("rank", lang), "—" if rank is None else str(rank)]),
        ("blank", []),
        (
            "head",
            [
                label("criterion_id", lang),
                label("criterion", lang),
                label("max_points", lang),
                label("points", lang),
                label("self_score", lang),
                label("basis", lang),
                label("matched", lang),
            ],
        ),
    ]
    for g in cs.groups:
        out.append(
            ("group", [g.id.upper(), g.title.get(lang), g.max, float(at(sc.groups, dossier, g.id)), None, "", ""])
        )
        for c in g.criteria:
            s = at(sc.self_scores, dossier, c.id)
            basis = str(at(sc.basis, dossier, c.id))
            matched = "" if c.council else str(at(sc.matched, dossier, c.id) or "")
            out.append(
                (
                    "row",
                    [
                        c.id,
                        c.title.get(lang),
                        c.max,
                        float(at(sc.points, dossier, c.id)),
                        None if pd.isna(s) else float(s),
                        label(f"basis_{basis}", lang),
                        matched,
                    ],
                )
            )
    out.append(("group", ["", label("total", lang), cs.total_max, float(at(sc.total, dossier)), None, "", ""]))
    out.append(("blank", []))
    if cs.gates is not None:
        out.append(("head", [label("gate", lang), "", "", label("status", lang)]))
        for key, node, depth in walk_with_keys(cs.gates):
            if not (node.id or depth == 0):
                continue
            title = node.title.get(lang) if node.title else key
            ok = bool(at(sc.gates, dossier, key))
            out.append(("row", ["", "  " * depth + title, None, label("gate_pass" if ok else "gate_fail", lang)]))
        out.append(("blank", []))
    text, _ = outcome_of(result, dossier, lang)
    out.append(("group", [label("outcome", lang), text]))
    reasons = reasons_text(sc.reasons(dossier), lang)
    if reasons:
        out.append(("row", [label("reasons", lang), reasons]))
    if result.sensitivity is not None and dossier in result.sensitivity.index:
        sens = result.sensitivity
        stability, fragile = num(at(sens, dossier, "stability")), bool(at(sens, dossier, "fragile"))
        out.append(("row", [label("to_pass_mark", lang), num(at(sens, dossier, "to_pass_mark"))]))
        out.append(
            (
                "row",
                [
                    label("stability", lang),
                    f"{stability * 100:.1f} %" + (f" — {label('fragile', lang)}" if fragile else ""),
                ],
            )
        )
    return out


CARD_WIDTHS = (14, 44, 9, 9, 9, 22, 14)  # 121 characters: A4 portrait at about 85 %, text above 9 pt


def _write_card(wb: Any, ws: Any, rows: list[tuple[str, list[Any]]], footer: str) -> None:
    base = {"font_name": "Times New Roman", "font_size": 11, "valign": "top", "text_wrap": True}
    fmts = {
        "title": wb.add_format({**base, "bold": True, "font_size": 13, "align": "center"}),
        "note": wb.add_format({**base, "italic": True, "align": "center"}),
        "head": wb.add_format({**base, "bold": True, "bg_color": "#D9E1F2", "border": 1}),
        "group": wb.add_format({**base, "bold": True, "bg_color": "#EDEDED", "border": 1, "num_format": "0.00"}),
        "row": wb.add_format({**base, "border": 1, "num_format": "0.00"}),
    }
    last = len(CARD_WIDTHS) - 1
    for c, w in enumerate(CARD_WIDTHS):
        ws.set_column(c, c, w)
    for r, (style, cells) in enumerate(rows):
        f = fmts.get(style)
        if not cells:
            continue
        # a title spans the card; a label and its value: the value spans the rest of the row
        spans = [(0, last)] if len(cells) == 1 else [(0, 0), (1, last)] if len(cells) == 2 else None
        if spans is None:
            spans = [(c, c) for c in range(len(cells))]
        for (first, end), v in zip(spans, cells, strict=True):
            if end > first:
                ws.merge_range(r, first, r, end, None, f)
            if v is None:
                ws.write_blank(r, first, None, f)
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                ws.write_number(r, first, v, f)
            else:
                ws.write_string(r, first, str(v), f)
        # rows a program writes do not grow by themselves: as high as the longest wrapped text
        widths = [
            sum(CARD_WIDTHS[first : end + 1]) * (0.85 if style in ("head", "title") else 1) for first, end in spans
        ]
        height = row_height(zip(cells, widths, strict=True))
        if style == "title":
            height = max(height or 0, 20.0)
        if height:
            ws.set_row(r, height)
    ws.set_paper(9)
    ws.set_portrait()
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.fit_to_pages(1, 1)
    ws.set_footer(f"&L{footer}&R&P/&N")


def _sheet_name(i: int, dossier: str) -> str:
    # a table's row (FILE#row N) keeps its row number: every row of one table has the same stem
    base, _, row = dossier.partition("#")
    stem = re.sub(r"[\[\]:*?/\\']", "_", Path(base).stem + (f" {row}" if row else ""))
    return f"{i:03d} {stem}"[:31]


def add_card_sheets(wb: Any, writer: Any, result: RunResult, lang: str) -> None:
    cs = result.criteria
    assert result.ranking is not None
    for i, d in enumerate(result.ranking.index, 1):
        ws = wb.add_worksheet(_sheet_name(i, str(d)))
        _write_card(wb, ws, card_rows(result, str(d), lang), f"{cs.id} {cs.version}")


def write_card_workbooks(
    result: RunResult, folder: Path, lang: str = "vi", guard: OutputGuard | None = None
) -> list[Path]:
    """One workbook per scored dossier in ``folder``, each through the output guard.

    Every card is checked before the first is written, so a refusal leaves nothing half done.
    ``guard`` defaults to one that knows the run's dossiers and overwrites nothing.
    """
    import datetime as dt

    import xlsxwriter

    from spcncl_score.output import OutputGuard

    guard = guard or OutputGuard([f.path for f in result.files])
    cs = result.criteria
    assert result.ranking is not None
    names = [_sheet_name(i, str(d)).replace(" ", "-") for i, d in enumerate(result.ranking.index, 1)]
    targets = [folder / f"{name}.xlsx" for name in names]
    guard.require(targets, folders=[folder])
    written: list[Path] = []
    for target, d in zip(targets, result.ranking.index, strict=True):

        def write(p: Path, d: str = str(d)) -> None:
            wb = xlsxwriter.Workbook(str(p), {"strings_to_formulas": False, "strings_to_urls": False, **default_font()})
            try:
                wb.set_properties(
                    {
                        "title": label("card_title", lang),
                        "author": "spcncl-score",
                        "created": dt.datetime.combine(cs.effective, dt.time()),
                    }
                )
                ws = wb.add_worksheet(label("card_title", lang)[:31])
                _write_card(wb, ws, card_rows(result, d, lang), f"{cs.id} {cs.version}")
            finally:
                wb.close()

        guard.write(target, write)
        written.append(target)
    return written
