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
import unicodedata
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


# --------------------------------------------------------------------------------------------
# criteria and council YAML
# --------------------------------------------------------------------------------------------
SMALL_CRITERIA_HEAD = 'id: thu\ntitle: {vi: "Tiêu chí thử", en: "Café test"}\n'


_TONES = "\u0300\u0301\u0303\u0309\u0323"  # the five tone marks cp1258 keeps as combining characters


def to_cp1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 stores it: vowels with circumflex, breve or horn precomposed,
    tone marks as combining characters after them (what an old editor saves)."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES)) + tones)
    return "".join(out).encode("cp1258")


def billion_laughs(levels: int = 9, fan: int = 10, pad_to: int = 20_000) -> str:
    """Nested anchors, each level ``fan`` aliases of the one below: ``fan**levels`` strings once
    expanded, from about 20 KB of text (padded with a comment to the size of the report)."""
    out = ['l0: &l0 ["' + "ha" * 8 + '"' + ', "ha"' * (fan - 1) + "]"]
    for k in range(1, levels + 1):
        out.append(f"l{k}: &l{k} [" + ", ".join([f"*l{k - 1}"] * fan) + "]")
    text = "\n".join(out) + "\n"
    return text + "# " + "x" * max(0, pad_to - len(text) - 3) + "\n"


@dataclass(frozen=True)
class YamlCase:
    name: str
    data: bytes
    code: str  # the issue the loader must report
    line: int | None  # its line, None when the file as a whole is the problem


def yaml_cases() -> list[YamlCase]:
    """Criteria files a careless or hostile editor makes; each with the issue it must get."""
    huge = "1" + "0" * 5000
    head = SMALL_CRITERIA_HEAD
    return [
        YamlCase("billion-laughs.yaml", billion_laughs().encode(), "criteria-yaml-aliases", None),
        YamlCase("alias-vong-lap.yaml", b"id: thu\nfields: &f [1, *f]\n", "criteria-yaml-recursive", 2),
        YamlCase("alias-vong-lap-bang.yaml", b"id: thu\nmeta: &m\n  con: *m\n", "criteria-yaml-recursive", 2),
        YamlCase("so-khong-lo.yaml", f"id: thu\npass_mark: {huge}\n".encode(), "criteria-yaml-number", 2),
        YamlCase("cp1258.yaml", to_cp1258(head), "criteria-yaml-encoding", 2),
        YamlCase(
            "latin-1.yaml", 'id: thu\ntitle: {vi: "x", en: "Café"}\n'.encode("latin-1"), "criteria-yaml-encoding", 2
        ),
        YamlCase("utf-16-bom.yaml", head.encode("utf-16"), "criteria-yaml-utf16", 1),
        YamlCase("utf-16-khong-bom.yaml", head.encode("utf-16-le"), "criteria-yaml-utf16", 1),
    ]


def big_yaml(path: Path, megabytes: int = 50) -> Path:
    """A criteria-looking file of ``megabytes`` MB: a long list of fields, as a generator gone wrong."""
    item = b'  - {id: f%07d, type: number, label: {vi: "Tr\xc6\xb0\xe1\xbb\x9dng", en: "Field"}}\n'
    per = len(item % 0)
    with open(path, "wb") as fh:
        fh.write(b"id: lon\nfields:\n")
        for i in range(megabytes * 1024 * 1024 // per + 1):
            fh.write(item % i)
    return path


def write_yaml_cases(dest: Path) -> dict[str, YamlCase]:
    dest.mkdir(parents=True, exist_ok=True)
    out = {}
    for case in yaml_cases():
        (dest / case.name).write_bytes(case.data)
        out[case.name] = case
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    dest = Path(argv[1])
    folder = odd_names_folder(dest)
    print(f"{folder}: {len(ODD_NAMES)} odd names")
    print(f"{escape_dossier(dest)}: enterprise name {ESCAPE_NAME_SHOWN}")
    for name, case in write_yaml_cases(dest / "yaml").items():
        print(f"{dest / 'yaml' / name}: {case.code}")
    print(f"{big_yaml(dest / 'yaml' / 'lon-50mb.yaml')}: criteria-yaml-too-large")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
