"""Message catalogue: every user-facing sentence in Vietnamese and English.

Messages are stored as templates keyed by issue code so that the core stays
language-free; the edges (terminal, report) render them in the chosen language.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

LANGS = ("vi", "en")


class L(NamedTuple):
    """A parameter that itself has two languages (e.g. how a value was interpreted)."""

    vi: str
    en: str


class Named(str):
    """An id that messages show by its name: equal to the id everywhere else (logic, JSON, tests).

    `Tiêu chí 'Tăng trưởng sản xuất'`, not `Tiêu chí 'a1_growth'`; a member by their name.
    """

    vi: str
    en: str

    def __new__(cls, id: str, vi: str, en: str | None = None) -> Named:
        obj = super().__new__(cls, id)
        obj.vi, obj.en = vi, en if en is not None else vi
        return obj

    def __getnewargs__(self) -> tuple[str, str, str]:  # type: ignore[override]
        return (str(self), self.vi, self.en)


def named(id: str, title: Any) -> Named:
    """``id`` shown as ``title`` (a `{vi, en}` text, or a plain name)."""
    if isinstance(title, str):
        return Named(id, title)
    return Named(id, title.vi, title.en)


# code -> (vi, en). Templates use str.format with the params.
MESSAGES: dict[str, tuple[str, str]] = {
    # criteria files
    "criteria-not-found": (
        "Không tìm thấy bộ tiêu chí '{name}'. Bộ có sẵn: {available}.",
        "Criteria set '{name}' not found. Shipped sets: {available}.",
    ),
    "criteria-yaml-syntax": (
        "Lỗi cú pháp YAML: {detail}",
        "YAML syntax error: {detail}",
    ),
    "criteria-not-mapping": (
        "Tệp tiêu chí phải là một bảng khóa–giá trị YAML.",
        "A criteria file must be a YAML mapping.",
    ),
    "criteria-schema": ("{detail}", "{detail}"),
    "criteria-duplicate-id": (
        "Mã '{id}' bị trùng (đã dùng tại {first}).",
        "Id '{id}' is used twice (first at {first}).",
    ),
    "criteria-unknown-ref": (
        "'{ref}' không phải là trường nhập hay chỉ số đã khai báo.",
        "'{ref}' is not a declared field or indicator.",
    ),
    "criteria-ref-kind": (
        "'{ref}' phải là {expected}, nhưng là {found}.",
        "'{ref}' must be {expected}, but it is {found}.",
    ),
    "criteria-rule-input": (
        "Quy tắc '{rule}' cần dữ liệu kiểu {expected}, nhưng '{ref}' có kiểu {found}.",
        "Rule '{rule}' needs a {expected} input, but '{ref}' is of type {found}.",
    ),
    "criteria-unknown-choice": (
        "Lựa chọn '{choice}' không có trong danh sách của trường '{field}'.",
        "Choice '{choice}' is not among the choices of field '{field}'.",
    ),
    "criteria-years-window": (
        "Chỉ số cần {needed} năm số liệu nhưng trường '{field}' chỉ có {years}.",
        "The indicator needs {needed} years of figures but field '{field}' has only {years}.",
    ),
    "criteria-identity-field": (
        "Trường định danh '{role}' trỏ tới '{ref}', không phải trường nhập một giá trị.",
        "Identity role '{role}' points at '{ref}', which is not a single-value input field.",
    ),
    "criteria-band-range": ("Khoảng '{range}' không hợp lệ: {detail}", "Range '{range}' is invalid: {detail}"),
    "criteria-group-sum": (
        "Tổng điểm tối đa của các tiêu chí trong nhóm '{group}' là {sum}, khác với điểm tối đa khai báo {max}.",
        "The criteria of group '{group}' add up to {sum} points, not the declared maximum {max}.",
    ),
    "criteria-total-sum": (
        "Tổng điểm tối đa của các nhóm là {sum}, khác với tổng khai báo {max}.",
        "The groups add up to {sum} points, not the declared total {max}.",
    ),
    "criteria-points-above-max": (
        "Quy tắc cho tối đa {points} điểm, vượt điểm tối đa {max} của tiêu chí '{criterion}'.",
        "The rule can give {points} points, above the maximum {max} of criterion '{criterion}'.",
    ),
    "criteria-tie-break-ref": (
        "Khóa phân định '{ref}' không phải nhóm, tiêu chí, chỉ số hay trường số.",
        "Tie-break key '{ref}' is not a group, criterion, indicator or numeric field.",
    ),
    "criteria-gate-value": (
        "Điều kiện trên '{ref}': giá trị {value} phải là {expected}.",
        "Gate on '{ref}': value {value} must be {expected}.",
    ),
    "criteria-unreachable-minimum": (
        "Mức tối thiểu {minimum} của '{what}' không thể đạt (tối đa đạt được {best}).",
        "The minimum {minimum} of '{what}' cannot be reached (at most {best} can be scored).",
    ),
    "criteria-unreachable-pass-mark": (
        "Điểm đạt {pass_mark} không thể đạt: tổng điểm tối đa đạt được là {best}.",
        "The pass mark {pass_mark} cannot be reached: at most {best} points can be scored.",
    ),
    "criteria-no-provenance": (
        "{what} không có căn cứ pháp lý ('source' với 'citation') hay dấu 'provisional'.",
        "{what} has neither a legal citation ('source' with 'citation') nor an explicit 'provisional' mark.",
    ),
    "criteria-bands-unsorted": (
        "Các khoảng điểm phải xếp theo thứ tự tăng dần của cận dưới.",
        "Bands must be listed in increasing order of their lower edge.",
    ),
    "criteria-bands-overlap": ("Khoảng {a} và {b} chồng lên nhau.", "Bands {a} and {b} overlap."),
    "criteria-bands-gap": ("Có khoảng trống giữa {a} và {b}.", "There is a gap between bands {a} and {b}."),
    "criteria-bands-not-monotone": (
        "Điểm không đơn điệu theo hướng '{direction}': {a} → {pa} nhưng {b} → {pb}.",
        "Points are not monotone in direction '{direction}': {a} gives {pa} but {b} gives {pb}.",
    ),
    "criteria-bands-uncovered": (
        "Các khoảng không phủ hết miền {domain} ở cận {edge} (khoảng {band}).",
        "The bands do not cover the domain {domain} at its {edge} end (band {band}).",
    ),
    "criteria-tiers-overlap": ("Bậc {a} và {b} chồng lên nhau.", "Tiers {a} and {b} overlap."),
    "criteria-tiers-gap": ("Có khoảng trống giữa bậc {a} và {b}.", "There is a gap between tiers {a} and {b}."),
    "criteria-tiers-uncovered": (
        "Bậc cao nhất không lên tới điểm tối đa {max}: sản phẩm đạt điểm cao nhất sẽ không có bậc nào.",
        "The highest tier does not reach the top of the scale, {max}: the best products would have no tier.",
    ),
    # dossier files
    "dossier-unreadable": (
        "Tệp bị hỏng, không đọc được nội dung trang tính ({detail}); hãy mở bằng Excel, lưu lại và gửi lại.",
        "The file is damaged and its sheets could not be read ({detail}); open it in Excel, save it and send it again.",
    ),
    "dossier-not-a-form": (
        "Tệp không phải là biểu mẫu tự đánh giá do spcncl-score tạo (không có tên vùng '{name}').",
        "The file is not a self-assessment form made by spcncl-score (no defined name '{name}').",
    ),
    "dossier-wrong-criteria": (
        "Biểu mẫu được tạo cho bộ tiêu chí '{found_id}' phiên bản {found_version}, nhưng đang chấm theo '{expected_id}' phiên bản {expected_version}. Nếu biểu mẫu đúng, hãy chấm theo bộ của nó: -c {found_id}; nếu không, gửi biểu mẫu của bộ '{expected_id}' (spcncl-score template -c {expected_id}).",
        "The form was made for criteria '{found_id}' version {found_version}, but scoring uses '{expected_id}' version {expected_version}. If the form is right, score with its set: -c {found_id}; if not, send the form of '{expected_id}' (spcncl-score template -c {expected_id}).",
    ),
    "dossier-fingerprint-changed": (
        "Biểu mẫu được tạo từ một bản sửa khác của bộ tiêu chí (dấu vân tay {found}, hiện tại {expected}); đã kiểm tra từng trường.",
        "The form was made from another revision of the criteria (fingerprint {found}, now {expected}); every field was checked.",
    ),
    "dossier-missing-name": (
        "Thiếu tên vùng '{name}' của trường '{field}' (biểu mẫu đã bị sửa cấu trúc?).",
        "Defined name '{name}' for field '{field}' is missing (was the form's layout changed?).",
    ),
    "dossier-broken-name": (
        "Tên vùng '{name}' trỏ tới ô không tồn tại ({target}).",
        "Defined name '{name}' points at a cell that does not exist ({target}).",
    ),
    "dossier-missing-sheet": (
        "Tên vùng '{name}' trỏ tới trang tính '{sheet}' không còn trong tệp.",
        "Defined name '{name}' points at sheet '{sheet}', which is not in the file.",
    ),
    # file-level problems
    "file-empty": (
        "Tệp rỗng (0 byte); có thể tệp chưa được sao chép xong.",
        "The file is empty (0 bytes); it may not have been copied completely.",
    ),
    "file-not-workbook": (
        "Tệp không phải bảng tính Excel (nội dung là {what}); hãy gửi biểu mẫu .xlsx.",
        "The file is not an Excel workbook (it holds {what}); send the .xlsx form.",
    ),
    "file-corrupt-zip": (
        "Tệp .xlsx bị hỏng hoặc bị cắt cụt ({detail}); hãy gửi lại bản đầy đủ.",
        "The .xlsx file is damaged or truncated ({detail}); send a complete copy.",
    ),
    "file-no-workbook": (
        "Tệp nén không chứa bảng tính Excel.",
        "The zip file holds no Excel workbook.",
    ),
    "file-encrypted": (
        "Bảng tính được bảo vệ bằng mật khẩu; hãy gửi bản không đặt mật khẩu.",
        "The workbook is password-protected; send an unprotected copy.",
    ),
    "file-legacy-xls": (
        "Tệp Excel 97–2003 (.xls) không được hỗ trợ; hãy mở bằng Excel và lưu lại dạng .xlsx (File → Save As → Excel Workbook).",
        "Excel 97–2003 files (.xls) are not supported; open it in Excel and save it as .xlsx (File → Save As → Excel Workbook).",
    ),
    "file-too-large": (
        "Tệp khi giải nén lớn {size_mb} MB, vượt giới hạn {limit_mb} MB; không đọc để bảo vệ bộ nhớ.",
        "The file inflates to {size_mb} MB, above the {limit_mb} MB limit; not read, to keep memory bounded.",
    ),
    "file-broken-link": ("Liên kết hỏng (đích không tồn tại).", "Broken link (its target does not exist)."),
    "value-formula-no-cache": (
        "'{label}': ô chứa công thức {formula} nhưng chưa có giá trị đã tính (tệp được tạo bởi chương trình không tính công thức); hãy mở bằng Excel, lưu lại, hoặc nhập số trực tiếp.",
        "'{label}': the cell holds formula {formula} but no computed value (made by a program that does not calculate); open and save it in Excel, or type the number.",
    ),
    "value-error-cell": (
        "'{label}': ô chứa lỗi {value}.",
        "'{label}': the cell holds the error {value}.",
    ),
    "sheet-too-large": (
        "Trang tính '{sheet}' có thể trải tới {rows} hàng × {columns} cột, vượt giới hạn {limit} ô; không đọc để bảo vệ bộ nhớ (có thể có một ô nhập ở rất xa: hãy xoá các hàng, cột thừa).",
        "Sheet '{sheet}' may span up to {rows} rows × {columns} columns, above the {limit}-cell limit; not read, to keep memory bounded (a value far away? delete the extra rows and columns).",
    ),
    "sheet-hidden": (
        "Trang tính '{sheet}' chứa ô nhập liệu nhưng đang bị ẩn.",
        "Sheet '{sheet}' holds input cells but is hidden.",
    ),
    "cell-merged": (
        "Ô nhập liệu {cell} nằm trong vùng gộp ô {range}; giá trị có thể bị mất.",
        "Input cell {cell} lies in merged range {range}; its value may be lost.",
    ),
    "value-required": (
        "Chưa nhập '{label}' (bắt buộc).",
        "'{label}' is required but empty.",
    ),
    "value-not-number": (
        "'{label}': cần một số, nhưng ô chứa '{value}'.",
        "'{label}': expected a number, found '{value}'.",
    ),
    "value-not-integer": (
        "'{label}': cần một số nguyên, nhưng ô chứa '{value}'.",
        "'{label}': expected a whole number, found '{value}'.",
    ),
    "value-below-min": (
        "'{label}': giá trị {value} nhỏ hơn mức tối thiểu {min}.",
        "'{label}': value {value} is below the minimum {min}.",
    ),
    "value-above-max": (
        "'{label}': giá trị {value} lớn hơn mức tối đa {max}.",
        "'{label}': value {value} is above the maximum {max}.",
    ),
    "value-not-yes-no": (
        "'{label}': cần 'Có' hoặc 'Không', nhưng ô chứa '{value}'.",
        "'{label}': expected yes or no, found '{value}'.",
    ),
    "value-not-choice": (
        "'{label}': '{value}' không thuộc danh sách lựa chọn ({choices}).",
        "'{label}': '{value}' is not one of the choices ({choices}).",
    ),
    "value-not-date": (
        "'{label}': cần một ngày (dd/mm/yyyy), nhưng ô chứa '{value}'.",
        "'{label}': expected a date (dd/mm/yyyy), found '{value}'.",
    ),
    "value-interpreted": (
        "'{label}': đã hiểu '{value}' là {parsed} ({how}).",
        "'{label}': read '{value}' as {parsed} ({how}).",
    ),
    "self-score-invalid": (
        "Điểm tự chấm của tiêu chí '{criterion}': '{value}' không phải số từ 0 đến {max}.",
        "Self-score of criterion '{criterion}': '{value}' is not a number from 0 to {max}.",
    ),
    "dossier-not-ranked": (
        "Hồ sơ không được xếp hạng vì có {count} lỗi.",
        "The dossier is not ranked because it has {count} error(s).",
    ),
    # scoring
    "score-no-band": (
        "Tiêu chí '{criterion}': giá trị {value} không thuộc khoảng điểm nào; tính 0 điểm.",
        "Criterion '{criterion}': value {value} falls in no band; scored 0.",
    ),
    "score-missing-input": (
        "Tiêu chí '{criterion}': không tính được '{ref}' từ số liệu đã nhập; tính 0 điểm.",
        "Criterion '{criterion}': '{ref}' could not be computed from the figures given; scored 0.",
    ),
    "score-self-score-used": (
        "Tiêu chí '{criterion}' do Hội đồng chấm; tạm lấy điểm tự chấm của {count} hồ sơ cho đến khi có điểm Hội đồng.",
        "Criterion '{criterion}' is scored by the council; the self-scores of {count} dossier(s) stand in until council scores arrive.",
    ),
    "score-self-score-missing": (
        "Tiêu chí '{criterion}' do Hội đồng chấm nhưng chưa có điểm tự chấm; tạm tính 0 điểm.",
        "Criterion '{criterion}' is scored by the council and has no self-score; scored 0 for now.",
    ),
    "score-overclaim": (
        "Tiêu chí '{criterion}': tự chấm {self} điểm, tính được {points} điểm (chênh {diff}).",
        "Criterion '{criterion}': self-score {self}, computed {points} (difference {diff}).",
    ),
    "rank-unbroken-tie": (
        "Các hồ sơ {dossiers} bằng nhau trên mọi khóa xếp hạng đã khai báo; cần Hội đồng quyết định.",
        "Dossiers {dossiers} are equal on every declared ranking key; the council must decide.",
    ),
    "rank-cap-tie": (
        "Doanh nghiệp {enterprise}: các sản phẩm {dossiers} bằng điểm tại giới hạn số sản phẩm/doanh nghiệp; cần Hội đồng chọn.",
        "Enterprise {enterprise}: products {dossiers} are equal at the per-enterprise cap; the council must choose.",
    ),
    "rank-tie-at-top-n": (
        "Đồng hạng tại ranh giới Top {n}: {dossiers}; cần Hội đồng quyết định.",
        "Tie at the Top-{n} boundary: {dossiers}; the council must decide.",
    ),
    # folders and runs
    "input-not-found": ("Không tìm thấy '{path}'.", "'{path}' does not exist."),
    "input-no-dossiers": (
        "Không tìm thấy hồ sơ nào (biểu mẫu .xlsx hoặc bảng tổng hợp .xlsx, .csv) trong '{path}'.",
        "No dossier (an .xlsx form, or an .xlsx or .csv table) found in '{path}'.",
    ),
    "file-ignored": (
        "Bỏ qua tệp không phải bảng tính ({kind}).",
        "Ignored: not a spreadsheet ({kind}).",
    ),
    "file-lock-skipped": (
        "Bỏ qua tệp khóa của Excel (bảng tính đang được mở).",
        "Skipped an Excel lock file (a workbook is open somewhere).",
    ),
    "output-exists": (
        "Tệp '{path}' đã có; dùng --force để ghi đè.",
        "'{path}' already exists; use --force to overwrite it.",
    ),
    "output-is-input": (
        "Không ghi đè lên tệp đầu vào '{path}' (kể cả với --force).",
        "Refusing to write over input file '{path}' (even with --force).",
    ),
    "output-in-input-dir": (
        "Không ghi vào thư mục đầu vào '{path}' (dùng --force nếu thật sự muốn).",
        "Refusing to write inside the input folder '{path}' (use --force if you mean it).",
    ),
    "output-write-failed": (
        "Không ghi được '{path}': {detail}",
        "Could not write '{path}': {detail}",
    ),
    "internal-error": (
        "Lỗi nội bộ khi xử lý: {detail}. Hãy báo lỗi này (chạy lại với --debug để xem chi tiết).",
        "Internal error: {detail}. Please report it (run again with --debug for details).",
    ),
}


def render_message(code: str, params: dict[str, Any], lang: str = "vi") -> str:
    pair = MESSAGES.get(code)
    if pair is None:
        return f"{code} {params}" if params else code
    template = pair[1] if lang == "en" else pair[0]
    try:
        return template.format(**_shown_params(code, params, lang))
    except (KeyError, IndexError):
        return f"{template} {params}"


# messages and reasons that compare a figure with a threshold, and the side the figure fell on:
# code -> (figure, threshold, "below" | "above"); "above" is strictly above
_COMPARED: dict[str, tuple[str, str, str]] = {
    "value-below-min": ("value", "min", "below"),
    "value-above-max": ("value", "max", "above"),
    "value-above-max-dong": ("value", "max", "above"),
    "council-disagreement": ("spread", "threshold", "above"),
    "reason-below-pass-mark": ("total", "pass_mark", "below"),
    "reason-group-minimum": ("points", "minimum", "below"),
    "reason-criterion-minimum": ("points", "minimum", "below"),
}


def _shown_params(code: str, params: dict[str, Any], lang: str) -> dict[str, Any]:
    """Parameters as text; a figure compared with a threshold is shown on its side of it, however close."""
    shown = {k: _fmt(v, lang) for k, v in params.items()}
    figure, threshold, side = _COMPARED.get(code, ("", "", ""))
    value, limit = params.get(figure), params.get(threshold)
    numbers = (int, float)
    if isinstance(value, numbers) and isinstance(limit, numbers) and not isinstance(value, bool):
        below = side == "below"
        shown[figure] = format_against(float(value), float(limit), lang, below=below, strict=not below)
        shown[threshold] = format_threshold(float(limit), lang)
    return shown


def _fmt(value: Any, lang: str) -> Any:
    if isinstance(value, Named):
        return value.en if lang == "en" else value.vi
    if isinstance(value, L):
        return value.en if lang == "en" else value.vi
    if isinstance(value, float):
        return format_number(value, lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_fmt(v, lang)) for v in value)
    return value


def format_number(value: float, lang: str = "vi", digits: int = 2) -> str:
    """Format a number the way the reader expects (Vietnamese: 1.234,5; no `89.00`, no `2000.0`).

    For a figure compared against a threshold, use `format_against`: rounding alone can carry
    64.99944 up to the pass mark 65 it failed.
    """
    if value != value:  # NaN
        return "—"
    if value in (float("inf"), float("-inf")):
        return "∞" if value > 0 else "−∞"
    if abs(value) >= HUGE_NUMBER:
        # beyond any real figure (1e308 typed into a cell): its digits would fill the screen
        return f"{value:.6g}".translate(_VI_SEPARATORS) if lang == "vi" else f"{value:.6g}"
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "−0"):
        text = "0"
    return text.translate(_VI_SEPARATORS) if lang == "vi" else text


_VI_SEPARATORS = str.maketrans(",.", ".,")
HUGE_NUMBER = 1e18  # shown in scientific notation from here (10^9 tỷ đồng, far past any real figure)

# The engine's tolerance for float noise (scoring.engine._EPS): a total within it of the pass
# mark meets it. Kept equal here so that what is shown is decided the way the engine decided.
DECISION_EPS = 1e-9
# Thresholds (pass mark, minimums) are shown with up to this many decimals: exactly, in practice;
# a figure compared with one, with up to _MOST_DIGITS, enough to separate anything beyond DECISION_EPS.
THRESHOLD_DIGITS = 9
_MOST_DIGITS = 12


def format_threshold(threshold: float, lang: str = "vi") -> str:
    """A threshold as written in the criteria (65, 64,5, 11,666666667), never rounded to 2 decimals."""
    return format_number(threshold, lang, THRESHOLD_DIGITS)


def shown_against(
    value: float, threshold: float, below: bool | None = None, digits: int = 2, strict: bool = False
) -> float:
    """The figure to show for ``value`` compared against ``threshold``: never across it.

    ``below`` is the decision (default: the engine's, ``value + DECISION_EPS < threshold``). The
    value is rounded to ``digits`` decimals, or to more (up to 12) when that rounding would reach or
    cross the threshold (as shown, to 9 decimals); past 12 it is cut toward the side of the
    decision. So 64.99944 under a pass mark of 65 shows as 64,999, and 59.9951 over a minimum of
    59.995 as 59,9951. ``strict``: a figure above (not at) the threshold is shown above it
    (a spread of 15.001 over a limit of 15 as 15,001, not 15).
    """
    if value != value or threshold != threshold:
        return value
    shown_threshold = round(threshold, THRESHOLD_DIGITS)
    if below is None:
        below = value + DECISION_EPS < threshold
    for d in range(digits, _MOST_DIGITS + 1):
        r = round(value, d)
        if (r < shown_threshold) if below else (r > shown_threshold if strict else r >= shown_threshold):
            return r
    q = 10.0**_MOST_DIGITS
    cut = math.floor(value * q) / q if below else math.ceil(value * q) / q
    if below and cut >= shown_threshold:
        cut = shown_threshold - 1 / q
    elif not below and strict and cut <= shown_threshold:
        cut = shown_threshold + 1 / q
    elif not below and cut < shown_threshold:
        cut = shown_threshold  # met within DECISION_EPS: shown as the threshold it met
    return cut


def format_against(
    value: float, threshold: float, lang: str = "vi", below: bool | None = None, strict: bool = False
) -> str:
    """``value`` formatted so that the figure shown agrees with the decision against ``threshold``."""
    shown = shown_against(value, threshold, below, strict=strict)
    return format_number(shown, lang, _MOST_DIGITS)


# UI words used by forms and reports: key -> (vi, en)
LABELS: dict[str, tuple[str, str]] = {
    "form_title": ("BẢNG TỰ ĐÁNH GIÁ", "SELF-ASSESSMENT FORM"),
    "form_sheet": ("Hồ sơ", "Dossier"),
    "self_sheet": ("Tự chấm điểm", "Self-score"),
    "criteria_line": (
        "Bộ tiêu chí: {id} · phiên bản {version} · mã kiểm tra {fingerprint}",
        "Criteria: {id} · version {version} · fingerprint {fingerprint}",
    ),
    "form_guidance": (
        "Nhập số liệu vào các ô màu vàng. Không chèn, xóa hay di chuyển dòng, cột. "
        "Số tiền ghi theo đơn vị ở cột 'Đơn vị'; số thập phân dùng dấu phẩy (1.234,5).",
        "Fill in the yellow cells only. Do not insert, delete or move rows or columns. "
        "Amounts are in the unit of the 'Unit' column.",
    ),
    "reporting_year": ("Năm báo cáo", "Reporting year"),
    "no": ("STT", "No."),
    "item": ("Nội dung", "Item"),
    "unit": ("Đơn vị", "Unit"),
    "value": ("Giá trị", "Value"),
    "guidance": ("Hướng dẫn", "Guidance"),
    "year": ("Năm {year}", "Year {year}"),
    "section_identity": ("I. THÔNG TIN DOANH NGHIỆP", "I. ENTERPRISE"),
    "section_product": ("II. SẢN PHẨM", "II. PRODUCT"),
    "section_compliance": ("III. CHẤT LƯỢNG VÀ TUÂN THỦ", "III. QUALITY AND COMPLIANCE"),
    "section_other": ("IV. THÔNG TIN KHÁC", "IV. OTHER INFORMATION"),
    "section_figures": ("V. SỐ LIỆU SẢN XUẤT, KINH DOANH", "V. PRODUCTION AND BUSINESS FIGURES"),
    "criterion": ("Tiêu chí", "Criterion"),
    "max_points": ("Điểm tối đa", "Max points"),
    "self_score": ("Điểm tự chấm", "Self-score"),
    "how_scored": ("Cách tính điểm", "How it is scored"),
    "provenance": ("Căn cứ", "Basis"),
    "total": ("Tổng cộng", "Total"),
    "yes": ("Có", "Yes"),
    "no_word": ("Không", "No"),
    "required": ("bắt buộc", "required"),
    "optional": ("không bắt buộc", "optional"),
    "range_hint": ("từ {min} đến {max}", "from {min} to {max}"),
    "min_hint": ("≥ {min}", "≥ {min}"),
    "council_scored": ("Hội đồng chấm", "Scored by the council"),
    "dv_number_title": ("Giá trị không hợp lệ", "Invalid value"),
    "dv_number_msg": ("Nhập một số {hint}.", "Enter a number {hint}."),
    "dv_list_msg": ("Chọn một giá trị trong danh sách.", "Pick a value from the list."),
    "dv_date_msg": ("Nhập một ngày (dd/mm/yyyy).", "Enter a date (dd/mm/yyyy)."),
    "dv_score_msg": ("Nhập điểm từ 0 đến {max}.", "Enter points from 0 to {max}."),
}


def label(key: str, lang: str = "vi", **params: Any) -> str:
    pair = LABELS[key]
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**params) if params else text


YES_WORDS = {"có", "co", "yes", "y", "x", "true", "đúng", "dung", "1", "c"}
NO_WORDS = {"không", "khong", "no", "n", "false", "sai", "0", "k", "-"}

REASONS: dict[str, tuple[str, str]] = {
    "reason-gate-failed": ("Không đạt điều kiện: {title_vi}", "Fails eligibility: {title_en}"),
    "reason-below-pass-mark": (
        "Tổng điểm {total} thấp hơn điểm đạt {pass_mark}",
        "Total {total} is below the pass mark {pass_mark}",
    ),
    "reason-group-minimum": (
        "Nhóm {group}: {points} điểm, dưới mức tối thiểu {minimum}",
        "Group {group}: {points} points, below its minimum {minimum}",
    ),
    "reason-criterion-minimum": (
        "Tiêu chí {criterion}: {points} điểm, dưới mức tối thiểu {minimum}",
        "Criterion {criterion}: {points} points, below its minimum {minimum}",
    ),
    "reason-knockout": ("Tiêu chí loại trừ {criterion} đạt 0 điểm", "Knock-out criterion {criterion} scored 0"),
    "reason-invalid": ("Hồ sơ có lỗi, không được chấm điểm", "The dossier has errors and was not scored"),
}


def render_reason(code: str, params: dict[str, Any], lang: str = "vi") -> str:
    pair = REASONS.get(code)
    if pair is None:
        return code
    template = pair[1] if lang == "en" else pair[0]
    # a failed figure is shown below its threshold, however close: 64,999 < 65, never 65
    return template.format(**_shown_params(code, params, lang))


MESSAGES.update(
    {
        "implausible-value": (
            "Số liệu bất thường: {message_vi} ({ref} = {value}).",
            "Implausible figure: {message_en} ({ref} = {value}).",
        ),
        "tax-code-format": (
            "Mã số thuế '{value}' không hợp lệ: cần 10 chữ số, hoặc 10 chữ số + '-' + 3 chữ số (nếu Excel làm mất số 0 ở đầu, hãy định dạng ô là Văn bản hoặc gõ dấu ' trước).",
            "Tax code '{value}' is invalid: expected 10 digits, or 10 digits + '-' + 3 digits (if Excel dropped a leading 0, format the cell as Text or type ' first).",
        ),
        "file-is-report": (
            "Đây là một báo cáo của spcncl-score, không phải hồ sơ; bỏ qua.",
            "This is a spcncl-score report, not a dossier; skipped.",
        ),
    }
)

LABELS.update(
    {
        "sheet_ranking": ("Xếp hạng", "Ranking"),
        "sheet_detail": ("Chi tiết điểm", "Criterion detail"),
        "sheet_gates": ("Điều kiện", "Eligibility"),
        "sheet_not_ranked": ("Không xếp hạng", "Not ranked"),
        "sheet_issues": ("Vấn đề", "Issues"),
        "sheet_criteria": ("Bộ tiêu chí", "Criteria applied"),
        "sheet_run": ("Thông tin lần chạy", "Run information"),
        "rank": ("Hạng", "Rank"),
        "tie": ("Đồng hạng", "Tie"),
        "enterprise": ("Doanh nghiệp", "Enterprise"),
        "tax_code": ("Mã số thuế", "Tax code"),
        "product": ("Sản phẩm", "Product"),
        "industry_group": ("Nhóm ngành", "Industry group"),
        "tracks": ("Nhóm điều kiện đạt", "Tracks met"),
        "total_points": ("Tổng điểm", "Total"),
        "tier": ("Hạng sao / bậc", "Tier"),
        "outcome": ("Kết quả", "Outcome"),
        "council_warnings": ("Lưu ý cho Hội đồng", "Notes for the council"),
        "separated_by": ("Phân định đồng điểm bằng", "Tie separated by"),
        "reasons": ("Lý do", "Reasons"),
        "file": ("Tệp", "File"),
        "outcome_top": ("Top {n}", "Top {n}"),
        "outcome_top_tie": (
            "Đồng hạng ranh giới Top {n} — Hội đồng quyết định",
            "Tie at the Top-{n} line — council decides",
        ),
        "outcome_recognised": ("Được công nhận", "Recognised"),
        "outcome_not_recognised": ("Không được công nhận", "Not recognised"),
        "outcome_capped": (
            "Được công nhận (vượt giới hạn số sản phẩm/doanh nghiệp trong Top)",
            "Recognised (enterprise cap reached for the Top)",
        ),
        "outcome_invalid": ("Không xếp hạng: hồ sơ lỗi", "Not ranked: dossier errors"),
        "criterion_id": ("Mã tiêu chí", "Criterion id"),
        "group": ("Nhóm", "Group"),
        "input": ("Dữ liệu dùng", "Input"),
        "source_cells": ("Ô nguồn", "Source cells"),
        "input_values": ("Giá trị nhập", "Values entered"),
        "indicator_value": ("Giá trị chỉ số", "Indicator value"),
        "matched": ("Khoảng / quy tắc khớp", "Band or rule matched"),
        "points": ("Điểm", "Points"),
        "difference": ("Tự chấm − tính", "Self − computed"),
        "basis": ("Cơ sở điểm", "Basis"),
        "basis_computed": ("Tính từ số liệu", "Computed from the figures"),
        "basis_self_score": ("Tạm lấy điểm tự chấm (chờ Hội đồng)", "Self-score, pending the council"),
        "basis_council": ("Điểm Hội đồng", "Council score"),
        "basis_missing": ("Thiếu dữ liệu: 0 điểm", "Missing: 0 points"),
        "basis_no_band": ("Ngoài mọi khoảng: 0 điểm", "In no band: 0 points"),
        "gate_pass": ("Đạt", "Pass"),
        "gate_fail": ("Không đạt", "Fail"),
        "status": ("Trạng thái", "Status"),
        "severity": ("Mức độ", "Severity"),
        "code": ("Mã", "Code"),
        "message": ("Nội dung", "Message"),
        "sheet": ("Trang tính", "Sheet"),
        "cell": ("Ô", "Cell"),
        "field": ("Trường", "Field"),
        "sev_error": ("Lỗi", "Error"),
        "sev_warning": ("Cảnh báo", "Warning"),
        "sev_info": ("Thông tin", "Info"),
        "kind_workbook": ("Hồ sơ lỗi", "Dossier with errors"),
        "kind_unreadable": ("Không đọc được tệp", "File could not be read"),
        "kind_lock": ("Tệp khóa, bỏ qua", "Lock file, skipped"),
        "kind_ignored": ("Không phải bảng tính, bỏ qua", "Not a spreadsheet, ignored"),
        "kind_broken_link": ("Liên kết hỏng", "Broken link"),
        "rule": ("Cách tính điểm", "Scoring rule"),
        "minimum": ("Tối thiểu", "Minimum"),
        "knockout": ("Loại trừ", "Knock-out"),
        "key": ("Mục", "Item"),
        "item_value": ("Giá trị", "Value"),
        "pass_mark": ("Điểm đạt", "Pass mark"),
        "top_n": ("Số sản phẩm Top", "Top N"),
        "tie_breaks": ("Thứ tự phân định đồng điểm", "Tie-break order"),
        "gate": ("Điều kiện", "Gate"),
        "condition": ("Điều kiện so sánh", "Condition"),
        "run_tool": ("Công cụ", "Tool"),
        "run_criteria": ("Bộ tiêu chí", "Criteria set"),
        "run_criteria_file": ("Tệp tiêu chí", "Criteria file"),
        "run_criteria_sha": ("SHA-256 tệp tiêu chí", "Criteria file SHA-256"),
        "run_fingerprint": ("Mã kiểm tra tiêu chí", "Criteria fingerprint"),
        "run_time": ("Thời điểm chạy", "Run time"),
        "run_files": ("Số tệp tìm thấy", "Files found"),
        "run_dossiers": ("Số hồ sơ đọc được", "Dossiers read"),
        "run_ranked": ("Số hồ sơ được chấm", "Dossiers scored"),
        "run_recognised": ("Số sản phẩm được công nhận", "Products recognised"),
        "run_not_ranked": ("Số tệp không xếp hạng", "Files not ranked"),
        "run_input": ("Tệp đầu vào", "Input file"),
        "provisional_note": ("Giá trị tạm thời — cần xác nhận", "Provisional value — to be confirmed"),
        "footer": ("{criteria} · Trang &P/&N", "{criteria} · Page &P of &N"),
        "summary_title": ("Kết quả xét chọn", "Evaluation result"),
        "sensitivity_step": ("Kiểm tra độ nhạy", "Sensitivity check"),
    }
)

MESSAGES.update(
    {
        "council-unreadable": ("Không đọc được tệp Hội đồng: {detail}", "The council file could not be read: {detail}"),
        "council-wrong-criteria": (
            "Tệp Hội đồng dành cho bộ tiêu chí '{found}', không phải {expected}.",
            "The council file is for criteria '{found}', not {expected}.",
        ),
        "council-chair": (
            "Hội đồng cần đúng một Chủ tịch (đang có {count}).",
            "The council needs exactly one chair (it has {count}).",
        ),
        "council-unknown-criterion": (
            "'{id}' không phải tiêu chí do Hội đồng chấm hay nhóm tiêu chí.",
            "'{id}' is not a council-scored criterion or a group.",
        ),
        "council-unknown-member": ("Không có thành viên '{id}'.", "There is no member '{id}'."),
        "council-nothing-to-score": (
            "Bộ tiêu chí '{criteria}' không có tiêu chí nào do Hội đồng chấm (kind: council).",
            "Criteria '{criteria}' have no council-scored criterion (kind: council).",
        ),
        "council-conflict-declared": (
            "Thành viên {member} có xung đột lợi ích với doanh nghiệp MST {tax_code} (khai báo: {reason}); điểm của thành viên không được tính.",
            "Member {member} has a conflict of interest with enterprise {tax_code} (declared: {reason}); their scores are excluded.",
        ),
        "council-conflict-detected": (
            "Thành viên {member} thuộc {organisation}, trùng MST {tax_code} của doanh nghiệp nộp hồ sơ; điểm của thành viên không được tính.",
            "Member {member} works for {organisation}, tax code {tax_code}, the enterprise that submitted; their scores are excluded.",
        ),
        "council-form-unreadable": (
            "Không đọc được phiếu đánh giá: {detail}",
            "The scoring form could not be read: {detail}",
        ),
        "council-form-not-a-form": (
            "Tệp không phải phiếu đánh giá của Hội đồng này.",
            "The file is not a scoring form of this council.",
        ),
        "council-form-wrong-member": (
            "Phiếu của thành viên '{member}' không có trong Hội đồng.",
            "The form belongs to member '{member}', who is not on the council.",
        ),
        "council-form-stale": (
            "Phiếu được tạo cho Hội đồng, vòng hoặc bộ tiêu chí khác (mã {found}, hiện tại {expected}); không được dùng.",
            "The form was made for another council, round or criteria (fingerprint {found}, now {expected}); it is refused.",
        ),
        "council-form-wrong-round": (
            "Phiếu của Hội đồng/vòng '{found}', không phải '{expected}'; không được dùng.",
            "The form is for council/round '{found}', not '{expected}'; it is refused.",
        ),
        "council-form-duplicate": (
            "Thành viên '{member}' nộp nhiều phiếu: {files}; chưa dùng phiếu nào cho đến khi bỏ bớt.",
            "Member '{member}' returned several forms: {files}; none is used until one is removed.",
        ),
        "council-score-invalid": (
            "Điểm '{value}' cho tiêu chí {criterion} của hồ sơ {dossier} không phải số từ 0 đến {max}.",
            "Score '{value}' for criterion {criterion} of dossier {dossier} is not a number from 0 to {max}.",
        ),
        "council-score-missing": (
            "Thành viên '{member}' chưa chấm {count} mục: {items}.",
            "Member '{member}' has not scored {count} item(s): {items}.",
        ),
        "council-form-missing": ("Chưa có phiếu của thành viên '{member}'.", "No form from member '{member}'."),
        "council-quorum": (
            "Hồ sơ {dossier}: chỉ {present}/{voting} thành viên chấm (cần {needed}{chair}); không đủ túc số.",
            "Dossier {dossier}: only {present}/{voting} members scored (needed {needed}{chair}); no quorum.",
        ),
        "council-disagreement": (
            "Hồ sơ {dossier}: tổng điểm của các thành viên chênh nhau {spread} điểm (> {threshold}); Hội đồng cần thảo luận.",
            "Dossier {dossier}: members' totals differ by {spread} points (> {threshold}); the council should discuss it.",
        ),
        "council-normalisation-refused": (
            "Không chuẩn hóa điểm của thành viên '{member}': chỉ chấm {count} hồ sơ (cần ít nhất {minimum}).",
            "Leniency normalisation refused for member '{member}': only {count} dossiers scored (at least {minimum} needed).",
        ),
    }
)

REASONS.update(
    {
        "reason-no-quorum": ("Không đủ túc số Hội đồng ({present}/{needed})", "No council quorum ({present}/{needed})"),
    }
)
MESSAGES.update(
    {
        "council-needs-scores": (
            "Dùng --council cần kèm --scores (thư mục phiếu đánh giá đã chấm).",
            "--council needs --scores (the folder of filled scoring forms).",
        ),
        "council-not-assigned": (
            "Thành viên '{member}' chấm tiêu chí {criterion} không được phân công; điểm này không được tính.",
            "Member '{member}' scored criterion {criterion}, which is not assigned to them; the score is ignored.",
        ),
    }
)

LABELS.update(
    {
        "sheet_members": ("Điểm thành viên", "Member scores"),
        "sheet_council_stats": ("Tổng hợp Hội đồng", "Council aggregation"),
        "sheet_disagreement": ("Bất đồng", "Disagreements"),
        "sheet_minutes": ("Biên bản thống nhất", "Consensus minutes"),
        "sheet_recognition": ("Đề nghị công nhận", "Proposed recognition"),
        "sheet_reconciliation": ("Đối chiếu tự chấm", "Self-score check"),
        "member": ("Thành viên", "Member"),
        "organisation": ("Cơ quan", "Organisation"),
        "comment": ("Nhận xét", "Comment"),
        "z_score": ("Điểm chuẩn hóa (tham khảo)", "Normalised (for reference)"),
        "n_scores": ("Số người chấm", "Scorers"),
        "mean": ("Trung bình", "Mean"),
        "median": ("Trung vị", "Median"),
        "std": ("Độ lệch chuẩn", "Std. dev."),
        "spread": ("Chênh lệch (max−min)", "Spread (max−min)"),
        "aggregate": ("Điểm tổng hợp", "Aggregate"),
        "member_totals": ("Tổng điểm theo từng thành viên", "Total by member"),
        "decision": ("Kết luận của Hội đồng", "Council decision"),
        "issue_item": ("Nội dung cần thảo luận", "Item to discuss"),
        "council_or_computed": ("Điểm tính / Hội đồng", "Computed / council"),
        "flag": ("Đánh dấu", "Flag"),
        "overclaim": ("Tự chấm cao hơn", "Over-claim"),
        "saving": ("Lưu tệp báo cáo", "Saving the report"),
        "scoring": ("Chấm điểm", "Scoring"),
        "building_tables": ("Lập các bảng", "Building the tables"),
        "detail_moved": (
            "Chi tiết có {rows} dòng, nhiều hơn {limit} dòng: đã ghi vào tệp {file} bên cạnh báo cáo này (mở được bằng Excel).",
            "The detail has {rows} rows, more than {limit}: it was written to {file} beside this report (opens in Excel).",
        ),
        "reconciliation_note": (
            "Đã đối chiếu {compared} điểm tự chấm: {agree} điểm khớp điểm tính / Hội đồng; chỉ liệt kê các điểm lệch dưới đây (đầy đủ ở trang {detail}).",
            "{compared} self-scores checked: {agree} agree with the computed / council points; only the differences are listed below (all of them are in the {detail} sheet).",
        ),
        "recognition_note": (
            "Danh sách sản phẩm đề nghị công nhận (đính kèm dự thảo quyết định)",
            "Products proposed for recognition (to attach to the draft decision)",
        ),
        "top_mark": ("Top {n}", "Top {n}"),
    }
)

LABELS.update(
    {
        "sheet_sensitivity": ("Độ nhạy", "Sensitivity"),
        "sheet_charts": ("Biểu đồ", "Charts"),
        # #15: a run scored in parts (categories, or the sets of a mixed folder)
        "sheet_parts": ("Các phần", "Parts"),
        "sheet_overall": ("Xếp hạng chung", "Overall ranking"),
        "part_code": ("Mã phần", "Part"),
        "part_name": ("Nhóm / bộ tiêu chí", "Category / criteria set"),
        "rank_in_part": ("Hạng trong nhóm", "Rank in part"),
        "run_part": ("Phần (tiêu chí riêng)", "Part (its own criteria)"),
        "several_sets": (
            "{n} bộ tiêu chí, mỗi bộ chấm và xếp hạng riêng",
            "{n} criteria sets, each scored and ranked on its own",
        ),
        "to_pass_mark": ("Cách điểm đạt", "Margin to pass mark"),
        "to_top_line": ("Cách ranh giới Top {n}", "Margin to Top-{n} line"),
        "stability": ("Độ ổn định kết quả", "Outcome stability"),
        "p_same_recognition": ("Giữ kết quả công nhận", "Same recognition"),
        "p_same_top": ("Giữ kết quả Top {n}", "Same Top {n}"),
        "fragile": ("Dễ thay đổi", "Fragile"),
        "sensitivity_note": (
            "Mô phỏng {runs} lần, mỗi tiêu chí dao động ±{spread}% điểm (hạt khởi tạo ngẫu nhiên {seed}); kết quả giữ dưới {below}% số lần là 'dễ thay đổi'.",
            "{runs} simulated runs, each criterion's points moved ±{spread}% (random seed {seed}); an outcome that holds in under {below}% of runs is 'fragile'.",
        ),
        "chart_distribution": (
            "Phân bố tổng điểm (điểm đạt {pass_mark})",
            "Distribution of totals (pass mark {pass_mark})",
        ),
        "chart_below": ("Dưới điểm đạt", "Below pass mark"),
        "chart_above": ("Từ điểm đạt trở lên", "At or above pass mark"),
        "chart_groups": ("Điểm theo nhóm tiêu chí — {n} hồ sơ đứng đầu", "Group subtotals — top {n} dossiers"),
        "chart_industry": ("Số hồ sơ theo nhóm ngành và kết quả", "Dossiers by industry group and outcome"),
        "bin": ("Khoảng điểm", "Score range"),
        "count": ("Số hồ sơ", "Dossiers"),
        "card_title": ("PHIẾU KẾT QUẢ CHẤM ĐIỂM", "SCORE CARD"),
        "council_score": ("Điểm Hội đồng", "Council score"),
    }
)

# issue 13 "Hostile and careless input" (helper: outputs, file names, terminal, YAML)
MESSAGES.update(
    {
        "output-is-folder": (
            "'{path}' là một thư mục; -o cần tên tệp (ví dụ {path}/bao-cao.xlsx).",
            "'{path}' is a folder; -o needs a file name (for example {path}/report.xlsx).",
        ),
        "output-not-folder": (
            "'{path}' là một tệp, không phải thư mục; hãy chọn một thư mục để ghi.",
            "'{path}' is a file, not a folder; choose a folder to write into.",
        ),
        "output-folder-read-only": (
            "Không có quyền ghi vào thư mục '{path}'; hãy chọn thư mục khác.",
            "The folder '{path}' cannot be written to; choose another folder.",
        ),
        "expect-unreadable": (
            "Không đọc được tệp kết quả chuẩn --expect '{path}': {detail}.",
            "The --expect golden file '{path}' could not be read: {detail}.",
        ),
        "scores-not-folder": (
            "'{path}' là một tệp; --scores cần thư mục chứa các phiếu đánh giá đã chấm của thành viên.",
            "'{path}' is a file; --scores needs the folder of the members' filled scoring forms.",
        ),
        "output-taken": (
            "Một lần chạy khác vừa ghi '{path}' trước; tệp đó được giữ nguyên (dùng --force để ghi đè).",
            "Another run wrote '{path}' first; that file is kept (use --force to overwrite it).",
        ),
    }
)

# issue 13 (helper): criteria and council YAML files
MESSAGES.update(
    {
        "criteria-unreadable": ("Không đọc được tệp: {detail}", "The file could not be read: {detail}"),
        "criteria-yaml-too-large": (
            "Tệp YAML lớn {size} MB, quá giới hạn {limit} MB (tệp tiêu chí hay tệp Hội đồng thật chỉ vài chục KB); "
            "không đọc tệp này — hãy kiểm tra đã chọn đúng tệp.",
            "The YAML file is {size} MB, over the {limit} MB limit (real criteria and council files are a few "
            "tens of KB); it is not read — check that this is the right file.",
        ),
        "criteria-yaml-encoding": (
            "Tệp không được lưu dạng UTF-8 (byte 0x{byte} ở cột {column}, có lẽ là Windows-1258 hoặc Latin-1); "
            "hãy mở tệp và lưu lại dạng UTF-8 (Notepad: Save As → Encoding: UTF-8).",
            "The file is not saved as UTF-8 (byte 0x{byte} at column {column}, probably Windows-1258 or "
            "Latin-1); open it and save it as UTF-8 (Notepad: Save As → Encoding: UTF-8).",
        ),
        "criteria-yaml-utf16": (
            "Tệp được lưu dạng UTF-16 ('Unicode' trong Notepad); hãy mở tệp và lưu lại dạng UTF-8 "
            "(Notepad: Save As → Encoding: UTF-8).",
            "The file is saved as UTF-16 (Notepad's 'Unicode'); open it and save it as UTF-8 "
            "(Notepad: Save As → Encoding: UTF-8).",
        ),
        "criteria-yaml-aliases": (
            "Các bí danh YAML (*tên) lặp lại {count} giá trị, quá giới hạn {limit}; hãy viết thẳng các giá trị "
            "thay vì lồng bí danh vào nhau.",
            "YAML aliases (*name) repeat {count} values, over the limit of {limit}; write the values out "
            "instead of nesting aliases.",
        ),
        "criteria-yaml-recursive": (
            "Bí danh YAML '*{anchor}' nằm bên trong chính neo '&{anchor}' của nó: giá trị không bao giờ kết thúc.",
            "The YAML alias '*{anchor}' is inside its own anchor '&{anchor}': the value would never end.",
        ),
        "criteria-yaml-number": (
            "Số nguyên có {digits} chữ số, quá lớn cho tệp này (tối đa {limit} chữ số).",
            "An integer of {digits} digits, too large for this file (at most {limit} digits).",
        ),
    }
)


# --- issue 16: the yearly cycle (per-dossier form stamps, council status, minutes, rounds, history) ---
MESSAGES.update(
    {
        "council-form-dossier-withdrawn": (
            "Phiếu của thành viên '{member}' ({file}) có điểm cho hồ sơ '{dossier}', hồ sơ này không còn trong bộ hồ sơ đang chấm (đã rút hoặc không đọc được); các điểm này không được tính, các điểm khác của phiếu vẫn được dùng.",
            "The form of member '{member}' ({file}) holds scores for dossier '{dossier}', which is no longer in the dossier set (withdrawn or unreadable); those scores are ignored, the form's other scores count.",
        ),
        "council-minutes-no-sheet": (
            "Không thấy trang 'Biên bản thống nhất' (có cột 'Tệp' và 'Kết luận của Hội đồng') trong tệp biên bản.",
            "No 'Consensus minutes' sheet (with 'File' and 'Council decision' columns) in the minutes file.",
        ),
        "path-not-file": (
            "{option}: '{path}' không phải một tệp (không có, hoặc là thư mục).",
            "{option}: '{path}' is not a file (missing, or a folder).",
        ),
        "path-not-folder": (
            "{option}: '{path}' không phải một thư mục (không có, hoặc là tệp).",
            "{option}: '{path}' is not a folder (missing, or a file).",
        ),
        "council-option-needs-council": (
            "Dùng {option} cần kèm --council và --scores.",
            "{option} needs --council and --scores.",
        ),
        "council-carry-over-round": (
            "Chỉ chuyển điểm vòng sơ bộ sang vòng chính thức: tệp Hội đồng đang ghi vòng '{round}' (đặt round: official).",
            "Preliminary scores carry over into the official round only: the council file says round '{round}' (set round: official).",
        ),
        "council-minutes-note": (
            "Kết luận cho hồ sơ {dossier} không có điểm số ('{text}'); ghi nhận, không đổi điểm.",
            "The decision for dossier {dossier} holds no score ('{text}'); noted, no score changed.",
        ),
        "council-minutes-unknown-dossier": (
            "Kết luận có điểm cho hồ sơ '{dossier}', không thuộc bộ hồ sơ được chấm; không được áp dụng.",
            "A decision with a score names dossier '{dossier}', which is not among the scored dossiers; not applied.",
        ),
        "council-minutes-unreadable": (
            "Không hiểu kết luận '{text}': ghi '<mã tiêu chí>: <điểm>' (tiêu chí do Hội đồng chấm: {criteria}); không được áp dụng.",
            "Decision '{text}' is not understood: write '<criterion id>: <points>' (council criteria: {criteria}); not applied.",
        ),
        "council-minutes-not-council": (
            "Tiêu chí '{criterion}' không do Hội đồng chấm; kết luận không được áp dụng.",
            "Criterion '{criterion}' is not scored by the council; the decision is not applied.",
        ),
        "council-minutes-conflict": (
            "Hồ sơ {dossier}, tiêu chí {criterion}: biên bản có hai kết luận khác nhau ({first} ở ô {cell} và {second}); không áp dụng kết luận nào.",
            "Dossier {dossier}, criterion {criterion}: the minutes hold two different decisions ({first} in cell {cell}, and {second}); neither is applied.",
        ),
        "council-minutes-applied": (
            "Hồ sơ {dossier}, tiêu chí {criterion}: áp dụng kết luận của Hội đồng {decision} điểm (điểm tổng hợp từ phiếu: {aggregate}).",
            "Dossier {dossier}, criterion {criterion}: the council's decision of {decision} points applied (aggregate of the forms: {aggregate}).",
        ),
        "council-form-dossier-changed": (
            "Phiếu của thành viên '{member}' ({file}): hồ sơ '{dossier}' đã thay đổi sau khi in phiếu; điểm cho hồ sơ này không được tính (cần chấm lại trên phiếu mới), các điểm khác của phiếu vẫn được dùng.",
            "The form of member '{member}' ({file}): dossier '{dossier}' has changed since the form was made; its scores are ignored (it must be scored again on a new form), the form's other scores count.",
        ),
        "history-not-found": (
            "Chưa có cơ sở dữ liệu lịch sử '{path}' (được tạo khi chạy evaluate … --record).",
            "There is no history database '{path}' (evaluate … --record creates it).",
        ),
        "history-unreadable": (
            "Không dùng được cơ sở dữ liệu lịch sử '{path}': {detail}",
            "The history database '{path}' cannot be used: {detail}",
        ),
        "history-newer-schema": (
            "Cơ sở dữ liệu lịch sử '{path}' có lược đồ phiên bản {found}, mới hơn phiên bản {known} mà công cụ này biết; hãy cập nhật spcncl-score.",
            "The history database '{path}' has schema version {found}, newer than the version {known} this tool knows; update spcncl-score.",
        ),
        "history-cohort-recorded": (
            "Đợt {criteria} năm {year} ({round}) đã được ghi vào lịch sử ngày {date}; không ghi lại. Dùng --force để thay bản ghi cũ.",
            "The cohort {criteria} {year} ({round}) was already recorded on {date}; not recorded again. Use --force to replace the earlier record.",
        ),
        "history-year-unknown": (
            "Không biết năm của đợt: có hồ sơ không ghi năm báo cáo, hoặc không có hồ sơ nào được chấm; dùng --year.",
            "The cohort's year is not known: not every dossier states a reporting year, or none was scored; use --year.",
        ),
        "history-nothing-to-record": (
            "Không có hồ sơ nào được chấm: không ghi gì vào lịch sử.",
            "No dossier was scored: nothing is recorded in the history.",
        ),
        "history-year-mixed": (
            "Hồ sơ ghi nhiều năm báo cáo khác nhau ({years}); dùng --year để chọn năm của đợt.",
            "The dossiers state different reporting years ({years}); use --year to choose the cohort's year.",
        ),
    }
)
LABELS.update(
    {
        "run_council_file": ("Tệp Hội đồng", "Council file"),
        "run_council_form": ("Phiếu đánh giá", "Scoring form"),
        "form_state_used": ("đã dùng", "used"),
        "form_state_refused": ("không dùng", "refused"),
        "form_state_duplicate": ("trùng, chưa dùng", "duplicate, not used"),
        "sheet_round_changes": ("Thay đổi giữa hai vòng", "Changes between rounds"),
        "score_preliminary": ("Điểm vòng sơ bộ", "Preliminary score"),
        "score_official": ("Điểm vòng chính thức", "Official score"),
        "score_change": ("Thay đổi", "Change"),
        "round_changes_note": (
            "{unchanged} điểm giữ nguyên từ vòng sơ bộ; chỉ liệt kê các điểm thay đổi (hoặc chỉ có ở một vòng) dưới đây.",
            "{unchanged} scores unchanged since the preliminary round; only the scores that changed (or were given in one round only) are listed below.",
        ),
        "round_preliminary": ("vòng sơ bộ", "preliminary round"),
        "round_official": ("vòng chính thức", "official round"),
        "role_chair": ("Chủ tịch", "chair"),
        "role_member": ("Ủy viên", "member"),
        "role_secretary": ("Thư ký", "secretary"),
        "status_head": (
            "Hội đồng {council} — {round} · {voting} thành viên bỏ phiếu · túc số {needed}{chair}",
            "Council {council} — {round} · {voting} voting members · quorum {needed}{chair}",
        ),
        "status_with_chair": (" (có Chủ tịch)", " (with the chair)"),
        "status_forms": ("Phiếu đã nộp:", "Forms returned:"),
        "status_no_form": ("chưa nộp phiếu", "no form yet"),
        "status_received": ("đã nhận, chấm {scored}/{assigned} ô", "received, {scored}/{assigned} cells scored"),
        "status_blanks": (
            "Ô điểm còn trống (thành viên · tiêu chí: trống/được giao — hồ sơ):",
            "Score cells still blank (member · criterion: blank/assigned — dossiers):",
        ),
        "status_none": ("không còn ô nào", "none"),
        "status_quorum": ("Túc số theo hồ sơ (đã chấm/cần):", "Quorum per dossier (scored/needed):"),
        "status_quorum_ok": ("đủ", "met"),
        "status_quorum_missing": ("chưa đủ", "not yet"),
        "status_chair_missing": ("Chủ tịch chưa chấm", "the chair has not scored it"),
        "status_issues": ("Vấn đề của các phiếu:", "Problems in the forms:"),
        "status_complete": (
            "Đã đủ: mọi phiếu đã nộp, không còn ô trống, mọi hồ sơ đủ túc số.",
            "Complete: every form returned, no blank cell, a quorum for every dossier.",
        ),
        "status_incomplete": (
            "Chưa đủ: {forms} thành viên chưa nộp phiếu, {blanks} ô trống, {quorum} hồ sơ chưa đủ túc số, {errors} lỗi trong phiếu.",
            "Not complete: {forms} member(s) without a form, {blanks} blank cell(s), {quorum} dossier(s) without quorum, {errors} error(s) in the forms.",
        ),
        "reapplicant": ("Đã từng nộp", "Re-applicant"),
        "reapplicant_mark": ("Tái đăng ký ({year})", "Re-applied ({year})"),
        "last_recognised": ("Công nhận gần nhất", "Last recognised"),
        "last_total": ("Tổng điểm lần trước", "Last total"),
        "history_recorded": (
            "Đã ghi vào lịch sử: đợt {criteria} năm {year}, {n} hồ sơ, {recognised} được công nhận — {path}",
            "Recorded in the history: cohort {criteria} {year}, {n} dossiers, {recognised} recognised — {path}",
        ),
        "history_cohorts_head": (
            "Năm · bộ tiêu chí · vòng · ngày ghi · hồ sơ · xếp hạng · công nhận",
            "Year · criteria · round · recorded on · dossiers · ranked · recognised",
        ),
        "history_empty": ("Lịch sử chưa có đợt nào.", "The history holds no cohort yet."),
        "history_product_head": (
            "MST {tax_code}: năm · vòng · sản phẩm · tổng điểm · hạng · kết quả · hiệu lực đến",
            "Tax code {tax_code}: year · round · product · total · rank · outcome · valid through",
        ),
        "history_product_none": ("Không có hồ sơ nào của MST {tax_code}.", "No dossier of tax code {tax_code}."),
        "history_expiring_head": (
            "Công nhận hết hiệu lực năm {year} (công nhận năm {since}, hiệu lực {years} năm): doanh nghiệp · MST · sản phẩm · tổng điểm · công nhận lại",
            "Recognitions ending in {year} (recognised in {since}, valid {years} years): enterprise · tax code · product · total · recognised again",
        ),
        "history_expiring_none": ("Không có công nhận nào hết hiệu lực năm {year}.", "No recognition ends in {year}."),
        "history_renewed": ("công nhận lại năm {year}", "recognised again in {year}"),
        "history_no_round": ("không có Hội đồng", "no council"),
        "outcome_code_top": ("Top", "Top"),
        "outcome_code_tie": ("bằng điểm ranh giới Top", "tied at the Top line"),
        "outcome_code_recognised": ("được công nhận", "recognised"),
        "outcome_code_not_recognised": ("không được công nhận", "not recognised"),
        "outcome_code_not_ranked": ("không xếp hạng", "not ranked"),
    }
)

# issue #15: consolidated tables in and out, the criteria set read from the forms
MESSAGES.update(
    {
        "table-read": (
            "Đọc dạng bảng tổng hợp: {rows} hồ sơ (mỗi dòng một hồ sơ), {columns} cột khớp với trường nhập, dòng tiêu đề {header_row}.",
            "Read as a consolidated table: {rows} dossiers (one per row), {columns} columns matched to fields, header in row {header_row}.",
        ),
        "table-encoding-cp1258": (
            "Tệp CSV không phải UTF-8: đã đọc theo bảng mã Windows-1258 (cp1258). Hãy kiểm tra dấu tiếng Việt; nên lưu lại bằng 'CSV UTF-8'.",
            "The CSV file is not UTF-8: it was read as Windows-1258 (cp1258). Check the Vietnamese diacritics; better save it again as 'CSV UTF-8'.",
        ),
        "table-encoding-unknown": (
            "Không đọc được tệp CSV: không phải UTF-8 cũng không phải Windows-1258. Hãy lưu lại bằng 'CSV UTF-8'.",
            "The CSV file could not be read: it is neither UTF-8 nor Windows-1258. Save it again as 'CSV UTF-8'.",
        ),
        "table-too-large": (
            "Bảng có {cells} ô, nhiều hơn giới hạn {limit} ô: không đọc. Hãy tách bảng hoặc xóa các dòng, cột thừa.",
            "The table has {cells} cells, more than the limit of {limit}: not read. Split it or delete the unused rows and columns.",
        ),
        "table-file-too-large": (
            "Tệp CSV lớn {size_mb} MB, vượt giới hạn {limit_mb} MB: không đọc. Hãy tách bảng.",
            "The CSV file is {size_mb} MB, above the {limit_mb} MB limit: not read. Split the table.",
        ),
        "table-no-columns": (
            "Không có dòng tiêu đề nào (trong 10 dòng đầu) khớp ít nhất hai trường của bộ tiêu chí '{criteria}'. Tiêu đề cột là mã trường (f.tax_code), nhãn của trường, hoặc khai báo trong tệp ánh xạ (--mapping).",
            "No header row (in the first 10 rows) matches at least two fields of criteria '{criteria}'. A column header is a field id (f.tax_code), a field's label, or declared in a mapping file (--mapping).",
        ),
        "table-missing-columns": (
            "Đọc như bảng tổng hợp (tệp không phải biểu mẫu do spcncl-score tạo), nhưng bảng thiếu cột cho {count} trường bắt buộc: {columns}. Thêm các cột này, hoặc khai báo cột tương ứng trong tệp ánh xạ (--mapping).",
            "Read as a consolidated table (the file is not a form made by spcncl-score), but the table lacks columns for {count} required fields: {columns}. Add them, or name the matching columns in a mapping file (--mapping).",
        ),
        "table-duplicate-column": (
            "Cột này lại là '{key}', đã có ở ô {first}: mỗi trường chỉ một cột.",
            "This column is '{key}' again, already in cell {first}: one column per field.",
        ),
        "table-column-unmatched": (
            "Cột '{header}' không khớp trường nào của bộ tiêu chí '{criteria}': bỏ qua.",
            "Column '{header}' matches no field of criteria '{criteria}': ignored.",
        ),
        "table-unit-converted": (
            "Các số của cột '{header}' được nhân với {factor} để đổi sang đơn vị của trường (theo tệp ánh xạ).",
            "The numbers of column '{header}' are multiplied by {factor} into the field's unit (as the mapping file says).",
        ),
        "table-empty": (
            "Bảng có dòng tiêu đề nhưng không có dòng hồ sơ nào.",
            "The table has a header row but no dossier rows.",
        ),
        "table-bad-year": (
            "Năm báo cáo '{value}' không phải là một năm: bỏ qua.",
            "Reporting year '{value}' is not a year: ignored.",
        ),
        "mapping-invalid": (
            "Tệp ánh xạ cột không đúng: {detail}. Dạng đúng: 'columns:' rồi mỗi dòng 'Tiêu đề cột: mã trường' hoặc 'Tiêu đề cột: {{field: f.revenue.y0, factor: 0.000000001}}'.",
            "The column mapping file is not valid: {detail}. Expected 'columns:' then one 'Column header: field id' or 'Column header: {{field: f.revenue.y0, factor: 0.000000001}}' per line.",
        ),
        "mapping-unknown-field": (
            "Cột '{column}' được ánh xạ tới '{target}', không phải trường nào của bộ tiêu chí '{criteria}' (dùng f.<mã>, f.<mã>.y<k>, s.<tiêu chí> hoặc meta.reporting_year).",
            "Column '{column}' is mapped to '{target}', which is no field of criteria '{criteria}' (use f.<id>, f.<id>.y<k>, s.<criterion> or meta.reporting_year).",
        ),
        "criteria-mixed": (
            "Các biểu mẫu thuộc nhiều bộ tiêu chí: {sets}. Một bảng chỉ chứa hồ sơ của một bộ: chọn bằng {example}, hoặc tách các thư mục.",
            "The forms belong to several criteria sets: {sets}. A table holds one set's dossiers: choose it with {example}, or split the folders.",
        ),
        # #15 categories (criteria and runs in parts)
        "category-field": (
            "Trường phân nhóm '{field}' phải là một trường lựa chọn (choice), bắt buộc, một giá trị (không theo năm) của bộ tiêu chí; mỗi lựa chọn là một nhóm.",
            "The categories' field '{field}' must be a required, single-value 'choice' field of the set; each of its choices is a category.",
        ),
        "category-duplicate": (
            "Nhóm '{id}' được khai báo hai lần.",
            "Category '{id}' is declared twice.",
        ),
        "category-not-a-choice": (
            "Nhóm '{id}' không phải là một lựa chọn của trường '{field}' (các lựa chọn: {choices}).",
            "Category '{id}' is not a choice of field '{field}' (choices: {choices}).",
        ),
        "category-missing": (
            "Lựa chọn '{choice}' của trường '{field}' chưa có nhóm: thêm '- id: {choice}' vào categories.items (không có thay đổi nào thì nhóm dùng bộ tiêu chí chung).",
            "Choice '{choice}' of field '{field}' has no category: add '- id: {choice}' to categories.items (with no changes, the category uses the shared criteria).",
        ),
        "category-short-duplicate": (
            "Mã ngắn '{short}' đã dùng cho nhóm '{other}': tên trang tính của hai nhóm sẽ trùng nhau.",
            "Short code '{short}' is already used by category '{other}': the two categories' sheet names would be the same.",
        ),
        "category-unknown-group": (
            "Nhóm '{category}' thay đổi nhóm tiêu chí '{id}', nhưng bộ tiêu chí chung không có nhóm này.",
            "Category '{category}' changes criterion group '{id}', which the shared criteria do not have.",
        ),
        "category-unknown-criterion": (
            "Nhóm '{category}' bỏ tiêu chí '{id}', nhưng nhóm tiêu chí '{group}' không có tiêu chí này.",
            "Category '{category}' leaves out criterion '{id}', which group '{group}' does not have.",
        ),
        "category-changes-its-field": (
            "Một nhóm không được khai báo lại trường phân nhóm '{field}': trường này quyết định nhóm của hồ sơ.",
            "A category may not redeclare the categories' field '{field}': it decides a dossier's category.",
        ),
        "category-overall-ref": (
            "Xếp hạng chung phân định đồng điểm theo '{ref}', nhưng các nhóm sau không có mục này: {categories}.",
            "The overall ranking breaks ties by '{ref}', which these categories do not have: {categories}.",
        ),
        "council-one-part": (
            "Tệp Hội đồng áp dụng cho một bộ tiêu chí, nhưng các hồ sơ được chấm thành nhiều phần: {parts}. Hội đồng chấm từng phần riêng: mỗi lần một thư mục chỉ gồm hồ sơ của một bộ tiêu chí hoặc một nhóm.",
            "A council file applies to one set of criteria, but the dossiers are scored in parts: {parts}. The council scores each part on its own: each time a folder holding only one set's or one category's dossiers.",
        ),
        "criteria-from-forms": (
            "Chấm theo bộ tiêu chí '{criteria}' ghi trong các biểu mẫu (không có -c).",
            "Scoring with criteria '{criteria}', as the forms say (no -c given).",
        ),
        "criteria-knockout-never-zero": (
            "Tiêu chí '{criterion}' là tiêu chí loại trừ (0 điểm thì không đạt), nhưng không câu trả lời nào được 0 điểm (thấp nhất {lowest}): chỉ loại được hồ sơ bỏ trống.",
            "Criterion '{criterion}' is a knock-out (0 points fails the product), but no answer scores 0 on it (the lowest is {lowest}): it knocks out only a missing answer.",
        ),
        "export-format": (
            "Bảng xuất phải là tệp .xlsx hoặc .csv, không phải '{suffix}'.",
            "The exported table must be an .xlsx or .csv file, not '{suffix}'.",
        ),
        "explain-needs-row": (
            "Bảng có {count} hồ sơ: chọn một hồ sơ bằng --row N (các dòng: {rows}).",
            "The table holds {count} dossiers: choose one with --row N (rows: {rows}).",
        ),
        "explain-no-row": (
            "Bảng không có hồ sơ ở dòng {row}. Các dòng có hồ sơ: {rows}.",
            "The table has no dossier in row {row}. Rows with dossiers: {rows}.",
        ),
    }
)

LABELS.update(
    {
        "kind_table": ("Bảng tổng hợp không đọc được", "Consolidated table not read"),
        "kind_table_row": ("Dòng của bảng tổng hợp", "Row of a consolidated table"),
        # the second header row of an exported table (intake/table.py), also read back as headers
        "table_criteria_id": ("Bộ tiêu chí", "Criteria set"),
        "table_criteria_version": ("Phiên bản tiêu chí", "Criteria version"),
        "table_reporting_year": ("Năm báo cáo", "Reporting year"),
        "table_source": ("Tệp nguồn", "Source file"),
        "table_self_score": ("Tự chấm: {title}", "Self-score: {title}"),
        "export_counts_header": ("trường\ttrống\tđã diễn giải", "field\tmissing\treinterpreted"),
        "export_done": (
            "Đã ghi {n} hồ sơ vào {path}; {skipped} hồ sơ có lỗi không được ghi.",
            "{n} dossiers written to {path}; {skipped} with errors not written.",
        ),
    }
)

# issue 14 (Vietnamese first, newcomer mistakes): usage and criteria-file messages
MESSAGES.update(
    {
        "scores-needs-council": (
            "--scores cần kèm --council (tệp Hội đồng): không có tệp Hội đồng thì phiếu chấm trong '{path}' không được đọc.",
            "--scores needs --council (the council file): without it the forms in '{path}' would not be read.",
        ),
        "option-repeated": (
            "Tùy chọn {option} được cho {count} lần ({values}); chỉ cho một lần.",
            "Option {option} is given {count} times ({values}); give it once.",
        ),
        "output-not-xlsx": (
            "'{path}' không phải tệp {suffixes}: lệnh này ghi bảng tính Excel; hãy đặt tên tệp kết thúc bằng {suffixes}.",
            "'{path}' is not a {suffixes} file: this command writes an Excel workbook; give a name ending in {suffixes}.",
        ),
        "expect-not-found": (
            "Không tìm thấy tệp kết quả chuẩn '{path}' (--expect); tạo tệp đó bằng --write-expect.",
            "The golden file '{path}' (--expect) does not exist; make one with --write-expect.",
        ),
        "criteria-shadowed": (
            "Đang dùng bộ tiêu chí có sẵn '{name}' ({shipped}); tệp '{local}' ở thư mục hiện tại cùng tên nhưng khác nội dung và KHÔNG được dùng (cho -c {local} để áp dụng tệp đó).",
            "Using the shipped criteria set '{name}' ({shipped}); '{local}' in the current folder has the same name but different content and is NOT used (give -c {local} to apply it).",
        ),
    }
)
LABELS.update(
    {
        "criteria_applied": (
            "Bộ tiêu chí áp dụng: {path} ({id} {version}, mã kiểm tra {fingerprint})",
            "Criteria applied: {path} ({id} {version}, fingerprint {fingerprint})",
        ),
    }
)

# issue 14, print layout: the documents a council secretary prints
LABELS.update(
    {
        "sheet_analysis": ("Phân tích xếp hạng", "Ranking analysis"),
        "form_pass_rule": (
            "Sản phẩm đạt khi tổng điểm từ {pass_mark}/{max} trở lên và mỗi nhóm, mỗi tiêu chí đạt mức tối thiểu "
            "(nếu có).",
            "A product passes with a total of at least {pass_mark}/{max} and every group and criterion at or above "
            "its minimum (where one is set).",
        ),
        "form_pass_gates": (
            " Sản phẩm phải đáp ứng các điều kiện tham gia xét chọn.",
            " The product must also meet the eligibility conditions.",
        ),
    }
)

# issue 13, items 6 and 7 (duplicates, absurd values)
MESSAGES.update(
    {
        "dossier-duplicate-copy": (
            "Bản sao của '{original}' (cùng doanh nghiệp MST {tax_code}, sản phẩm '{product}', cùng nội dung): không xếp hạng lần thứ hai.",
            "Copy of '{original}' (the same enterprise, tax code {tax_code}, product '{product}', the same content): not ranked a second time.",
        ),
        "value-not-finite": (
            "'{label}': '{value}' không phải một số hữu hạn (vô cực, NaN hoặc quá lớn); hãy nhập số liệu thật.",
            "'{label}': '{value}' is not a finite number (infinite, NaN or too large); enter the actual figure.",
        ),
        "value-above-max-dong": (
            "'{label}': giá trị {value} lớn hơn mức tối đa {max} — có thể đã nhập theo đồng thay vì {unit}? ({scaled} {unit})",
            "'{label}': value {value} is above the maximum {max} — typed in đồng instead of {unit}? ({scaled} {unit})",
        ),
        "self-score-error-cell": (
            "Điểm tự chấm của tiêu chí '{criterion}': ô chứa lỗi {value}.",
            "Self-score of criterion '{criterion}': the cell holds the error {value}.",
        ),
        "reporting-year-implausible": (
            "Năm báo cáo {value} không hợp lý: cần từ {first} đến {last}.",
            "Reporting year {value} is implausible: expected {first} to {last}.",
        ),
        "dossier-name-twice": (
            "Tên '{name}' được định nghĩa nhiều lần trong tệp ({targets}); mẫu đặt tên này ở ô {expected}. Giá trị không được đọc: hãy xóa định nghĩa thừa (Công thức › Quản lý tên) hoặc nhập vào mẫu gốc.",
            "The name '{name}' is defined more than once in the file ({targets}); the template puts it at {expected}. The value is not read: delete the extra definition (Formulas › Name Manager) or fill in the original form.",
        ),
        "dossier-name-hidden": (
            "Tên '{name}' trỏ tới ô {cell} trên trang tính ẩn '{sheet}'; mẫu đặt tên này ở ô {expected}. Giá trị không được đọc: ô nhập liệu phải nằm trên trang hiển thị của mẫu.",
            "The name '{name}' points at {cell} on the hidden sheet '{sheet}'; the template puts it at {expected}. The value is not read: an input cell must be on a visible sheet of the form.",
        ),
        "dossier-name-moved": (
            "Tên '{name}' trỏ tới ô {cell} thay vì ô {expected} của mẫu. Giá trị không được đọc: hãy nhập vào mẫu gốc (không di chuyển, chèn hay xóa hàng, cột có ô nhập liệu).",
            "The name '{name}' points at {cell} instead of the template's {expected}. The value is not read: fill in the original form (do not move, insert or delete rows or columns holding input cells).",
        ),
        "dossier-duplicate-conflict": (
            "Cùng doanh nghiệp (MST {tax_code}) và sản phẩm '{product}' cũng được nộp với nội dung khác trong {others}: không hồ sơ nào được xếp hạng. Tổ công tác cần quyết định hồ sơ nào có giá trị (bỏ tệp kia ra và chạy lại).",
            "The same enterprise (tax code {tax_code}) and product '{product}' were also submitted with different content in {others}: neither is ranked. The working group must decide which one counts (remove the other file and run again).",
        ),
    }
)
LABELS.update({"kind_duplicate_copy": ("Bản sao hồ sơ", "Duplicate copy")})

# #15 categories (intake)
MESSAGES.update(
    {
        "dossier-category-unknown": (
            "Ô '{label}' {value}: cần ghi một loại của bộ tiêu chí, vì mỗi loại được chấm theo tiêu chí riêng. Các loại: {categories}.",
            "The cell '{label}' {value}: it must name a category of the criteria set, since each category is scored with its own criteria. The categories: {categories}.",
        ),
        "template-no-categories": (
            "Bộ tiêu chí '{criteria}' không chia loại nên chỉ có một biểu mẫu: bỏ tùy chọn --category.",
            "The criteria set '{criteria}' has no categories, so it has one form: leave out --category.",
        ),
        "template-category-unknown": (
            "Bộ tiêu chí '{criteria}' không có loại '{category}'. Các loại: {categories}.",
            "The criteria set '{criteria}' has no category '{category}'. The categories: {categories}.",
        ),
        "dossier-category-changed": (
            "Biểu mẫu này được lập cho loại '{made_for}', nhưng ô '{label}' nay ghi '{found}'. Mỗi loại có tiêu chí riêng nên biểu mẫu không được đọc: nếu sản phẩm thuộc loại '{found}', hãy điền biểu mẫu của loại đó (spcncl-score template -c {criteria} --category {category}); nếu không, chọn lại '{made_for}' trong ô này.",
            "This form was made for the category '{made_for}', but its cell '{label}' now says '{found}'. Each category has its own criteria, so the form is not read: if the product is of '{found}', fill in that category's form (spcncl-score template -c {criteria} --category {category}); if not, choose '{made_for}' again in this cell.",
        ),
    }
)
LABELS.update(
    {
        "form_category_fixed": (
            "Biểu mẫu này lập riêng cho '{category}': ô này cố định bộ tiêu chí của biểu mẫu, không đổi được. Sản phẩm thuộc loại khác cần điền biểu mẫu của loại đó.",
            "This form is made for '{category}': this cell fixes the form's criteria and cannot be changed. A product of another category needs that category's form.",
        ),
        "check_category": (
            "  loại {id} ('{name}'): ok (mã kiểm tra {fingerprint}, {n} tiêu chí, tối đa {max} điểm)",
            "  category {id} ('{name}'): ok (fingerprint {fingerprint}, {n} criteria, {max} points at most)",
        ),
        "show_categories": ("Loại (theo trường {field})", "Categories (by the field {field})"),
        "show_category_unchanged": ("bộ tiêu chí chung, không thay đổi", "the shared criteria, unchanged"),
        "show_categories_overall": ("Xếp hạng chung mọi loại — Top N", "Ranked over all categories — Top N"),
        "dv_category_msg": (
            "Biểu mẫu này chỉ dành cho '{category}'; sản phẩm loại khác cần biểu mẫu của loại đó.",
            "This form is only for '{category}'; a product of another category needs that category's form.",
        ),
    }
)
