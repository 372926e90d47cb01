"""Vietnamese first: the language of every command, of its help and of click's usage errors."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

from spcncl_score.cli.commands import app
from spcncl_score.cli.language import LocalCommand, click_text, env_lang, ui_lang
from spcncl_score.i18n import LABELS, Named, named, render_message

ROOT = Path(__file__).resolve().parent.parent


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The installed entry point in a fresh process: help and usage errors pick the language at startup."""
    base = {k: v for k, v in os.environ.items() if k not in ("SPCNCL_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    base["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "spcncl_score", *args],
        capture_output=True,
        text=True,
        env={**base, **env},
        cwd=ROOT,
        check=False,
    )


def test_the_language_comes_from_lang_then_spcncl_lang_then_the_locale_then_vietnamese():
    assert env_lang({}) == "vi"
    assert env_lang({"LANG": "en_US.UTF-8"}) == "en"
    assert env_lang({"LANG": "fr_FR.UTF-8"}) == "vi"
    assert env_lang({"LANG": "C.UTF-8"}) == "vi"
    assert env_lang({"LC_ALL": "vi_VN.UTF-8", "LANG": "en_US.UTF-8"}) == "vi"  # LC_ALL decides first
    assert env_lang({"SPCNCL_LANG": "en", "LANG": "vi_VN.UTF-8"}) == "en"
    assert env_lang({"SPCNCL_LANG": "vi", "LC_ALL": "en_GB.UTF-8"}) == "vi"
    assert env_lang({"SPCNCL_LANG": "fr", "LANG": "en_US.UTF-8"}) == "en"  # an unknown value is ignored
    assert ui_lang(["evaluate", "x", "--lang", "en"], {"SPCNCL_LANG": "vi"}) == "en"
    assert ui_lang(["evaluate", "--lang=vi"], {"LANG": "en_US.UTF-8"}) == "vi"


def _leaves(cmd: object, path: str = "") -> list[tuple[str, object]]:
    subs = getattr(cmd, "commands", None)
    if not subs:
        return [(path, cmd)]
    return [leaf for name, sub in subs.items() for leaf in _leaves(sub, f"{path} {name}".strip())]


def test_every_command_has_lang():
    leaves = _leaves(typer.main.get_command(app))
    assert len(leaves) == 14
    missing = [name for name, cmd in leaves if "lang" not in [p.name for p in cmd.params]]  # type: ignore[attr-defined]
    assert missing == []
    # LocalCommand: help in the chosen language, an option given twice refused
    assert [name for name, cmd in leaves if not isinstance(cmd, LocalCommand)] == []


def test_a_command_without_lang_follows_the_environment(tmp_path):
    nope = str(tmp_path / "nope.yaml")
    runner = CliRunner()
    vi = runner.invoke(app, ["criteria", "check", nope], env={"SPCNCL_LANG": "vi"})
    assert vi.output.rstrip().endswith("nope.yaml: LỖI")
    en = runner.invoke(app, ["criteria", "check", nope], env={"SPCNCL_LANG": "en"})
    assert en.output.rstrip().endswith("nope.yaml: FAILED")
    locale = runner.invoke(app, ["criteria", "check", nope], env={"SPCNCL_LANG": "", "LANG": "en_US.UTF-8"})
    assert locale.output.rstrip().endswith("nope.yaml: FAILED")
    given = runner.invoke(app, ["criteria", "check", nope, "--lang", "vi"], env={"SPCNCL_LANG": "en"})
    assert given.output.rstrip().endswith("nope.yaml: LỖI")


def test_help_is_vietnamese_by_default_and_english_on_request():
    vi = _cli("evaluate", "--help", LANG="C.UTF-8")
    assert vi.returncode == 0
    assert vi.stdout.startswith("Cách dùng: python -m spcncl_score evaluate [TÙY CHỌN]")
    flat = " ".join(vi.stdout.split())  # help is wrapped to the terminal's width
    assert "Chấm điểm mọi hồ sơ trong PATHS và ghi báo cáo xếp hạng." in flat
    assert "Hạt khởi tạo ngẫu nhiên của phép mô phỏng độ nhạy" in flat
    assert "Hiện hướng dẫn này rồi thoát." in vi.stdout and "Tùy chọn:" in vi.stdout
    en = _cli("evaluate", "--help", "--lang", "en", SPCNCL_LANG="vi")
    assert en.stdout.startswith("Usage: python -m spcncl_score evaluate [OPTIONS]")
    assert "Random seed of the sensitivity check" in " ".join(en.stdout.split())
    assert _cli("--help", LANG="en_US.UTF-8").stdout.startswith("Usage: python -m spcncl_score [OPTIONS] COMMAND")


def test_usage_errors_are_vietnamese_with_exit_2():
    missing = _cli("template", LANG="C.UTF-8")
    assert missing.returncode == 2
    assert missing.stderr == (
        "Cách dùng: python -m spcncl_score template [TÙY CHỌN]\n"
        "Xem 'python -m spcncl_score template --help' để được hướng dẫn.\n\n"
        "Lỗi: Thiếu tùy chọn '--output' / '-o' (bắt buộc).\n"
    )
    bad = _cli("evaluate", "x", "--lang", "fr", LANG="C.UTF-8")
    assert bad.returncode == 2
    assert bad.stderr.endswith(
        "Lỗi: Giá trị không hợp lệ cho '--lang': 'fr' không phải một trong các giá trị 'vi', 'en'.\n"
    )
    en = _cli("template", SPCNCL_LANG="en")
    assert en.returncode == 2 and en.stderr.endswith("Error: Missing option '--output' / '-o'.\n")


def test_click_words_in_vietnamese():
    assert click_text("Error: No such option: --bogus (Possible options: --jobs)", "vi") == (
        "Lỗi: Không có tùy chọn --bogus (có thể là: --jobs)"
    )
    assert click_text("Error: Got unexpected extra argument (b)", "vi") == "Lỗi: Thừa đối số: b"
    assert click_text("Error: Invalid value for '--jobs': 0 is not in the range x>=1.", "vi") == (
        "Lỗi: Giá trị không hợp lệ cho '--jobs': 0 nằm ngoài khoảng cho phép x>=1."
    )
    assert click_text("Error: Missing option '--output'.", "en") == "Error: Missing option '--output'."


def test_messages_name_criteria_and_members_by_their_names():
    crit = named("a1_growth", type("T", (), {"vi": "Tăng trưởng sản xuất", "en": "Production growth"})())
    assert crit == "a1_growth"  # an id everywhere but in a message
    params = {"criterion": crit, "self": 15.0, "points": 12.0, "diff": 3.0}
    assert render_message("score-overclaim", params, "vi") == (
        "Tiêu chí 'Tăng trưởng sản xuất': tự chấm 15 điểm, tính được 12 điểm (chênh 3)."
    )
    assert render_message("score-overclaim", params, "en").startswith("Criterion 'Production growth': self-score 15")
    member = named("m01", "Nguyễn Văn An")
    assert render_message("council-form-missing", {"member": member}, "vi") == (
        "Chưa có phiếu của thành viên 'Nguyễn Văn An'."
    )
    again = pickle.loads(pickle.dumps(member))  # issues travel between reading processes
    assert isinstance(again, Named) and again == "m01" and again.vi == "Nguyễn Văn An"


def test_the_samples_messages_use_titles(tmp_path):
    result = CliRunner().invoke(
        app, ["evaluate", str(ROOT / "samples" / "hanoi"), "--no-report", "--mc-runs", "0", "--lang", "vi"]
    )
    assert "Tiêu chí 'Trình độ công nghệ sản xuất' do Hội đồng chấm" in result.output
    assert "'d2_technology'" not in result.output


def test_the_monte_carlo_seed_is_named_properly():
    vi, en = LABELS["sensitivity_note"]
    assert "hạt khởi tạo ngẫu nhiên {seed}" in vi and "hạt giống" not in vi
    assert "random seed {seed}" in en
