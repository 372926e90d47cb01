"""`spcncl-score --version` and `criteria check` run without typer (cli.main's fast path): the same
command lines through the typer app print the same bytes on stdout and stderr and exit with the same
code; everything else is handed to typer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from spcncl_score import cli

ROOT = Path(__file__).resolve().parent.parent
HANOI_TEXT = (ROOT / "criteria" / "hanoi-spcncl.yaml").read_text(encoding="utf-8")

FAST = "from spcncl_score.cli import main; main()"
TYPER = "from spcncl_score.commands import app; app()"
# the fast path never imports typer (nor rich when there is nothing to print)
FAST_ONLY = """
import os, sys
def exit_here(code):
    raise SystemExit(code)
os._exit = exit_here
from spcncl_score.cli import main
try:
    main()
finally:
    print(sorted(m for m in ("typer", "rich", "pandas", "numpy") if m in sys.modules))
"""


def run(
    code: str, *args: str, env: dict[str, str] | None = None, stdout: int | None = None
) -> tuple[int, bytes, bytes]:
    env = {**(os.environ if env is None else env), "PYTHONPATH": str(ROOT)}
    env.pop("COLUMNS", None)
    p = subprocess.run(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE if stdout is None else stdout,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    return p.returncode, p.stdout or b"", p.stderr


def same(*args: str, env: dict[str, str] | None = None) -> tuple[int, bytes, bytes]:
    fast, slow = run(FAST, *args, env=env), run(TYPER, *args, env=env)
    assert fast == slow
    return fast


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    d = tmp_path_factory.mktemp("criteria")
    start = HANOI_TEXT.index("  overclaim_tolerance: 2\n") + len("  overclaim_tolerance: 2\n")
    block = "  source:\n    status: provisional\n    confirm: "
    assert HANOI_TEXT[start:].startswith(block)
    unsourced = HANOI_TEXT[:start] + HANOI_TEXT[HANOI_TEXT.index("\n", start + len(block)) + 1 :]
    texts: dict[str, str | None] = {
        "broken.yaml": HANOI_TEXT.replace("  pass_mark: 60", "  pass_mark: 101"),
        "warns.yaml": unsourced,  # a pass mark without provenance: a warning, the set is usable
        "syntax.yaml": HANOI_TEXT.replace("  pass_mark: 60", "\tpass_mark: 60"),
        "escape.yaml": HANOI_TEXT.replace('version: "2025.1-provisional"', 'version: "\\e[31mred\\e[0m"', 1),
        "latin1.yaml": None,
    }
    out = {}
    for name, text in texts.items():
        path = d / name
        if text is None:
            path.write_bytes("id: caf\xe9\n".encode("latin-1"))  # not UTF-8: an internal error, exit 2
        else:
            path.write_text(text, encoding="utf-8")
        out[name.removesuffix(".yaml")] = str(path)
    out["missing"] = str(d / "nope.yaml")
    out["ansi-missing"] = str(d / "\x1b[1mbold.yaml")
    return out


def test_the_fixtures_say_what_they_are_for(files):
    code, out, err = same("criteria", "check", files["warns"])
    assert code == 0 and b"criteria-no-provenance" in err, err
    code, out, err = same("criteria", "check", files["escape"])
    assert code == 0 and b"red" in out and b"\x1b" not in out  # click strips ANSI codes off a pipe


@pytest.mark.parametrize(
    ("args", "exit_code"),
    [
        (["--version"], 0),
        (["criteria", "check"], 0),
        (["criteria", "check", "--lang", "vi"], 0),
        (["criteria", "check", "--lang=en", "hanoi-spcncl", "ocop"], 0),
        (["criteria", "check", "{broken}"], 1),
        (["criteria", "check", "{warns}", "--lang", "vi"], 0),
        (["criteria", "check", "{syntax}", "{escape}"], 1),
        (["criteria", "check", "{missing}", "--lang", "en", "{ansi-missing}"], 1),
        (["criteria", "check", "cnnt", "{latin1}", "ocop"], 2),
        (["criteria", "check", "cnnt", "{broken}", "--lang=vi", "{missing}", "{warns}", ""], 1),
    ],
)
def test_fast_path_prints_what_typer_prints(files, args, exit_code):
    args = [a.format(**files) for a in args]
    assert cli._parse(args) is not None
    code, _, err = same(*args)
    assert code == exit_code, err
    assert b"Traceback" not in err
    if exit_code == 2:
        assert b"UnicodeDecodeError" in err


FALLBACK = [
    [],
    ["--help"],
    ["--version", "criteria"],
    ["--debug", "criteria", "check", "cnnt"],
    ["criteria"],
    ["criteria", "check", "--help"],
    ["criteria", "check", "--lang", "EN"],
    ["criteria", "check", "--lang"],
    ["criteria", "check", "--lang", "en", "--lang", "vi"],
    ["criteria", "check", "--", "cnnt"],
    ["criteria", "check", "-"],
    ["criteria", "check", "--la", "en"],
    ["criteria", "show", "cnnt"],
]


def test_everything_else_goes_to_typer():
    assert all(cli._parse(args) is None for args in FALLBACK)
    assert same("--help")[0] == 0
    assert same("criteria", "check", "--help")[0] == 0
    assert same("criteria", "check", "--lang", "EN")[0] == 2
    assert same("--debug", "criteria", "check", "cnnt")[0] == 0


def test_fast_path_imports_neither_typer_nor_rich(files):
    code, out, _ = run(FAST_ONLY, "criteria", "check")
    assert code == 0 and out.splitlines()[-1] == b"[]"
    code, out, _ = run(FAST_ONLY, "criteria", "check", files["warns"])
    assert code == 0 and out.splitlines()[-1] == b"['rich']"


def test_an_ascii_stdout_goes_to_typer():
    """click.echo re-wraps a stdout whose encoding is ASCII; the fast path leaves that to it."""
    code, out, _ = same("criteria", "check", "--lang", "vi", "nope", env={**os.environ, "PYTHONIOENCODING": "ascii"})
    assert code == 1 and out == "nope: LỖI\n".encode()


def test_shell_completion_goes_to_typer(monkeypatch):
    monkeypatch.setattr(cli, "_plain_stdout", lambda: True)
    assert cli._fast_request(["criteria", "check"]) == ("check", [], "en")
    monkeypatch.setenv("_SPCNCL_SCORE_COMPLETE", "bash_complete")
    assert cli._fast_request(["criteria", "check"]) is None


@pytest.mark.parametrize("args", [["--version"], ["criteria", "check"]])
def test_closed_stdout(args):
    r, w = os.pipe()
    os.close(r)
    try:
        fast, slow = run(FAST, *args, stdout=w), run(TYPER, *args, stdout=w)
    finally:
        os.close(w)
    assert fast == slow


def test_on_a_terminal(files):
    """Through a terminal rich colours the messages and click keeps ANSI codes: still the same bytes."""

    pty = pytest.importorskip("pty")

    def on_tty(code: str) -> tuple[int, bytes]:
        master, slave = pty.openpty()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color"}
        for k in ("NO_COLOR", "FORCE_COLOR", "COLUMNS"):
            env.pop(k, None)
        p = subprocess.Popen(
            [sys.executable, "-c", code, "criteria", "check", files["broken"], files["escape"]],
            stdout=slave,
            stderr=slave,
            cwd=ROOT,
            env=env,
        )
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(master)
        return p.wait(timeout=120), b"".join(chunks)

    fast, slow = on_tty(FAST), on_tty(TYPER)
    assert fast == slow
    assert fast[0] == 1 and b"\x1b[31mred" in fast[1]


def test_commands_run_with_the_gc_collecting_less_often():
    """The typer commands run with GC_THRESHOLD (the fast paths do not need it)."""
    from spcncl_score.cli import GC_THRESHOLD

    code = (
        "import gc, sys\n"
        "from spcncl_score import cli\n"
        "sys.argv = ['spcncl-score', 'criteria', 'show', 'ocop']\n"
        "try:\n"
        "    cli.main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('threshold', *gc.get_threshold(), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert f"threshold {' '.join(map(str, GC_THRESHOLD))}" in out.stderr, out.stderr
