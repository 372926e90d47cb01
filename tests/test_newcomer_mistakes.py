"""Mistakes a newcomer makes get a clear message (Vietnamese by default, English with --lang en), exit 2."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from spcncl_score.cli.commands import app

ROOT = Path(__file__).resolve().parent.parent
HANOI = str(ROOT / "samples" / "hanoi")
HANOI_YAML = ROOT / "criteria" / "hanoi-spcncl.yaml"


def _run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(app, list(args))
    return res.exit_code, res.output


def _last_line(text: str) -> str:
    return text.rstrip().splitlines()[-1]


def test_scores_without_council_is_refused():
    code, out = _run("evaluate", HANOI, "--scores", "phieu", "--no-report")
    assert code == 2
    assert _last_line(out) == (
        "Lỗi phieu: --scores cần kèm --council (tệp Hội đồng): không có tệp Hội đồng thì phiếu chấm trong "
        "'phieu' không được đọc. [scores-needs-council]"
    )
    code, out = _run("evaluate", HANOI, "--scores", "forms", "--no-report", "--lang", "en")
    assert code == 2
    assert _last_line(out) == (
        "Error forms: --scores needs --council (the council file): without it the forms in 'forms' "
        "would not be read. [scores-needs-council]"
    )


def test_an_option_given_twice_is_refused_naming_both_values():
    code, out = _run("evaluate", HANOI, "-c", "ocop", "-c", "cnnt", "--no-report")
    assert code == 2
    assert _last_line(out) == "Lỗi: Tùy chọn --criteria / -c được cho 2 lần ('ocop', 'cnnt'); chỉ cho một lần."
    code, out = _run("template", "-o", "a.xlsx", "--output=b.xlsx", "--lang", "en")
    assert code == 2
    assert _last_line(out) == "Error: Option --output / -o is given 2 times ('a.xlsx', 'b.xlsx'); give it once."
    code, out = _run("explain", "x.xlsx", "-cocop", "--criteria", "cnnt")
    assert code == 2 and "('ocop', 'cnnt')" in out


def test_an_output_that_is_not_a_workbook_is_refused(tmp_path):
    code, out = _run("evaluate", HANOI, "-o", str(tmp_path / "report.pdf"))
    assert code == 2
    assert _last_line(out) == (
        f"Lỗi: Giá trị không hợp lệ cho '--output' / '-o': '{tmp_path / 'report.pdf'}' không phải tệp .xlsx: "
        "lệnh này ghi bảng tính Excel; hãy đặt tên tệp kết thúc bằng .xlsx."
    )
    assert not (tmp_path / "report.pdf").exists()
    code, out = _run("template", "-o", "form.ods", "--lang", "en")
    assert code == 2
    assert _last_line(out) == (
        "Error: Invalid value for '--output' / '-o': 'form.ods' is not a .xlsx file: this command writes an "
        "Excel workbook; give a name ending in .xlsx."
    )
    code, out = _run("annotate", "a.xlsx", "-o", "a.csv")
    assert code == 2 and "'a.csv' không phải tệp .xlsx / .xlsm" in out


def test_a_missing_expect_file_is_a_usage_error_not_an_internal_error(tmp_path):
    missing = tmp_path / "golden.json"
    code, out = _run("evaluate", HANOI, "--no-report", "--expect", str(missing))
    assert code == 2
    assert "Lỗi nội bộ" not in out
    assert _last_line(out) == (
        f"Lỗi: Giá trị không hợp lệ cho '--expect': Không tìm thấy tệp kết quả chuẩn '{missing}' (--expect); "
        "tạo tệp đó bằng --write-expect."
    )


def test_every_command_says_which_criteria_file_it_applied(tmp_path):
    applied = f"Bộ tiêu chí áp dụng: {HANOI_YAML} (hanoi-spcncl 2025.1-provisional, mã kiểm tra "
    runner = CliRunner()
    for args in (
        ["evaluate", HANOI, "--no-report", "--mc-runs", "0"],
        ["evaluate", HANOI, "--no-report", "--mc-runs", "0", "--format", "json"],
        ["validate", HANOI],
        ["template", "-o", str(tmp_path / "form.xlsx")],
        ["explain", str(Path(HANOI) / "hn01-co-khi-chinh-xac-dong-anh.xlsx")],
        ["criteria", "show", "hanoi-spcncl"],
        ["criteria", "diff", "hanoi-spcncl", str(HANOI_YAML)],
    ):
        res = runner.invoke(app, args)
        assert applied in " ".join(res.stderr.split()), (args, res.stderr)
    quiet = runner.invoke(app, ["evaluate", HANOI, "--no-report", "--mc-runs", "0", "-q"])
    assert "Bộ tiêu chí áp dụng" not in quiet.stderr
    en = runner.invoke(app, ["validate", HANOI, "--lang", "en"])
    assert f"Criteria applied: {HANOI_YAML} (hanoi-spcncl 2025.1-provisional, fingerprint " in en.stderr


def test_a_local_file_named_like_a_shipped_set_is_named_when_it_is_not_used(tmp_path, monkeypatch):
    from spcncl_score.criteria.loader import load_criteria

    (tmp_path / "criteria").mkdir()
    local = tmp_path / "criteria" / "hanoi-spcncl.yaml"
    local.write_text(HANOI_YAML.read_text(encoding="utf-8").replace("pass_mark: 60", "pass_mark: 65"), "utf-8")
    monkeypatch.chdir(tmp_path)
    cs, issues = load_criteria("hanoi-spcncl")
    assert cs is not None and cs.outcome.pass_mark == 60  # the shipped set is applied, as asked
    warned = [i for i in issues if i.code == "criteria-shadowed"]
    assert [i.message("vi") for i in warned] == [
        f"Đang dùng bộ tiêu chí có sẵn 'hanoi-spcncl' ({HANOI_YAML}); tệp 'criteria/hanoi-spcncl.yaml' ở thư mục "
        "hiện tại cùng tên nhưng khác nội dung và KHÔNG được dùng (cho -c criteria/hanoi-spcncl.yaml để áp dụng "
        "tệp đó)."
    ]
    res = CliRunner().invoke(app, ["template", "-o", "form.xlsx", "--lang", "en"])
    assert res.exit_code == 0
    flat = " ".join(res.stderr.split())
    assert "Using the shipped criteria set 'hanoi-spcncl'" in flat and "is NOT used" in flat
    # the same content, or the file given by its path: nothing to say
    local.write_bytes(HANOI_YAML.read_bytes())
    assert [i for i in load_criteria("hanoi-spcncl")[1] if i.code == "criteria-shadowed"] == []
    local.write_text("id: x\n", "utf-8")
    assert [i for i in load_criteria(None)[1] if i.code == "criteria-shadowed"] != []
