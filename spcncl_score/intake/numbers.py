"""Read numbers typed as text, in Vietnamese or English writing, without guessing silently.

Returns the value and, when the text had to be interpreted, a note saying how.
"""

from __future__ import annotations

import math
import re
import unicodedata

from spcncl_score.i18n import L

_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009]+")
_PLAIN = re.compile(r"^[+-]?\d+$")
_GROUPED_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")  # 1.234.567 (vi thousands)
_GROUPED_COMMA = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")  # 1,234,567 (en thousands)
_VI = re.compile(r"^[+-]?\d{1,3}(\.\d{3})*,\d+$|^[+-]?\d+,\d+$")  # 1.234,5 / 12,5
_EN = re.compile(r"^[+-]?\d{1,3}(,\d{3})*\.\d+$|^[+-]?\d+\.\d+$")  # 1,234.5 / 12.5

# unit words a person may type after a number, by the field's unit
UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "tỷ đồng": ("tỷ đồng", "tỷ", "ty dong", "ty", "tỉ đồng", "tỉ", "billion vnd", "bn vnd"),
    "USD": ("usd", "us$", "$", "đô la mỹ", "đô"),
    "người": ("người", "nguoi", "lao động", "workers", "persons", "people"),
    "%": ("%",),
    "triệu đồng": ("triệu đồng", "triệu", "trieu"),
}


class NumberError(ValueError):
    pass


class NumberNotFinite(NumberError):
    """The text is a number too large to hold (1e400, 400 digits) or not a number at all (inf, nan)."""


def parse_number(raw: str, unit: str | None = None) -> tuple[float, list[L]]:
    """Parse ``raw`` as a number; return (value, note) where note explains any reading."""
    text = unicodedata.normalize("NFC", raw).strip()
    notes: list[L] = []
    lowered = text.lower()
    for word in sorted(UNIT_WORDS.get(unit or "", ()), key=len, reverse=True):
        before = lowered[: len(lowered) - len(word)]
        if lowered.endswith(word) and not before[-1:].isalpha():  # a unit, not the end of a word ('infinity')
            text = text[: len(text) - len(word)].strip()
            notes.append(L(f"bỏ đơn vị '{word}'", f"unit '{word}' removed"))
            break
    if text.endswith("%") and unit not in (None, "%"):
        # a percentage typed into a money or head-count cell is a mistake, not a number to guess
        raise NumberError(raw)
    if text.endswith("%"):
        text = text[:-1].strip()
        notes.append(L("bỏ dấu '%'", "'%' removed"))
    compact = _SPACES.sub("", text)
    if compact != text:
        notes.append(L("bỏ khoảng trắng", "spaces removed"))
    if not compact:
        raise NumberError("empty")
    value: float
    if _PLAIN.match(compact):
        value = float(compact)
    elif _GROUPED_DOT.match(compact):
        # '1.234' is a thousands group in Vietnamese writing, but a decimal in English
        value = float(compact.replace(".", ""))
        notes.append(L("dấu '.' là phân cách hàng nghìn", "'.' read as thousands separator (Vietnamese)"))
    elif _GROUPED_COMMA.match(compact):
        if re.match(r"^[+-]?\d{1,3},\d{3}$", compact):
            # '1,234' is ambiguous: decimal comma (vi) or thousands (en); the users write vi
            value = float(compact.replace(",", "."))
            notes.append(
                L(
                    "dấu ',' là dấu thập phân; nếu là hàng nghìn hãy ghi 1.234 hoặc 1234",
                    "',' read as decimal comma (Vietnamese); write 1.234 or 1234 for a thousand",
                )
            )
        else:
            value = float(compact.replace(",", ""))
            notes.append(L("dấu ',' là phân cách hàng nghìn", "',' read as thousands separator"))
    elif _VI.match(compact):
        value = float(compact.replace(".", "").replace(",", "."))
        notes.append(L("cách viết số Việt Nam", "Vietnamese number writing"))
    elif _EN.match(compact):
        value = float(compact.replace(",", ""))
        if "," in compact:
            notes.append(L("cách viết số tiếng Anh", "English number writing"))
        else:
            notes.append(L("dấu '.' là dấu thập phân", "'.' read as decimal point"))
    else:
        try:
            # written otherwise (1e5, inf, nan): refused all the same, with the reason if it is infinite
            other = float(compact)
        except ValueError:
            raise NumberError(raw) from None
        if not math.isfinite(other):
            raise NumberNotFinite(raw)
        raise NumberError(raw)
    if not math.isfinite(value):
        raise NumberNotFinite(raw)  # more digits than a number can hold
    return value, notes
