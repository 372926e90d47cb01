"""Hostile and careless inputs of issue 13 that are not workbooks' insides: file names, text that
talks to the terminal, criteria and council YAML.

    python tests/hostile_corpus.py DEST      # writes the corpus under DEST and lists it

Every case is made here from the shipped samples and criteria (nothing binary is committed);
the tests (tests/test_hostile_outputs.py, tests/test_hostile_yaml.py) pin what the tool says.
"""

from __future__ import annotations

import os
import shutil
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "hanoi"
HANOI_YAML = ROOT / "criteria" / "hanoi-spcncl.yaml"
COUNCIL_YAML = ROOT / "examples" / "council-2025.yaml"

HN01 = "hn01-co-khi-chinh-xac-dong-anh.xlsx"
HN01_NAME = "Công ty Cổ phần Cơ khí Chính xác Đông Anh"
# an enterprise name that would recolour the terminal, set its title, ring and clear the screen
ESCAPE_NAME = "Công ty \x1b[31mĐỏ\x1b]0;pwned\x07\x9b2J"
ESCAPE_NAME_SHOWN = "Công ty \\x1b[31mĐỏ\\x1b]0;pwned\\x07\\x9b2J"


# --------------------------------------------------------------------------------------------
# file names
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OddName:
    raw: bytes  # the name on disk
    shown: str  # how every output shows it
    workbook: bool


ODD_NAMES = [
    # cp1258 / Latin-1 bytes of "công-ty-é" as a Windows archive leaves them on Linux
    OddName(b"c\xf4ng-ty-\xe9.xlsx", "c\\xf4ng-ty-\\xe9.xlsx", True),
    OddName(b"ghi-ch\xfa.txt", "ghi-ch\\xfa.txt", False),
    OddName(b"\x1b[31m-do.txt", "\\x1b[31m-do.txt", False),
    OddName(b"hai\ndong.txt", "hai\\x0adong.txt", False),
]


def odd_names_folder(dest: Path) -> Path:
    """A folder of three good samples, a fourth under a name that is not UTF-8, and notes named
    with undecodable bytes, an escape code and a newline."""
    folder = dest / "ten-tep-la"
    folder.mkdir(parents=True)
    for p in sorted(SAMPLES.glob("hn0[1-3]-*.xlsx")):
        shutil.copy(p, folder / p.name)
    raw_folder = os.fsencode(folder)
    for odd in ODD_NAMES:
        target = raw_folder + b"/" + odd.raw
        if odd.workbook:
            shutil.copy(os.fsencode(SAMPLES / "hn04-dien-tu-thang-long-viet.xlsx"), target)
        else:
            with open(target, "wb") as fh:
                fh.write(b"notes\n")
    return folder


def escape_dossier(dest: Path) -> Path:
    """hn01 with its enterprise name replaced by one carrying terminal escape codes (written as
    the _xHHHH_ escapes an xlsx uses for control characters)."""
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / "ma-thoat.xlsx"
    encoded = "".join(f"_x{ord(c):04X}_" if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F else c for c in ESCAPE_NAME)
    with zipfile.ZipFile(SAMPLES / HN01) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/sharedStrings.xml":
                assert HN01_NAME.encode() in data
                data = data.replace(HN01_NAME.encode(), encoded.encode())
            out.writestr(info, data)
    return target


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    dest = Path(argv[1])
    folder = odd_names_folder(dest)
    print(f"{folder}: {len(ODD_NAMES)} odd names")
    print(f"{escape_dossier(dest)}: enterprise name {ESCAPE_NAME_SHOWN}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
