"""Exit codes, decided in one place: `guarded` runs a command body and maps what it raises.

0: ran, nothing wrong · 1: ran, findings (dossier errors, failed checks) · 2: could not run.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator
from typing import Any

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + SIGINT, 128 + SIGTERM: what a shell expects

STATE: dict[str, Any] = {"debug": False}  # set by the root command's --debug


def err_console() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the command happens to be, so that every ``finally`` and ``except
    BaseException`` on the way out runs: temporary report files are removed as on Ctrl-C."""


@contextlib.contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """While a command runs, SIGTERM raises Terminated in this process.

    A child process forked meanwhile inherits the handler; there it does what SIGTERM always
    did (the default action), so the readers' processes end as before.
    """
    owner = os.getpid()

    def handler(signum: int, frame: Any) -> None:
        if os.getpid() != owner:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut the cleanup short
        raise Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread (a test runner's worker): leave SIGTERM alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def guarded(lang: str, body: Callable[[], int], passthrough: tuple[type[BaseException], ...] = ()) -> int:
    """Run a command body; map every failure to an exit code, with no traceback unless --debug.

    Exceptions in ``passthrough`` (typer's Exit) are re-raised untouched.
    """
    from spcncl_score.issues import SpcnclError

    try:
        with sigterm_unwinds():
            return body()
    except Terminated:
        err_console().print("Đã dừng (SIGTERM)." if lang == "vi" else "Terminated (SIGTERM).")
        return EXIT_TERMINATED
    except SpcnclError as exc:
        from spcncl_score.cli.console import print_issues
        from spcncl_score.issues import Severity

        print_issues(err_console(), exc.issues, lang, min_severity=Severity.INFO)
        return EXIT_ERROR
    except KeyboardInterrupt:
        err_console().print("Đã dừng theo yêu cầu." if lang == "vi" else "Interrupted.")
        return EXIT_INTERRUPTED
    except passthrough:
        raise
    except Exception as exc:
        if STATE["debug"]:
            raise
        from rich.markup import escape

        from spcncl_score.i18n import render_message
        from spcncl_score.printable import printable

        detail = printable(f"{type(exc).__name__}: {exc}")
        err_console().print("[bold red]" + escape(render_message("internal-error", {"detail": detail}, lang)) + "[/]")
        return EXIT_ERROR
