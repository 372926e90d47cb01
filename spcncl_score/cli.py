"""Command line entry point. Exit codes are decided in one place, `guarded`:

0: ran, nothing wrong · 1: ran, findings (dossier errors, failed checks) · 2: could not run.

The commands are typer commands (`spcncl_score.commands`). Importing typer and building its
parameters takes ~0.1 s, a third of the start of `criteria check`, so `main` runs the two short
invocations itself: `--version`, and `criteria check [FILES...] [--lang vi|en]`. Every other command
line (other commands, help, `--debug`, unknown or repeated options, bad values, `--`, shell
completion, streams click would re-wrap) goes to the typer app unchanged. What the fast path handles
it prints byte for byte as typer does, with the same exit code; tests/test_cli_fast.py runs both
paths on the same inputs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from spcncl_score import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

STATE: dict[str, Any] = {"debug": False}  # set by the typer app's --debug


def __getattr__(name: str) -> Any:
    """The typer objects (`cli.app`, ...) live in `spcncl_score.commands`, imported on first use."""
    if name.startswith("__"):
        raise AttributeError(name)
    from spcncl_score import commands

    try:
        return getattr(commands, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def err_console() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def guarded(lang: str, body: Callable[[], int], passthrough: tuple[type[BaseException], ...] = ()) -> int:
    """Run a command body; map every failure to an exit code, with no traceback unless --debug.

    Exceptions in ``passthrough`` (typer's Exit, for the typer path) are re-raised untouched.
    """
    from spcncl_score.issues import SpcnclError

    try:
        return body()
    except SpcnclError as exc:
        from spcncl_score.console import print_issues
        from spcncl_score.issues import Severity

        print_issues(err_console(), exc.issues, lang, min_severity=Severity.INFO)
        return EXIT_ERROR
    except KeyboardInterrupt:
        err_console().print("Đã dừng theo yêu cầu." if lang == "vi" else "Interrupted.")
        return 130
    except passthrough:
        raise
    except Exception as exc:
        if STATE["debug"]:
            raise
        from spcncl_score.i18n import render_message

        err_console().print(
            "[bold red]" + render_message("internal-error", {"detail": f"{type(exc).__name__}: {exc}"}, lang) + "[/]"
        )
        return EXIT_ERROR


def check_criteria(files: list[str] | None, lang: str, echo: Callable[[str], Any]) -> int:
    """`criteria check`: load and check each file (default: the shipped sets); 1 if any fails."""
    from spcncl_score.issues import Severity
    from spcncl_score.loader import load_criteria, shipped_sets

    targets = files or [str(p) for p in shipped_sets().values()]
    worst = EXIT_OK
    err = None
    for t in targets:
        cs, issues = load_criteria(t)
        if issues:  # rich only when there is something to print (the shipped sets have nothing)
            from spcncl_score.console import print_issues

            err = err or err_console()
            print_issues(err, issues, lang, min_severity=Severity.INFO)
        if cs is None:
            worst = EXIT_FINDINGS
        status = "ok" if cs is not None else ("LỖI" if lang == "vi" else "FAILED")
        echo(f"{t}: {status}" + (f" ({cs.id} {cs.version}, fingerprint {cs.fingerprint})" if cs else ""))
    return worst


# -- fast path ---------------------------------------------------------------------------------
def _fast_request(args: list[str]) -> tuple[str, list[str], str] | None:
    """(command, files, lang) of what the fast path runs, or None: let typer parse this command line."""
    if os.name == "nt" or not _plain_stdout():
        return None  # typer expands globs on Windows and re-wraps odd stdout streams
    if any(k.startswith("_") and k.endswith("_COMPLETE") and v for k, v in os.environ.items()):
        return None  # a shell-completion request
    return _parse(args)


def _parse(args: list[str]) -> tuple[str, list[str], str] | None:
    if args == ["--version"]:
        return "version", [], ""
    if args[:2] != ["criteria", "check"]:
        return None
    files: list[str] = []
    lang: str | None = None
    rest = args[2:]
    i = 0
    while i < len(rest):
        arg = rest[i]
        if arg == "--lang" and i + 1 < len(rest):
            value, i = rest[i + 1], i + 2
        elif arg.startswith("--lang="):
            value, i = arg[len("--lang=") :], i + 1
        elif arg.startswith("-"):
            return None  # --help, --, '-', any other option: typer decides
        else:
            files.append(arg)
            i += 1
            continue
        if lang is not None or value not in ("vi", "en"):
            return None  # typer reports the bad value (or takes the last of repeated options)
        lang = value
    return "check", files, lang or "en"


def _plain_stdout() -> bool:
    """A text stdout that click.echo writes to as it is (it re-wraps ASCII or odd streams)."""
    import codecs
    import io

    out = sys.stdout
    if type(out) is not io.TextIOWrapper or out.encoding is None or out.errors is None:
        return False
    try:
        return codecs.lookup(out.encoding).name != "ascii"
    except LookupError:
        return False


def _echo(text: str) -> None:
    """click.echo of one line on a plain stdout: ANSI codes stripped unless it is a terminal, flushed."""
    out = text + "\n"
    if "\x1b" in out:
        try:
            tty = sys.stdout.isatty()
        except Exception:
            tty = False
        if not tty:
            import re

            out = re.sub(r"\033\[[;?0-9]*[a-zA-Z]", "", out)
    sys.stdout.write(out)
    sys.stdout.flush()


# Cyclic garbage collection every 20,000 net allocations instead of CPython's 700 (and the older
# generations a little less often): reading forms and building a report allocate millions of small
# objects that are not garbage, and each young collection walks them. spcncl-score evaluate,
# 100 dossiers (score-card sheets included): 1.52 -> 1.30 s; 1,000: 2.24 -> 2.21 s; memory the same
# (median of 7 alternating runs each; docs/performance.md).
GC_THRESHOLD = (20_000, 20, 20)


def tune_gc() -> None:
    """Collect cyclic garbage less often (GC_THRESHOLD): the command line's setting, for its process only."""
    import gc

    gc.set_threshold(*GC_THRESHOLD)


def main() -> None:
    request = _fast_request(sys.argv[1:])
    if request is None:
        tune_gc()
        from spcncl_score.commands import app

        app()
        return
    command, files, lang = request
    try:
        if command == "version":
            code = _version()
        else:

            def body() -> int:
                _import_for_check()
                return check_criteria(files, lang, _echo)

            code = guarded(lang, body)
    except KeyboardInterrupt:  # typer's parsing exits 130 quietly
        code = 130
    _exit(code)


def _version() -> int:
    try:
        _echo(f"spcncl-score {__version__}")
    except BrokenPipeError:  # as typer: exit 1, and nothing said when the interpreter flushes stdout
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return EXIT_OK


def _import_for_check() -> None:
    """Import what `criteria check` needs with the cyclic GC off, then freeze what was imported.

    Importing pydantic and building the criteria models makes ~40,000 long-lived objects and little
    garbage; collections during the imports, and later ones walking those objects, cost ~4 % of
    the start. Frozen objects are never collected (they live until exit anyway); the GC runs as
    usual for what the check itself makes.
    """
    import gc

    gc.disable()
    try:
        import spcncl_score.loader  # noqa: F401
    finally:
        gc.freeze()
        gc.enable()


def _exit(code: int) -> None:
    """Exit without the interpreter's teardown (~5 % of the start) when there is nothing for it to do.

    The output is flushed here; with no atexit handlers registered, skipping the teardown only
    skips freeing memory. If a flush fails, or something registered a handler, exit normally so
    that it reports or runs as it would.
    """
    import atexit

    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        sys.exit(code)
    # a CPython detail: where it is missing, take the ordinary exit
    pending = getattr(atexit, "_ncallbacks", None)
    if pending is not None and pending() == 0:
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
