"""Find every file under the inputs and say what each one is: nothing goes unaccounted."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from spcncl_score.issues import Issue, Location, info, warning
from spcncl_score.printable import printable_name

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xltx", ".xltm"}
# a consolidated table, one row per dossier (intake/table.py); an xlsx table is told from a form
# only when read (it has no meta.criteria_id name and a header row of fields): it is a "workbook" here
TABLE_SUFFIXES = {".csv"}


@dataclass(frozen=True)
class FoundFile:
    path: Path
    # relative to the input folder, with '/' separators: stable across machines; bytes that are not
    # UTF-8 and control characters escaped as \xNN (spcncl_score.printable): always valid text
    display: str
    kind: str  # "workbook", "table", "table_row" (one dossier of a table), "lock", "ignored", "broken_link"


def discover(inputs: list[Path]) -> tuple[list[FoundFile], list[Issue]]:
    found: list[FoundFile] = []
    issues: list[Issue] = []
    for inp in inputs:
        walked = _walk(inp) if inp.is_dir() else [(inp.relative_to(inp.parent).as_posix(), inp)]
        for relative, p in walked:
            display = printable_name(relative if len(inputs) == 1 else p.as_posix())
            f = _classify(p, display)
            found.append(f)
            if f.kind in ("workbook", "table"):
                continue
            loc = Location(file=display)
            if f.kind == "lock":
                issues.append(info("file-lock-skipped", loc))
            elif f.kind == "broken_link":
                issues.append(warning("file-broken-link", loc))
            elif f.kind == "ignored":
                issues.append(info("file-ignored", loc, kind=p.suffix.lower() or "no extension"))
    return found, issues


def _walk(root: Path) -> list[tuple[str, Path]]:
    """(path relative to ``root`` with '/' separators, path) of every file, sorted by the former."""
    out: list[tuple[str, Path]] = []
    top = os.fspath(root)
    cut = len(top.rstrip(os.sep)) + 1  # what os.walk's dirpath adds before the relative part
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        prefix = dirpath[cut:].replace(os.sep, "/") + "/" if len(dirpath) > len(top) else ""
        for name in sorted(filenames):
            out.append((prefix + name, Path(dirpath, name)))
        # a link to a folder is not followed (loops); list it as a file to account for it
        for d in list(dirnames):
            if (Path(dirpath) / d).is_symlink():
                out.append((prefix + d, Path(dirpath, d)))
    # the relative text is what Path.relative_to(root).as_posix() gives, without building paths twice
    out.sort(key=lambda item: item[0])
    return out


def _classify(p: Path, display: str) -> FoundFile:
    name = p.name
    if p.is_symlink() and not p.exists():
        return FoundFile(p, display, "broken_link")
    if name.startswith("~$") or name.startswith(".~lock."):
        return FoundFile(p, display, "lock")
    if p.suffix.lower() in WORKBOOK_SUFFIXES and p.is_file():
        return FoundFile(p, display, "workbook")
    if p.suffix.lower() in TABLE_SUFFIXES and p.is_file():
        return FoundFile(p, display, "table")
    return FoundFile(p, display, "ignored")
