"""The command line: typer commands (`app`) over library calls; `main` is the installed entry point."""

from __future__ import annotations


def main() -> None:
    from spcncl_score.cli.commands import app

    app()
