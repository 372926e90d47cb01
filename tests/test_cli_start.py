"""What the command line loads and prints at its edges: light commands stay light, the summary stays short."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spcncl_score.cli.commands import app

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import sys\n"
    "from spcncl_score.cli import main\n"
    "sys.argv = ['spcncl-score', *sys.argv[1:]]\n"
    "try:\n"
    "    main()\n"
    "except SystemExit:\n"
    "    pass\n"
    "heavy = sorted(m for m in ('pandas', 'numpy', 'python_calamine', 'openpyxl') if m in sys.modules)\n"
    "print('HEAVY', ' '.join(heavy), file=sys.stderr)\n"
)


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["criteria", "check"],
        ["criteria", "show", "hanoi-spcncl"],
        ["criteria", "schema"],
        ["template", "-o", "{tmp}/form.xlsx"],
    ],
)
def test_light_commands_do_not_import_pandas_or_spreadsheet_readers(args: list[str], tmp_path: Path) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, cwd=ROOT, timeout=60)
    heavy = next(line for line in done.stderr.splitlines() if line.startswith("HEAVY"))
    assert heavy == "HEAVY ", done.stderr


def test_the_summary_shows_the_leaders_and_the_counts_not_every_dossier() -> None:
    res = CliRunner().invoke(app, ["evaluate", str(ROOT / "samples/hanoi"), "--no-report", "--mc-runs", "0"])
    lines = res.stdout.splitlines()
    assert "… (còn 7 hồ sơ; báo cáo liệt kê đầy đủ)" in lines
    body = [line for line in lines if line.startswith("│") and line.split("│")[1].strip().isdigit()]
    assert [int(line.split("│")[1]) for line in body] == list(range(1, 11))
    res = CliRunner().invoke(
        app, ["evaluate", str(ROOT / "samples/hanoi"), "--no-report", "--mc-runs", "0", "--lang", "en"]
    )
    assert "… (+7; the report lists every dossier)" in res.stdout.splitlines()
