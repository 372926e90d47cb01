"""The language a person reads the command line in: chosen once, at startup, from the environment.

Order: `--lang` on the command line, else the `SPCNCL_LANG` variable, else the locale (`LC_ALL`,
`LC_MESSAGES`, `LANG`: one starting with `en` means English), else Vietnamese.

Help texts are written in both languages (`h(vi, en)`) and picked when the commands are defined;
click's own words (usage, option headings, usage errors) are rewritten into Vietnamese by
`LocalCommand` / `LocalGroup` from a table here, so there is one argument parser, click's.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from typer import _click as click  # typer 0.29 carries its own click: its exceptions, not the installed one
from typer._click.exceptions import NoArgsIsHelpError, UsageError
from typer.core import TyperCommand, TyperGroup
from typer.exceptions import Abort

from spcncl_score.i18n import LANGS, render_message


def ui_lang(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language asked for: `--lang` in ``argv``, else SPCNCL_LANG, else the locale, else vi."""
    args = list(sys.argv[1:] if argv is None else argv)
    env = os.environ if environ is None else environ
    for i, a in enumerate(args):
        if a == "--lang" and i + 1 < len(args) and args[i + 1] in LANGS:
            return args[i + 1]
        if a.startswith("--lang=") and a[len("--lang=") :] in LANGS:
            return a[len("--lang=") :]
    return env_lang(env)


def env_lang(environ: Mapping[str, str] | None = None) -> str:
    """The language of the environment alone: SPCNCL_LANG, else the locale, else vi."""
    env = os.environ if environ is None else environ
    chosen = env.get("SPCNCL_LANG", "").strip().lower()
    if chosen in LANGS:
        return chosen
    # POSIX precedence: the first of these that is set decides
    locale = next((env[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(k)), "")
    return "en" if locale.lower().startswith("en") else "vi"


UI_LANG = ui_lang()


def h(vi: str, en: str) -> str:
    """A help text in the language chosen at startup."""
    return en if UI_LANG == "en" else vi


# click's English, as it reaches the terminal -> Vietnamese (regex, replacement); order matters
_CLICK_VI: list[tuple[str, str]] = [
    (r"^Usage:", "Cách dùng:"),
    (r"\[OPTIONS\]", "[TÙY CHỌN]"),
    (r"COMMAND \[ARGS\]\.\.\.", "LỆNH [ĐỐI SỐ]..."),
    (r"^Options:$", "Tùy chọn:"),
    (r"^Commands:$", "Lệnh:"),
    (r"^Arguments:$", "Đối số:"),
    (r"Show this message and exit\.", "Hiện hướng dẫn này rồi thoát."),
    (r"\[default: ([^\]]*)\]", r"[mặc định: \1]"),
    (r"\[required\]", "[bắt buộc]"),
    (r"\(dynamic\)", "(tùy môi trường)"),
    (r"^Try '(.+) --help' for help\.$", r"Xem '\1 --help' để được hướng dẫn."),
    (r"^Error: ", "Lỗi: "),
    (r"Missing option '([^']+)'( / '([^']+)')?\.", r"Thiếu tùy chọn '\1'\2 (bắt buộc)."),
    (r"Missing argument '([^']+)'\.", r"Thiếu đối số '\1' (bắt buộc)."),
    (r"No such option: (\S+) \(Possible options: ([^)]*)\)", r"Không có tùy chọn \1 (có thể là: \2)"),
    (r"No such option: (\S+)", r"Không có tùy chọn \1"),
    (r"Did you mean (\S+)\?", r"Có phải ý bạn là \1?"),
    (r"No such command '([^']+)'\.", r"Không có lệnh '\1'."),
    (r"Option '([^']+)' requires an argument\.", r"Tùy chọn '\1' cần một giá trị."),
    (r"Option '([^']+)' does not take a value\.", r"Tùy chọn '\1' không nhận giá trị."),
    (r"Got unexpected extra arguments? \((.*)\)", r"Thừa đối số: \1"),
    (r"Missing command\.", "Thiếu tên lệnh."),
    (r"Invalid value for ('[^']+'(?: / '[^']+')*): ", r"Giá trị không hợp lệ cho \1: "),
    (r"Value error, ", ""),
    (r"'([^']*)' is not one of (.+)\.", r"'\1' không phải một trong các giá trị \2."),
    (r"'([^']*)' is not a valid integer\.", r"'\1' không phải số nguyên."),
    (r"'([^']*)' is not a valid float\.", r"'\1' không phải một số."),
    (r"(\S+) is not in the range (.+)\.", r"\1 nằm ngoài khoảng cho phép \2."),
    (r"'([^']*)' is not a valid boolean\.", r"'\1' không phải có/không."),
    (r"Aborted!", "Đã dừng."),
]
_COMPILED = [(re.compile(p, re.MULTILINE), r) for p, r in _CLICK_VI]


def click_text(text: str, lang: str) -> str:
    """click's English words in ``text`` in ``lang`` (unchanged for English)."""
    if lang == "en":
        return text
    for pattern, repl in _COMPILED:
        text = pattern.sub(repl, text)
    return text


def _show_error(exc: click.ClickException, lang: str) -> None:
    """What click's `exc.show()` writes, in ``lang``."""
    if isinstance(exc, NoArgsIsHelpError):  # a bare group prints its help
        exc.show()
        return
    lines: list[str] = []
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, UsageError) and ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(f"Try '{ctx.command_path} {ctx.help_option_names[0]}' for help.")
        lines.append("")
    lines.append(f"Error: {exc.format_message()}")
    click.echo(click_text("\n".join(lines), lang), err=True)


def _main(parent_main: Any, args: Sequence[str] | None, kwargs: dict[str, Any]) -> Any:
    standalone = kwargs.pop("standalone_mode", True)
    lang = ui_lang(sys.argv[1:] if args is None else args)
    try:
        rv = parent_main(args, standalone_mode=False, **kwargs)
    except click.ClickException as exc:
        if not standalone:
            raise
        _show_error(exc, lang)
        sys.exit(exc.exit_code)
    except Abort:
        if not standalone:
            raise
        click.echo(click_text("Aborted!", lang), err=True)
        sys.exit(1)
    if standalone:
        sys.exit(rv if isinstance(rv, int) else 0)
    return rv


class LocalCommand(TyperCommand):
    """A typer command whose help and usage errors are in the language chosen at startup.

    It also refuses an option given twice (`-c A -c B`: click would silently keep B), and leaves
    the language of this command line in ``ctx.meta["ui_lang"]`` for option callbacks.
    """

    def get_help(self, ctx: click.Context) -> str:
        return click_text(super().get_help(ctx), UI_LANG)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        lang = ui_lang(args)
        ctx.meta["ui_lang"] = lang
        repeated = repeated_options(self, args)
        if repeated:
            option, values = repeated
            message = render_message(
                "option-repeated",
                {"option": option, "count": len(values), "values": ", ".join(f"'{v}'" for v in values)},
                lang,
            )
            raise UsageError(message, ctx)
        return super().parse_args(ctx, args)


def repeated_options(cmd: click.Command, args: Sequence[str]) -> tuple[str, list[str]] | None:
    """The first single-value option given more than once, with every value given; None if none."""
    names: dict[str, str] = {}  # option string -> the option's display name ('--criteria / -c')
    for p in cmd.params:
        if getattr(p, "multiple", False) or getattr(p, "is_flag", False) or getattr(p, "count", False):
            continue
        opts = list(getattr(p, "opts", [])) + list(getattr(p, "secondary_opts", []))
        if not opts or p.param_type_name != "option":
            continue
        shown = " / ".join(opts)
        for o in opts:
            names[o] = shown
    seen: dict[str, list[str]] = {}
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            break
        key, value = a, None
        if a.startswith("--") and "=" in a:
            key, value = a.split("=", 1)
        elif not a.startswith("--") and a.startswith("-") and len(a) > 2 and a[:2] in names:
            key, value = a[:2], a[2:]
        if key in names:
            if value is None:
                value = args[i + 1] if i + 1 < len(args) else ""
                i += 1
            seen.setdefault(names[key], []).append(value)
        i += 1
    return next(((o, v) for o, v in seen.items() if len(v) > 1), None)


class LocalGroup(TyperGroup):
    """A typer group (the app and its sub-apps), localised like `LocalCommand`; as the entry point,
    it also writes click's usage errors in the chosen language (exit code 2, as click does)."""

    def get_help(self, ctx: click.Context) -> str:
        return click_text(super().get_help(ctx), UI_LANG)

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        kwargs = {"prog_name": prog_name, "complete_var": complete_var, "standalone_mode": standalone_mode, **extra}
        return _main(super().main, args, kwargs)
