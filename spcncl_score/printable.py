"""Text from outside (file names, dossier cells) made safe to show: one rule for every edge.

- A byte of a file name that is not UTF-8 (a Windows archive unzipped on Linux: Python keeps it
  as a lone surrogate, U+DC80..U+DCFF) is shown as ``\\xNN``, the byte in hex: ``c\\xf4ng-ty.xlsx``.
- A control character (C0 but newline and tab, DEL, C1: ESC starts the terminal's escape codes,
  U+009B is a one-character escape), a bidirectional override (it reorders what is shown) and
  any other lone surrogate are shown as ``\\xNN`` too, or ``\\uNNNN`` above U+00FF, so a name or
  a cell can never move the cursor, recolour, retitle or reorder a terminal.

Only the text shown changes: files are opened under their real names. A real name spelt with a
backslash, ``x`` and two hex digits shows the same as the byte would; the run information sheet
keeps every file's SHA-256 to tell two such files apart.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_LINES = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")  # names: newline and tab too


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the undecodable byte itself
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with control characters (newline and tab kept) and undecodable bytes escaped."""
    return text if text.isprintable() or not _UNSAFE.search(text) else _UNSAFE.sub(_escape, text)


def printable_name(text: str) -> str:
    """A file name as shown: everything ``printable`` escapes, and newline and tab as well."""
    return text if text.isprintable() else _UNSAFE_LINES.sub(_escape, text)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_text(dumped: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) that is valid UTF-8 and inert on a
    terminal: DEL, C1 controls, bidirectional overrides and lone surrogates (undecodable bytes of
    a file name) written as ``\\uNNNN`` escapes; JSON escapes the C0 controls itself. These
    characters can only stand inside strings, where the escape means the same character."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
