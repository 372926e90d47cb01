"""Exit codes, decided in one place: `guarded` runs a command body and maps what it raises.

0: ran, nothing wrong · 1: ran, findings (dossier errors, failed checks) · 2: could not run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

STATE: dict[str, Any] = {"debug": False}  # set by the root command's --debug


def err_console() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def guarded(lang: str, body: Callable[[], int], passthrough: tuple[type[BaseException], ...] = ()) -> int:
    """Run a command body; map every failure to an exit code, with no traceback unless --debug.

    Exceptions in ``passthrough`` (typer's Exit) are re-raised untouched.
    """
    from spcncl_score.issues import SpcnclError

    try:
        return body()
    except SpcnclError as exc:
        from spcncl_score.cli.console import print_issues
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
