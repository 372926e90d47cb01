"""Message catalogue: every user-facing sentence in Vietnamese and English.

Messages are stored as templates keyed by issue code so that the core stays
language-free; the edges (terminal, report) render them in the chosen language.
"""

from __future__ import annotations

from typing import Any, NamedTuple

LANGS = ("vi", "en")


class L(NamedTuple):
    """A parameter that itself has two languages (e.g. how a value was interpreted)."""

    vi: str
    en: str


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
        "Các bậc không phủ hết thang điểm từ 0 đến {max}.",
        "The tiers do not cover the whole scale from 0 to {max}.",
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
        "Biểu mẫu được tạo cho bộ tiêu chí '{found_id}' phiên bản {found_version}, nhưng đang chấm theo '{expected_id}' phiên bản {expected_version}. Hãy dùng biểu mẫu đúng (spcncl-score template).",
        "The form was made for criteria '{found_id}' version {found_version}, but scoring uses '{expected_id}' version {expected_version}. Use the matching form (spcncl-score template).",
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
        "Không tìm thấy hồ sơ (.xlsx) nào trong '{path}'.",
        "No dossier (.xlsx) found in '{path}'.",
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
        "Không ghi báo cáo đè lên tệp đầu vào '{path}'.",
        "Refusing to write the report over input file '{path}'.",
    ),
    "output-in-input-dir": (
        "Không ghi báo cáo vào thư mục hồ sơ '{path}' (dùng --force nếu thật sự muốn).",
        "Refusing to write the report inside the dossier folder '{path}' (use --force if you mean it).",
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
        return template.format(**{k: _fmt(v, lang) for k, v in params.items()})
    except (KeyError, IndexError):
        return f"{template} {params}"


def _fmt(value: Any, lang: str) -> Any:
    if isinstance(value, L):
        return value.en if lang == "en" else value.vi
    if isinstance(value, float):
        return format_number(value, lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_fmt(v, lang)) for v in value)
    return value


def format_number(value: float, lang: str = "vi", digits: int = 2) -> str:
    """Format a number the way the reader expects (Vietnamese: 1.234,5)."""
    if value != value:  # NaN
        return "—"
    text = f"{int(value):,}" if float(value).is_integer() else f"{value:,.{digits}f}".rstrip("0").rstrip(".")
    return text.translate(_VI_SEPARATORS) if lang == "vi" else text


_VI_SEPARATORS = str.maketrans(",.", ".,")


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
    return template.format(**{k: _fmt(v, lang) for k, v in params.items()})


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
        "dossier-duplicate": (
            "Cùng doanh nghiệp (MST {tax_code}) và sản phẩm '{product}' được nộp nhiều lần: {files}.",
            "The same enterprise (tax code {tax_code}) and product '{product}' were submitted more than once: {files}.",
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
        "footer": ("{id} {version} · Trang &P/&N", "{id} {version} · Page &P of &N"),
        "summary_title": ("Kết quả xét chọn", "Evaluation result"),
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
            "Phiếu được tạo cho bộ hồ sơ hoặc bộ tiêu chí khác (hồ sơ đã thêm, bớt hay sửa sau khi in phiếu; mã {found}, hiện tại {expected}); không được dùng.",
            "The form was made for another dossier set or criteria (dossiers added, removed or changed since the forms were made; fingerprint {found}, now {expected}); it is refused.",
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
        "council-unknown-dossier": (
            "Phiếu có hồ sơ '{dossier}' không thuộc bộ hồ sơ đang chấm.",
            "The form holds dossier '{dossier}', which is not in the dossier set.",
        ),
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
        "to_pass_mark": ("Cách điểm đạt", "Margin to pass mark"),
        "to_top_line": ("Cách ranh giới Top {n}", "Margin to Top-{n} line"),
        "stability": ("Độ ổn định kết quả", "Outcome stability"),
        "p_same_recognition": ("Giữ kết quả công nhận", "Same recognition"),
        "p_same_top": ("Giữ kết quả Top {n}", "Same Top {n}"),
        "fragile": ("Dễ thay đổi", "Fragile"),
        "sensitivity_note": (
            "Mô phỏng {runs} lần, mỗi tiêu chí dao động ±{spread}% điểm (hạt giống {seed}); kết quả giữ dưới {below}% số lần là 'dễ thay đổi'.",
            "{runs} simulated runs, each criterion's points moved ±{spread}% (seed {seed}); an outcome that holds in under {below}% of runs is 'fragile'.",
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
