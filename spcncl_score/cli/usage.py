"""Newcomer mistakes caught before any work, and the line saying which criteria file was applied.

The option callbacks raise click's BadParameter: a usage error, exit code 2, written in the
language `LocalCommand` found on the command line (`ctx.meta["ui_lang"]`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from spcncl_score.cli.language import env_lang
from spcncl_score.i18n import label, render_message

UI_LANG_KEY = "ui_lang"


def _lang(ctx: typer.Context) -> str:
    return str(ctx.meta.get(UI_LANG_KEY) or env_lang())


def _workbook(ctx: typer.Context, path: Path | None, suffixes: tuple[str, ...]) -> Path | None:
    if path is not None and path.suffix.lower() not in suffixes:
        shown = " / ".join(suffixes)
        raise typer.BadParameter(render_message("output-not-xlsx", {"path": str(path), "suffixes": shown}, _lang(ctx)))
    return path


def xlsx_output(ctx: typer.Context, path: Path | None) -> Path | None:
    """An output that is an .xlsx workbook: `-o report.pdf` would be an xlsx named .pdf."""
    return _workbook(ctx, path, (".xlsx",))


def form_output(ctx: typer.Context, path: Path | None) -> Path | None:
    """The form(s) of ``template``: an .xlsx, or, for a set with categories, a folder (no suffix);
    whether the set has categories is known once it is loaded (intake/form.py: form_targets)."""
    return path if path is not None and path.suffix == "" else _workbook(ctx, path, (".xlsx",))


def workbook_copy_output(ctx: typer.Context, path: Path | None) -> Path | None:
    """The red-pen copy: an .xlsx, or an .xlsm when the enterprise's workbook has macros."""
    return _workbook(ctx, path, (".xlsx", ".xlsm"))


def existing_file(ctx: typer.Context, path: Path | None) -> Path | None:
    """The golden file of --expect must exist before the whole batch is scored against it."""
    if path is not None and not path.is_file():
        raise typer.BadParameter(render_message("expect-not-found", {"path": str(path)}, _lang(ctx)))
    return path


def say_criteria(console: Any, cs: Any, issues: list[Any], lang: str, *, warnings: bool = True) -> None:
    """On stderr: the criteria file applied, with its fingerprint, and whether a local file was passed over.

    ``warnings`` False when the command prints the criteria's issues itself (evaluate, validate).
    """
    from rich.markup import escape

    console.print(
        escape(
            label(
                "criteria_applied",
                lang,
                path=cs.source_path or "?",
                id=cs.id,
                version=cs.version,
                fingerprint=cs.fingerprint,
            )
        ),
        highlight=False,
        soft_wrap=True,
    )
    if warnings:
        from spcncl_score.cli.console import print_issues

        print_issues(console, [i for i in issues if i.code == "criteria-shadowed"], lang)
