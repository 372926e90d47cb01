"""Hostile and careless outputs (issue 13, item 1 and 10): every file the tool writes goes through
one guard. Each case pins the exact message and exit code, and every input is hashed before and
after: nothing the run read is ever changed."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from spcncl_score.cli.commands import app
from tests import hostile_corpus

# these cases pin the English messages (one asks for Vietnamese with --lang vi)
pytestmark = pytest.mark.usefixtures("english")


ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "hanoi"
COUNCIL = ROOT / "examples" / "council-2025.yaml"
THREE = ["hn01-co-khi-chinh-xac-dong-anh.xlsx", "hn02-thiet-bi-dien-soc-son.xlsx", "hn03-sua-thuc-pham-ba-vi.xlsx"]
FAST = ["--mc-runs", "0", "-q", "--lang", "en"]


def invoke(*args: Any) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args])


def hashes(*roots: Path) -> dict[str, str]:
    """SHA-256 of every file under ``roots`` (links followed): the inputs' fingerprint."""
    out: dict[str, str] = {}
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for p in files:
            out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".part") or p.name.startswith("."))


@pytest.fixture
def batch(tmp_path: Path) -> dict[str, Path]:
    """A dossier folder of three samples, a file outside it that a link inside points to, and an
    empty folder for outputs."""
    folder = tmp_path / "ho-so"
    folder.mkdir()
    for name in THREE:
        shutil.copy(SAMPLES / name, folder / name)
    elsewhere = tmp_path / "noi-khac"
    elsewhere.mkdir()
    real = elsewhere / "hn04-that.xlsx"
    shutil.copy(SAMPLES / "hn04-dien-tu-thang-long-viet.xlsx", real)
    (folder / "hn04-lien-ket.xlsx").symlink_to(real)
    out = tmp_path / "ket-qua"
    out.mkdir()
    return {"folder": folder, "real": real, "out": out, "tmp": tmp_path}


def line(code: str, path: Path | str, message: str, word: str = "Error") -> str:
    return f"{word} {path}: {message} [{code}]"


def is_input(p: Path | str) -> str:
    return line("output-is-input", p, f"Refusing to write over input file '{p}' (even with --force).")


def in_folder(p: Path | str, folder: Path) -> str:
    message = f"Refusing to write inside the input folder '{folder}' (use --force if you mean it)."
    return line("output-in-input-dir", p, message)


TAKEN = "Another run wrote '{target}' first; that file is kept (use --force to overwrite it)."


def exists(p: Path | str) -> str:
    return line("output-exists", p, f"'{p}' already exists; use --force to overwrite it.")


# (name, command line built from the batch, exact line expected on the terminal); every case exits 2
CASES: list[tuple[str, Callable[[dict[str, Path]], list[Any]], Callable[[dict[str, Path]], str]]] = [
    (
        "write-expect over a dossier",
        lambda b: ["evaluate", b["folder"], "--no-report", "--write-expect", b["folder"] / THREE[1], *FAST],
        lambda b: is_input(b["folder"] / THREE[1]),
    ),
    (
        "write-expect over a dossier, --force",
        lambda b: ["evaluate", b["folder"], "--no-report", "--force", "--write-expect", b["folder"] / THREE[1], *FAST],
        lambda b: is_input(b["folder"] / THREE[1]),
    ),
    (
        "report over the file a link in the folder points to, --force",
        lambda b: ["evaluate", b["folder"], "-o", b["real"], "--force", *FAST],
        lambda b: is_input(b["real"]),
    ),
    (
        "report through a link that points to a dossier, --force",
        lambda b: ["evaluate", b["folder"], "-o", _alias(b), "--force", *FAST],
        lambda b: is_input(b["out"] / "alias.xlsx"),
    ),
    (
        "report over another name (hard link) of a dossier, --force",
        lambda b: ["evaluate", b["folder"], "-o", _hard_link(b), "--force", *FAST],
        lambda b: is_input(b["out"] / "cung-tep.xlsx"),
    ),
    (
        "write-expect over the --expect file",
        lambda b: ["evaluate", b["folder"], "--no-report", "--expect", _golden(b), "--write-expect", _golden(b), *FAST],
        lambda b: is_input(b["out"] / "golden.json"),
    ),
    (
        "golden over the criteria file, --force",
        lambda b: (
            [
                "evaluate",
                b["folder"],
                "-c",
                _criteria(b),
                "--no-report",
                "--write-expect",
                _criteria(b),
                "--force",
                *FAST,
            ]
        ),
        lambda b: is_input(b["out"] / "tieu-chi.yaml"),
    ),
    (
        "report in the dossier folder",
        lambda b: ["evaluate", b["folder"], "-o", b["folder"] / "bao-cao.xlsx", *FAST],
        lambda b: in_folder(b["folder"] / "bao-cao.xlsx", b["folder"]),
    ),
    (
        "score cards in the dossier folder",
        lambda b: ["evaluate", b["folder"], "--no-report", "--cards", b["folder"] / "the-diem", *FAST],
        lambda b: in_folder(b["folder"] / "the-diem", b["folder"]),
    ),
    (
        "score cards into a file",
        lambda b: ["evaluate", b["folder"], "--no-report", "--cards", b["real"], *FAST],
        lambda b: line(
            "output-not-folder", b["real"], f"'{b['real']}' is a file, not a folder; choose a folder to write into."
        ),
    ),
    (
        "score cards over existing cards",
        lambda b: ["evaluate", b["folder"], "--no-report", "--cards", _cards(b), *FAST],
        lambda b: exists(b["out"] / "cards" / "001-hn01-co-khi-chinh-xac-dong-.xlsx"),
    ),
    (
        "council forms in the dossier folder",
        lambda b: ["council", "forms", b["folder"], "--council", COUNCIL, "-o", b["folder"] / "phieu"],
        lambda b: in_folder(b["folder"] / "phieu", b["folder"]),
    ),
    (
        "council forms over existing forms",
        lambda b: ["council", "forms", b["folder"], "--council", COUNCIL, "-o", _forms(b)],
        lambda b: exists(b["out"] / "phieu" / "phieu-hd-spcncl-2025-m01.xlsx"),
    ),
    (
        "report named by an existing folder",
        lambda b: (
            (b["out"] / "bao-cao.xlsx").mkdir(exist_ok=True)
            or ["evaluate", b["folder"], "-o", b["out"] / "bao-cao.xlsx", *FAST]
        ),
        lambda b: line(
            "output-is-folder",
            b["out"] / "bao-cao.xlsx",
            f"'{b['out'] / 'bao-cao.xlsx'}' is a folder; -o needs a file name (for example "
            f"{b['out'] / 'bao-cao.xlsx'}/report.xlsx).",
        ),
    ),
    (
        "report over an existing file",
        lambda b: ["evaluate", b["folder"], "-o", _existing(b), *FAST],
        lambda b: exists(b["out"] / "co-san.xlsx"),
    ),
    (
        "criteria schema over an existing file",
        lambda b: ["criteria", "schema", "-o", _existing(b)],
        lambda b: exists(b["out"] / "co-san.xlsx"),
    ),
    (
        "template over an existing file",
        lambda b: ["template", "-o", _existing(b), "--lang", "en"],
        lambda b: exists(b["out"] / "co-san.xlsx"),
    ),
    (
        "template over the criteria file it reads, --force (refused first as not a workbook name)",
        lambda b: ["template", "-c", _criteria(b), "-o", _criteria(b), "--force", "--lang", "en"],
        lambda b: (
            f"Error: Invalid value for '--output' / '-o': '{_criteria(b)}' is not a .xlsx file: this command "
            "writes an Excel workbook; give a name ending in .xlsx."
        ),
    ),
    (
        "annotate over the dossier, --force",
        lambda b: ["annotate", b["folder"] / THREE[0], "-o", b["folder"] / THREE[0], "--force", "--lang", "en"],
        lambda b: is_input(b["folder"] / THREE[0]),
    ),
]


def _alias(b: dict[str, Path]) -> Path:
    alias = b["out"] / "alias.xlsx"
    if not alias.is_symlink():
        alias.symlink_to(b["folder"] / THREE[0])
    return alias


def _hard_link(b: dict[str, Path]) -> Path:
    link = b["out"] / "cung-tep.xlsx"
    if not link.exists():
        os.link(b["folder"] / THREE[1], link)
    return link


def _golden(b: dict[str, Path]) -> Path:
    golden = b["out"] / "golden.json"
    if not golden.exists():
        golden.write_text("{}", encoding="utf-8")
    return golden


def _criteria(b: dict[str, Path]) -> Path:
    target = b["out"] / "tieu-chi.yaml"
    if not target.exists():
        shutil.copy(ROOT / "criteria" / "hanoi-spcncl.yaml", target)
    return target


def _existing(b: dict[str, Path]) -> Path:
    target = b["out"] / "co-san.xlsx"
    if not target.exists():
        target.write_bytes(b"not ours")
    return target


def _cards(b: dict[str, Path]) -> Path:
    cards = b["out"] / "cards"
    if not cards.exists():
        run = invoke("evaluate", b["folder"], "--no-report", "--cards", cards, *FAST)
        assert run.exit_code == 0, run.output
    return cards


def _forms(b: dict[str, Path]) -> Path:
    forms = b["out"] / "phieu"
    if not forms.exists():
        run = invoke("council", "forms", b["folder"], "--council", COUNCIL, "-o", forms)
        assert run.exit_code == 0, run.output
    return forms


@pytest.mark.parametrize("name,args,expected", CASES, ids=[c[0] for c in CASES])
def test_each_refusal_has_its_message_and_changes_nothing(batch, name, args, expected):
    argv = args(batch)  # builds what the case needs (an existing file, earlier cards) first
    before = hashes(batch["tmp"])
    run = invoke(*argv)
    assert run.exit_code == 2, run.output
    assert expected(batch) in run.output.splitlines(), run.output
    assert "Traceback" not in run.output and "Internal error" not in run.output
    assert hashes(batch["tmp"]) == before, "a refused run changed a file"
    assert not leftovers(batch["tmp"])


def test_force_writes_cards_and_forms_beside_the_dossiers_but_never_over_one(batch):
    before = hashes(batch["folder"], batch["real"])
    run = invoke("council", "forms", batch["folder"], "--council", COUNCIL, "-o", batch["folder"] / "phieu", "--force")
    assert run.exit_code == 0, run.output
    assert len(list((batch["folder"] / "phieu").glob("*.xlsx"))) == 5
    shutil.rmtree(batch["folder"] / "phieu")  # or the next run reads the forms as dossiers
    run = invoke("evaluate", batch["folder"], "--no-report", "--force", "--cards", batch["folder"] / "the-diem", *FAST)
    assert run.exit_code == 0, run.output
    assert len(list((batch["folder"] / "the-diem").glob("*.xlsx"))) == 4
    after = hashes(batch["folder"], batch["real"])
    assert {k: v for k, v in after.items() if k in before} == before


def test_a_dangling_link_is_an_existing_name_and_force_replaces_the_link_only(batch):
    link = batch["out"] / "lien-ket-hong.json"
    link.symlink_to(batch["out"] / "khong-co" / "x.json")
    run = invoke("criteria", "schema", "-o", link)
    assert run.exit_code == 2
    assert run.output.strip() == exists(link)
    run = invoke("criteria", "schema", "-o", link, "--force")
    assert run.exit_code == 0, run.output
    assert not link.is_symlink() and link.read_text(encoding="utf-8").startswith("{")
    assert not (batch["out"] / "khong-co").exists()


def test_force_replaces_an_existing_output(batch):
    target = batch["out"] / "schema.json"
    target.write_text("old", encoding="utf-8")
    run = invoke("criteria", "schema", "-o", target, "--force")
    assert run.exit_code == 0, run.output
    assert target.read_text(encoding="utf-8").startswith("{")


def _as_nobody() -> list[str]:
    """Root writes anywhere: the read-only case runs as 'nobody' then (setpriv, util-linux)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a read-only folder cannot be shown")
    nobody = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run([*nobody, sys.executable, "-c", "import typer, pandas"], capture_output=True, timeout=60)
    if probe.returncode != 0:
        pytest.skip("'nobody' cannot read this Python environment (a private virtual environment)")
    return nobody


def test_a_read_only_folder_is_refused_before_any_work():
    base = Path(tempfile.mkdtemp(prefix="spcncl-ro-"))
    try:
        base.chmod(0o755)  # 'nobody' must reach the folder to be refused by it
        ro = base / "chi-doc"
        ro.mkdir()
        ro.chmod(0o555)
        for argv, target in (
            (["evaluate", SAMPLES / THREE[0], "-o", ro / "r.xlsx", *FAST], ro / "r.xlsx"),
            (["template", "-o", ro / "mau.xlsx", "--lang", "en"], ro / "mau.xlsx"),
            (["criteria", "schema", "-o", ro / "s.json"], ro / "s.json"),
        ):
            run = subprocess.run(
                [*_as_nobody(), sys.executable, "-m", "spcncl_score", *map(str, argv)],
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                timeout=120,
            )
            assert run.returncode == 2, run.stderr
            assert run.stderr.strip() == line(
                "output-folder-read-only", target, f"The folder '{ro}' cannot be written to; choose another folder."
            )
            assert list(ro.iterdir()) == []
    finally:
        (base / "chi-doc").chmod(0o755)
        shutil.rmtree(base)


def test_a_folder_that_turns_read_only_while_running_is_a_message(tmp_path, monkeypatch):
    real_open = os.open

    def refused(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file).endswith(".part"):  # the check passed; then the folder was made read-only
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", refused)
    run = invoke("criteria", "schema", "-o", tmp_path / "s.json")
    assert run.exit_code == 2
    assert run.output.strip() == line(
        "output-folder-read-only",
        tmp_path / "s.json",
        f"The folder '{tmp_path}' cannot be written to; choose another folder.",
    )


def test_a_name_taken_while_writing_is_kept_and_the_run_says_so(tmp_path):
    from spcncl_score.issues import SpcnclError
    from spcncl_score.output import OutputGuard

    target = tmp_path / "bao-cao.xlsx"

    def write(p: Path) -> None:
        p.write_bytes(b"ours")
        target.write_bytes(b"the other run's")  # the other run got there first

    with pytest.raises(SpcnclError) as caught:
        OutputGuard([]).write(target, write)
    assert [i.render("en") for i in caught.value.issues] == [
        f"{target}: Another run wrote '{target}' first; that file is kept (use --force to overwrite it). [output-taken]"
    ]
    assert target.read_bytes() == b"the other run's"
    assert not leftovers(tmp_path)


def test_two_runs_racing_on_the_same_new_report_cannot_both_succeed(batch):
    target = batch["out"] / "bao-cao.xlsx"
    cmd = [sys.executable, "-m", "spcncl_score", "evaluate", str(batch["folder"]), "-o", str(target), *FAST]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)
    ]
    outs = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in procs]
    codes = sorted(rc for rc, _ in outs)
    assert codes == [0, 2], outs
    loser = next(err for rc, err in outs if rc == 2)
    # which refusal depends on how far the winner got when the loser checked: both are clear
    assert loser.strip() in {
        exists(target),
        line("output-taken", target, TAKEN.format(target=target)),
    }, loser
    import zipfile

    with zipfile.ZipFile(target) as zf:  # the winner's report, whole
        assert zf.testzip() is None
    assert not leftovers(batch["out"])


SIGTERM_DRIVER = """
import os, signal, sys
import spcncl_score.report.xlsx as xlsx
real = xlsx.write_xlsx
def write_xlsx(result, path, **kw):
    out = real(result, path, **kw)
    assert os.path.getsize(path) > 0
    os.kill(os.getpid(), signal.SIGTERM)  # the report is written, not yet in place
    return out
xlsx.write_xlsx = write_xlsx
from spcncl_score.cli.commands import app
sys.argv = ["spcncl-score", *sys.argv[1:]]
app()
"""


def test_sigterm_while_writing_leaves_no_part_file_and_no_temp_folder(batch):
    tmpdir = batch["tmp"] / "tmp"
    tmpdir.mkdir()
    target = batch["out"] / "bao-cao.xlsx"
    run = subprocess.run(
        [sys.executable, "-c", SIGTERM_DRIVER, "evaluate", str(batch["folder"]), "-o", str(target), *FAST],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmpdir)},
        timeout=300,
    )
    assert run.returncode == 143, run.stderr
    assert run.stderr.strip() == "Terminated (SIGTERM)."
    assert not target.exists()
    assert not leftovers(batch["out"])
    assert list(tmpdir.iterdir()) == []


def test_sigterm_from_outside_while_the_report_is_saved(batch):
    """The same with a real kill from another process, timed on the .part file appearing."""
    import signal
    import time

    folder = batch["folder"]
    for i in range(6):  # enough dossiers that saving takes a moment
        for name in THREE:
            shutil.copy(SAMPLES / name, folder / f"{i}-{name}")
    target = batch["out"] / "bao-cao.xlsx"
    proc = subprocess.Popen(
        [sys.executable, "-m", "spcncl_score", "evaluate", str(folder), "-o", str(target), *FAST],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if any(n.endswith(".part") for n in os.listdir(batch["out"])):
            proc.send_signal(signal.SIGTERM)
            break
        time.sleep(0.001)
    rc = proc.wait(timeout=120)
    if rc != 143:
        pytest.skip(f"the report was saved before the signal could be sent (exit {rc})")
    if target.exists():  # the signal came after the report was put in place: it is whole
        import zipfile

        with zipfile.ZipFile(target) as zf:
            assert zf.testzip() is None
    assert not leftovers(batch["out"]), proc.stderr.read() if proc.stderr else ""


# --------------------------------------------------------------------------------------------
# file names that are not UTF-8 (item 2) and text that talks to the terminal (item 9)
# --------------------------------------------------------------------------------------------
def cli(*args: Any, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """The command as a user runs it, bytes out: what reaches the terminal, exactly."""
    return subprocess.run(
        [sys.executable, "-m", "spcncl_score", *map(str, args)],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"},
        cwd=cwd,
        timeout=300,
    )


RAW_CONTROLS = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")  # C0 but \t \n, DEL, C1 in UTF-8


def test_names_that_are_not_utf8_are_listed_escaped_and_the_batch_goes_on(tmp_path):
    from openpyxl import load_workbook

    folder = hostile_corpus.odd_names_folder(tmp_path)
    before = hashes(folder)
    report = tmp_path / "bao-cao.xlsx"
    run = cli("evaluate", folder, "-o", report, *FAST)
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
    run.stdout.decode("utf-8")
    run.stderr.decode("utf-8")
    assert b"Internal error" not in run.stderr and b"Traceback" not in run.stderr
    wb = load_workbook(report, read_only=True)
    ranked = [r[2] for r in wb["Ranking"].iter_rows(min_row=1, values_only=True) if r[0] in (1, 2, 3, 4)]
    assert len(ranked) == 4, "the dossier under an odd name is ranked like the others"
    text = "\n".join(
        str(v)
        for ws in (wb["Not ranked"], wb["Run information"])
        for r in ws.iter_rows(values_only=True)
        for v in r
        if v
    )
    for odd in hostile_corpus.ODD_NAMES:
        assert odd.shown in text, odd.shown

    run = cli("evaluate", folder, "--no-report", "--format", "json", "--mc-runs", "0")
    assert run.returncode == 0
    data = json.loads(run.stdout.decode("utf-8"))  # valid UTF-8, valid JSON
    assert [r["file"] for r in data["results"]] == [p.name for p in sorted(SAMPLES.glob("hn0[1-3]-*.xlsx"))] + [
        "c\\xf4ng-ty-\\xe9.xlsx"
    ]
    assert [f["file"] for f in data["not_ranked"]] == ["\\x1b[31m-do.txt", "ghi-ch\\xfa.txt", "hai\\x0adong.txt"]
    assert not RAW_CONTROLS.search(run.stdout)

    run = cli("validate", folder, "--format", "json")
    assert run.returncode == 0
    assert {f["file"] for f in json.loads(run.stdout.decode("utf-8"))["files"]} >= {
        o.shown for o in hostile_corpus.ODD_NAMES
    }
    run = cli("validate", folder, "--lang", "en")
    assert run.returncode == 0
    assert "Info \\x1b[31m-do.txt: Ignored: not a spreadsheet (.txt). [file-ignored]" in run.stderr.decode("utf-8")
    assert not RAW_CONTROLS.search(run.stdout + run.stderr)
    assert hashes(folder) == before


def test_a_folder_named_with_undecodable_bytes_given_on_the_command_line(tmp_path):
    odd = Path(os.fsdecode(os.fsencode(tmp_path) + b"/h\xf4-s\xf5"))
    odd.mkdir()
    shutil.copy(SAMPLES / THREE[0], odd / THREE[0])
    run = cli("evaluate", odd, SAMPLES / THREE[1], "--no-report", "--format", "json", "--mc-runs", "0")
    assert run.returncode == 0, run.stderr
    files = [r["file"] for r in json.loads(run.stdout.decode("utf-8"))["results"]]
    assert f"{tmp_path}/h\\xf4-s\\xf5/{THREE[0]}" in files
    missing = Path(os.fsdecode(os.fsencode(tmp_path) + b"/kh\xf4ng-c\xf3"))
    run = cli("evaluate", missing, "--no-report", "--lang", "en")
    assert run.returncode == 2
    assert b"Traceback" not in run.stderr and b"Internal error" not in run.stderr
    assert "kh\\xf4ng-c\\xf3' does not exist. [input-not-found]" in run.stderr.decode("utf-8")


def test_escape_codes_in_an_enterprise_name_never_reach_the_terminal_raw(tmp_path):
    dossier = hostile_corpus.escape_dossier(tmp_path / "in")
    before = hashes(dossier)
    for args in (
        ["evaluate", dossier, "--no-report", *FAST[:2], "--lang", "en"],
        ["evaluate", dossier, "--no-report", "--format", "json", *FAST[:2]],
        ["explain", dossier, "--lang", "en"],
        ["explain", dossier, "--format", "json"],
        ["validate", dossier],
        ["annotate", dossier, "-o", tmp_path / "kiem-tra.xlsx"],
    ):
        run = cli(*args)
        assert run.returncode in (0, 1), (args, run.stderr)
        assert not RAW_CONTROLS.search(run.stdout + run.stderr), args
    run = cli("evaluate", dossier, "--no-report", *FAST[:2], "--lang", "en")
    shown = run.stdout.decode("utf-8").replace("│", "").split()
    assert "\\x1b[31mĐỏ\\x1b]0;pwne" in "".join(shown)  # escaped, visible (the table wraps it)
    run = cli("evaluate", dossier, "--no-report", "--format", "json", *FAST[:2])
    data = json.loads(run.stdout)
    assert data["results"][0]["enterprise"] == hostile_corpus.ESCAPE_NAME  # machines get the text itself
    run = cli("explain", dossier, "--lang", "en")
    assert hostile_corpus.ESCAPE_NAME_SHOWN in run.stdout.decode("utf-8")
    assert hashes(dossier) == before


def test_printable_escapes_what_a_terminal_would_obey():
    from spcncl_score.printable import json_text, printable, printable_name

    assert printable("a\x1b[31mb\tc\nd\x07\x7f\x9b\u202e") == "a\\x1b[31mb\tc\nd\\x07\\x7f\\x9b\\u202e"
    assert printable_name("c\udcf4ng\tx\n.xlsx") == "c\\xf4ng\\x09x\\x0a.xlsx"
    assert printable("Công ty Cổ phần — “Đông Anh”") == "Công ty Cổ phần — “Đông Anh”"
    assert json.loads(json_text(json.dumps(["\x9b\udcf4"], ensure_ascii=False))) == ["\x9b\udcf4"]
    assert json_text(json.dumps(["\udcf4"], ensure_ascii=False)).encode("utf-8")


# --------------------------------------------------------------------------------------------
# ordinary mistakes (item 8): each its own message, never "Internal error"
# --------------------------------------------------------------------------------------------
def _file(b: dict[str, Path], name: str, data: bytes) -> Path:
    p = b["out"] / name
    p.write_bytes(data)
    return p


MISTAKES: list[tuple[str, Callable[[dict[str, Path]], list[Any]], Callable[[dict[str, Path]], str]]] = [
    (
        "--expect file missing",
        lambda b: ["evaluate", b["folder"], "--no-report", "--expect", b["out"] / "khong-co.json", *FAST],
        lambda b: (
            f"Error: Invalid value for '--expect': The golden file '{b['out'] / 'khong-co.json'}' (--expect) "
            "does not exist; make one with --write-expect."
        ),
    ),
    (
        "--expect file not UTF-8",
        lambda b: ["evaluate", b["folder"], "--no-report", "--expect", _file(b, "g.json", b'{"x": "\xe9"}'), *FAST],
        lambda b: line(
            "expect-unreadable",
            b["out"] / "g.json",
            f"The --expect golden file '{b['out'] / 'g.json'}' could not be read: not UTF-8.",
        ),
    ),
    (
        "--scores folder missing",
        lambda b: ["evaluate", b["folder"], "--no-report", "--council", COUNCIL, "--scores", b["out"] / "phieu", *FAST],
        lambda b: line("input-not-found", b["out"] / "phieu", f"'{b['out'] / 'phieu'}' does not exist."),
    ),
    (
        "--scores names a file",
        lambda b: ["evaluate", b["folder"], "--no-report", "--council", COUNCIL, "--scores", b["real"], *FAST],
        lambda b: line(
            "scores-not-folder",
            b["real"],
            f"'{b['real']}' is a file; --scores needs the folder of the members' filled scoring forms.",
        ),
    ),
    (
        "-o below a file",
        lambda b: ["evaluate", b["folder"], "-o", b["real"] / "bao-cao.xlsx", *FAST],
        lambda b: line(
            "output-not-folder",
            b["real"] / "bao-cao.xlsx",
            f"'{b['real']}' is a file, not a folder; choose a folder to write into.",
        ),
    ),
]


@pytest.mark.parametrize("name,args,expected", MISTAKES, ids=[c[0] for c in MISTAKES])
def test_each_ordinary_mistake_has_its_own_message(batch, name, args, expected):
    argv = args(batch)
    before = hashes(batch["tmp"])
    run = invoke(*argv)
    assert run.exit_code == 2, run.output
    assert expected(batch) in run.output.splitlines(), run.output
    assert hashes(batch["tmp"]) == before
