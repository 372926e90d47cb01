"""The red-pen copy: the enterprise's own workbook with every problem cell marked and explained."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from spcncl_score.criteria.models import CriteriaSet
from spcncl_score.evaluation.pipeline import evaluate
from spcncl_score.i18n import label
from spcncl_score.intake.reader import DossierRead
from spcncl_score.issues import Issue, Severity
from spcncl_score.output import OutputGuard
from spcncl_score.sheetlayout import row_height

FILLS = {Severity.ERROR: "FFC7CE", Severity.WARNING: "FFEB9C"}


@dataclass
class AnnotateResult:
    read: DossierRead
    issues: list[Issue]
    marked_cells: int


def annotate(
    dossier: Path,
    output: Path,
    criteria: str | Path | None = None,
    lang: str = "vi",
    guard: OutputGuard | None = None,
) -> AnnotateResult:
    """Write ``output``: a copy of ``dossier`` with problem cells filled and commented, plus a summary sheet.

    The input file is never modified: ``output`` goes through ``guard`` (default: one that knows
    the dossier and overwrites nothing). Scoring warnings (overclaims, implausible figures) are
    included, located on the input cells they concern where possible.
    """
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    result = evaluate([dossier], criteria)
    name = result.files[0].display
    read = result.read_of(name)
    if read is None or read.dossier is None:
        raise ValueError(name)
    issues = [i for i in result.issues if i.location.file == name and i.severity is not Severity.INFO]
    # a category's dossier is checked against its category's criteria
    cs: CriteriaSet = (result.part_of(name) or result).criteria
    d = read.dossier
    wb = load_workbook(dossier, keep_vba=dossier.suffix.lower() == ".xlsm", keep_links=False)
    marked = 0
    notes: dict[tuple[str, str], list[Issue]] = {}
    for i in issues:
        sheet, cell = i.location.sheet, i.location.cell
        if not (sheet and cell) and i.location.field:
            fid = i.location.field
            # a criterion-level warning lands on the self-score the enterprise typed
            ref = (
                d.cells.get(fid)
                or d.cells.get(f"self:{fid}")
                or next((d.cells[k] for k in d.cells if k.split("@")[0] == fid), None)
            )
            if ref is not None:
                sheet, cell = ref.sheet, ref.cell
        if sheet and cell and sheet in wb.sheetnames:
            notes.setdefault((sheet, cell), []).append(i)
    for (sheet, cell), found in notes.items():
        ws = wb[sheet]
        # the comments are the point of this copy: Excel prints them after the sheet, each with its
        # cell. LibreOffice reads only "asDisplayed" as "print the notes" (and Excel then prints
        # nothing, the notes being hidden): there the summary sheet, which lists every note with its
        # sheet and cell, is the printed record.
        ws.page_setup.cellComments = "atEnd"
        worst = min(found, key=lambda x: 0 if x.is_error else 1).severity
        c = ws[cell]
        c.fill = PatternFill("solid", start_color=FILLS[worst], end_color=FILLS[worst])
        text = "\n".join(f"• {x.message(lang)}" for x in found)
        c.comment = Comment(text, "spcncl-score", width=320, height=40 + 18 * text.count("\n") + 18 * len(found))
        marked += 1
    title = "Kết quả kiểm tra" if lang == "vi" else "Check results"
    if title in wb.sheetnames:
        del wb[title]
    ws = wb.create_sheet(title, 0)
    ws.append([f"{title}: {name}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"{cs.id} {cs.version}"])
    ws.append([])
    ws.append(
        [
            label("severity", lang),
            label("sheet", lang),
            label("cell", lang),
            label("message", lang),
            label("code", lang),
        ]
    )
    for c in ws[4]:
        c.font = Font(bold=True)
    for i in sorted(issues, key=lambda x: (0 if x.is_error else 1, x.location.sheet or "", x.location.cell or "")):
        ws.append(
            [
                label(f"sev_{i.severity.value}", lang),
                i.location.sheet or "",
                i.location.cell or "",
                i.message(lang),
                i.code,
            ]
        )
        for c in ws[ws.max_row]:
            c.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(c.value, str) and c.value[:1] in "=+-@":
                c.data_type = "s"  # text from dossiers is never a formula
    widths = (12, 16, 8, 80, 24)
    for col, width in zip("ABCDE", widths, strict=True):
        ws.column_dimensions[col].width = width
    for r in range(5, ws.max_row + 1):
        height = row_height((ws.cell(r, c + 1).value, w) for c, w in enumerate(widths))
        if height:
            ws.row_dimensions[r].height = height
    if not issues:
        ws.append(["OK — không có vấn đề." if lang == "vi" else "OK — no problems found."])
    # one landscape page wide, the header repeated on every page
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.print_title_rows = "4:4"
    ws.oddFooter.left.text = f"{cs.id} {cs.version} · {name}"
    ws.oddFooter.right.text = "&P/&N"
    wb.active = 0
    (guard or OutputGuard([dossier])).write(output, lambda p: wb.save(p))
    return AnnotateResult(read, issues, marked)
