"""Member scoring forms (phiếu đánh giá): one workbook per voting member, and reading them back."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter

from spcncl_score import __version__
from spcncl_score.council.conflicts import ConflictFound
from spcncl_score.council.model import Council, Member
from spcncl_score.criteria.models import CriteriaSet
from spcncl_score.i18n import named
from spcncl_score.intake.form import score_validation
from spcncl_score.issues import Issue, Location, error, warning
from spcncl_score.scoring.result import RunResult
from spcncl_score.sheetlayout import default_font, row_height

META_SHEET = "_meta"
KEY_HEADER = "__dossier"
CRIT_HEADER = "__criterion"
STAMP_HEADER = "__stamp"
N_MEMBER, N_COUNCIL, N_ROUND, N_PRINT = "council.member", "council.id", "council.round", "council.fingerprint"


def form_fingerprint(council: Council, cs: CriteriaSet) -> str:
    """Ties a form to the council, the round and the criteria (not to the dossier set: a dossier
    withdrawn or added must not make every filled form stale)."""
    h = hashlib.sha256()
    for part in (council.id, council.round, cs.id, cs.version, cs.fingerprint):
        h.update(part.encode() + b"\0")
    return h.hexdigest()[:16]


def dossier_stamp(council: Council, cs: CriteriaSet, sha256: str) -> str:
    """Ties the rows of one dossier in a form to its contents, the criteria and the round: the
    scores a member typed for it count as long as this stamp still matches."""
    h = hashlib.sha256()
    h.update(form_fingerprint(council, cs).encode() + b"\0" + sha256.encode())
    return h.hexdigest()[:16]


def scored_dossiers(result: RunResult) -> list[tuple[str, str]]:
    return [(r.file, r.sha256) for r in result.reads if r.ok]


ROUND_VI = {"preliminary": "SƠ BỘ", "official": "CHÍNH THỨC"}
# columns A-M; the reader finds the score in I, the comment in J, the keys in L and M
FORM_WIDTHS = (5, 22, 28, 26, 14, 34, 9, 11, 11, 30, 40, 2, 2, 2)
HIDDEN_COLUMNS = frozenset({1, 2, 3, 7, 11, 12, 13})  # L-N: dossier, criterion and stamp, read back


def write_member_form(
    council: Council,
    member: Member,
    result: RunResult,
    conflicts: list[ConflictFound],
    path: Path,
    prefill: Mapping[tuple[str, str], tuple[float, str]] | None = None,
) -> int:
    """Write one member's form; return how many score cells it holds.

    ``prefill``: (dossier, criterion) -> (score, comment) typed in advance, the member's preliminary
    round carried into the official form for them to confirm or change."""
    prefill = prefill or {}
    cs = result.criteria
    sc = result.scores
    assert sc is not None and result.ranking is not None
    fingerprint = form_fingerprint(council, cs)
    mine = {c.id for _, c in cs.criteria() if c.council and member in council.scorers(cs, c.id)}
    conflicted = {f.dossier: f for f in conflicts if f.member == member.id}
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False, **default_font()})
    inputs = 0
    try:
        wb.set_properties(
            {
                "title": f"Phiếu đánh giá — {member.name}",
                "author": "spcncl-score",
                "created": dt.datetime.combine(cs.effective, dt.time()),
            }
        )
        wb.set_custom_property("generator", f"spcncl-score {__version__}")
        base = {"font_name": "Times New Roman", "font_size": 12, "valign": "top", "text_wrap": True}
        f_title = wb.add_format({**base, "bold": True, "font_size": 14, "align": "center"})
        f_bold = wb.add_format({**base, "bold": True})
        f_head = wb.add_format({**base, "bold": True, "bg_color": "#D9E1F2", "border": 1, "align": "center"})
        f_cell = wb.add_format({**base, "border": 1})
        f_grey = wb.add_format({**base, "border": 1, "bg_color": "#EDEDED", "num_format": "0.##"})
        f_in = wb.add_format({**base, "border": 1, "bg_color": "#FFF2CC", "locked": False, "num_format": "0.##"})
        f_note = wb.add_format({**base, "border": 1, "bg_color": "#FFF2CC", "locked": False})
        f_group = wb.add_format({**base, "bold": True, "border": 1, "bg_color": "#F2F2F2"})
        f_plain = wb.add_format(base)
        ws = wb.add_worksheet("Phiếu đánh giá")
        meta = wb.add_worksheet(META_SHEET)
        for r, (name, value) in enumerate(
            (
                (N_MEMBER, member.id),
                (N_COUNCIL, council.id),
                (N_ROUND, council.round),
                (N_PRINT, fingerprint),
                ("council.criteria", f"{cs.id} {cs.version}"),
            )
        ):
            meta.write_string(r, 0, name)
            meta.write_string(r, 1, value)
            wb.define_name(name, f"='{META_SHEET}'!$B${r + 1}")
        meta.very_hidden()
        meta.protect()
        # B-D (file, enterprise, product) and H (computed points: blank for a council-scored criterion)
        # stay in the sheet for filtering but do not print: each dossier's heading row names them
        for col, w in enumerate(FORM_WIDTHS):
            ws.set_column(col, col, w, None, {"hidden": True} if col in HIDDEN_COLUMNS else None)
        shown = sum(w for c, w in enumerate(FORM_WIDTHS[:11]) if c not in HIDDEN_COLUMNS)

        def span(r: int, text: str, fmt: Any) -> None:
            ws.merge_range(r, 0, r, 10, text, fmt)
            height = row_height([(text, shown)])
            if height:
                ws.set_row(r, height)

        span(0, f"PHIẾU ĐÁNH GIÁ {ROUND_VI[council.round]} — {cs.title.vi}", f_title)
        ws.set_row(0, max(36.0, row_height([(f"PHIẾU ĐÁNH GIÁ — {cs.title.vi}", shown * 0.75)]) or 0))
        span(1, council.title, wb.add_format({**base, "italic": True, "align": "center"}))
        role = {"chair": "Chủ tịch Hội đồng", "member": "Ủy viên", "secretary": "Thư ký"}[member.role]
        for r, (what, value) in enumerate(
            (
                ("Thành viên", f"{member.name}" + (f", {member.title}" if member.title else "")),
                ("Cơ quan", member.organisation),
                ("Vai trò", role),
                ("Mã phiếu", f"{council.id} · {member.id} · {fingerprint}"),
            ),
            start=2,
        ):
            ws.merge_range(r, 0, r, 10, "", f_plain)
            ws.write_rich_string(r, 0, f_bold, f"{what}: ", f_plain, value, f_plain)
        span(
            6,
            "Chỉ nhập vào ô màu vàng: điểm từ 0 đến điểm tối đa, và nhận xét. Phiếu chỉ gồm các tiêu chí "
            "được phân công cho thành viên.",
            wb.add_format({**base, "italic": True}),
        )
        head = [
            "STT",
            "Hồ sơ",
            "Doanh nghiệp",
            "Sản phẩm",
            "Mã tiêu chí",
            "Tiêu chí",
            "Điểm tối đa",
            "Điểm tính từ số liệu",
            "Điểm chấm",
            "Nhận xét",
            "Hướng dẫn chấm",
            KEY_HEADER,
            CRIT_HEADER,
            STAMP_HEADER,
        ]
        hr = 8
        ws.write_row(hr, 0, head, f_head)
        ws.set_row(hr, 32)
        ws.freeze_panes(hr + 1, 0)
        ws.repeat_rows(hr)
        row = hr + 1
        number = 0
        # only the criteria this member scores; a member assigned none sees the council's, for reference
        council_criteria = [c for _, c in cs.criteria() if c.council]
        rows_of = [c for c in council_criteria if c.id in mine] or council_criteria
        for dossier in result.ranking.index:
            d = str(dossier)
            if d in conflicted:
                continue
            read = result.read_of(d)
            assert read is not None and read.dossier is not None
            ent = read.dossier.text(cs.identity.enterprise)
            prod = read.dossier.text(cs.identity.product)
            stamp = dossier_stamp(council, cs, read.sha256)
            number += 1
            span(row, f"{number}. {ent} — {prod} ({d})", f_group)
            row += 1
            for c in rows_of:
                ws.write_blank(row, 0, None, f_cell)
                ws.write_string(row, 1, d, f_cell)
                ws.write_string(row, 2, ent, f_cell)
                ws.write_string(row, 3, prod, f_cell)
                ws.write_string(row, 4, c.id, f_cell)
                ws.write_string(row, 5, c.title.vi, f_cell)
                ws.write_number(row, 6, c.max, f_grey)
                ws.write_blank(row, 7, None, f_grey)
                if c.id in mine:
                    before = prefill.get((d, c.id))
                    if before is None:
                        ws.write_blank(row, 8, None, f_in)
                        ws.write_blank(row, 9, None, f_note)
                    else:
                        ws.write_number(row, 8, before[0], f_in)
                        ws.write_string(row, 9, before[1], f_note)
                    ws.data_validation(row, 8, row, 8, score_validation(c.max, "vi"))
                    inputs += 1
                else:
                    ws.write_string(row, 8, "—", f_grey)
                    ws.write_string(row, 9, "Không được phân công", f_grey)
                rubric = c.rule.describe("vi")
                ws.write_string(row, 10, rubric, f_cell)
                ws.write_string(row, 11, d)
                ws.write_string(row, 12, c.id)
                ws.write_string(row, 13, stamp)
                height = row_height([(c.id, FORM_WIDTHS[4]), (c.title.vi, FORM_WIDTHS[5]), (rubric, FORM_WIDTHS[10])])
                # the yellow cell is where the member writes by hand on paper: at least two lines
                ws.set_row(row, max(height or 0, 30.0))
                row += 1
        if conflicted:
            row += 1
            span(row, "Hồ sơ không chấm do xung đột lợi ích:", f_bold)
            row += 1
            for d, f in sorted(conflicted.items()):
                why = f"khai báo: {f.why}" if f.declared else f"cùng tổ chức: {f.why}"
                span(row, f"{d} (MST {f.tax_code}) — {why}", f_cell)
                row += 1
        # the signature block, kept together on the last page, over the right half of the width
        row += 1
        f_sign = wb.add_format({**base, "align": "center"})
        f_sign_bold = wb.add_format({**base, "bold": True, "align": "center"})
        ws.merge_range(row, 8, row, 10, "Hà Nội, ngày ..... tháng ..... năm ..........", f_sign)
        ws.merge_range(row + 1, 8, row + 1, 10, "NGƯỜI ĐÁNH GIÁ", f_sign_bold)
        ws.merge_range(
            row + 2, 8, row + 2, 10, "(ký, ghi rõ họ tên)", wb.add_format({**base, "italic": True, "align": "center"})
        )
        ws.set_row(row + 3, 60)  # room to sign
        ws.merge_range(row + 4, 8, row + 4, 10, member.name, f_sign_bold)
        ws.protect("", {"format_columns": True, "format_rows": True})
        ws.set_paper(9)
        ws.set_landscape()
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        ws.fit_to_pages(1, 0)
        ws.print_area(0, 0, row + 4, 10)
        ws.set_footer(f"&L{council.id} · {member.id} · {fingerprint}&RTrang &P/&N")
    finally:
        wb.close()
    return inputs


@dataclass
class FormFile:
    """A workbook found in the forms folder: its hash for the run record, whose form it is, and
    whether its scores were used ("used"), refused ("refused") or held back as a copy ("duplicate")."""

    file: str
    sha256: str
    member: str | None = None
    state: str = "refused"


@dataclass
class FormScores:
    """Scores read back from members' forms."""

    rows: list[dict[str, Any]] = field(default_factory=list)  # member, dossier, criterion, score, comment
    members_with_forms: set[str] = field(default_factory=set)
    issues: list[Issue] = field(default_factory=list)
    forms: list[FormFile] = field(default_factory=list)


def read_forms(folder: Path, council: Council, cs: CriteriaSet, result: RunResult) -> FormScores:
    from spcncl_score.intake.discovery import discover
    from spcncl_score.intake.numbers import NumberError, parse_number
    from spcncl_score.intake.reader import file_sha256
    from spcncl_score.intake.workbook import open_workbook

    out = FormScores()
    expected = form_fingerprint(council, cs)
    files, _ = discover([folder])
    ranked = set(result.ranking.index.astype(str)) if result.ranking is not None else set()
    stamps = {d: dossier_stamp(council, cs, sha) for d, sha in scored_dossiers(result) if d in ranked}
    crit = {c.id: c for _, c in cs.criteria()}
    by_member: dict[str, list[str]] = {}
    parsed: list[tuple[str, str, list[dict[str, Any]]]] = []
    for f in files:
        if f.kind != "workbook":
            continue
        loc = Location(file=f"{folder.name}/{f.display}")
        form = FormFile(loc.file or f.display, file_sha256(f.path))
        out.forms.append(form)
        wb, issues = open_workbook(f.path, loc.file or f.display)
        if wb is None:
            out.issues.extend(issues)
            continue
        try:
            names = {n: wb.names.get(n) for n in (N_MEMBER, N_PRINT, N_ROUND, N_COUNCIL)}
            if any(t is None or t.broken for t in names.values()):
                out.issues.append(error("council-form-not-a-form", loc))
                continue
            meta = {k: str(wb.value(t.sheet, t.cell)) for k, t in names.items() if t and t.sheet and t.cell}
            member = meta[N_MEMBER]
            form.member = member
            if council.member(member) is None:
                out.issues.append(error("council-form-wrong-member", loc, member=member))
                continue
            if meta[N_ROUND] != council.round or meta[N_COUNCIL] != council.id:
                out.issues.append(
                    error(
                        "council-form-wrong-round",
                        loc,
                        found=f"{meta[N_COUNCIL]} / {meta[N_ROUND]}",
                        expected=f"{council.id} / {council.round}",
                    )
                )
                continue
            if meta[N_PRINT] != expected:
                out.issues.append(error("council-form-stale", loc, found=meta[N_PRINT], expected=expected))
                continue
            sheet = next(s for s in wb.sheets if s != META_SHEET)
            rows = wb.rows(sheet)
            header = next((i for i, r in enumerate(rows) if KEY_HEADER in r), None)
            if header is None:
                out.issues.append(error("council-form-not-a-form", loc))
                continue
            kcol = rows[header].index(KEY_HEADER)
            ccol = rows[header].index(CRIT_HEADER)
            scol = rows[header].index(STAMP_HEADER) if STAMP_HEADER in rows[header] else None
            got: list[dict[str, Any]] = []
            set_aside: set[str] = set()  # dossiers of this form whose scores do not count, said once each
            for r_i in range(header + 1, len(rows)):
                r = rows[r_i]
                if len(r) <= ccol or not r[kcol] or r[ccol] not in crit or not crit[r[ccol]].council:
                    continue
                dossier, cid, raw, note = str(r[kcol]), str(r[ccol]), r[8], r[9]
                cell_loc = Location(file=loc.file, sheet=sheet, cell=f"I{r_i + 1}", field=cid)
                if raw in ("", None, "—"):
                    xml = wb.raw_cell_xml(sheet, f"I{r_i + 1}") or ""
                    if "<f" in xml and "<v>" not in xml:
                        out.issues.append(
                            error(
                                "value-formula-no-cache",
                                cell_loc,
                                label=f"{dossier} / {cid}",
                                formula="(công thức / formula)",
                            )
                        )
                    continue
                if dossier not in stamps or scol is None or len(r) <= scol or r[scol] != stamps[dossier]:
                    if dossier not in set_aside:
                        set_aside.add(dossier)
                        code = (
                            "council-form-dossier-withdrawn"
                            if dossier not in stamps
                            else "council-form-dossier-changed"
                        )
                        issue = error if code == "council-form-dossier-changed" else warning
                        out.issues.append(issue(code, cell_loc, member=member, dossier=dossier, file=loc.file))
                    continue
                value: float | None
                if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                    value = float(raw)
                else:
                    try:
                        value, _ = parse_number(str(raw))
                    except NumberError:
                        value = None
                if value is None or not (0 <= value <= crit[cid].max):
                    shown = f"{raw:g}" if isinstance(raw, float) else str(raw)
                    out.issues.append(
                        error(
                            "council-score-invalid",
                            cell_loc,
                            value=shown,
                            criterion=named(cid, crit[cid].title),
                            dossier=dossier,
                            max=crit[cid].max,
                        )
                    )
                    continue
                got.append(
                    {
                        "member": member,
                        "dossier": dossier,
                        "criterion": cid,
                        "score": value,
                        "comment": "" if note in (None, "") else str(note),
                        "cell": f"I{r_i + 1}",
                        "form": loc.file,
                    }
                )
            by_member.setdefault(member, []).append(loc.file or "")
            parsed.append((member, loc.file or "", got))
        finally:
            wb.close()
    for member, forms in by_member.items():
        if len(forms) > 1:
            out.issues.append(error("council-form-duplicate", Location(file=forms[0]), member=member, files=forms))
    states = {form.file: form for form in out.forms}
    for member, name, got in parsed:
        if len(by_member[member]) > 1:
            states[name].state = "duplicate"
            continue  # which copy counts is the secretary's decision, not file order
        states[name].state = "used"
        out.members_with_forms.add(member)
        out.rows.extend(got)
    return out
