"""Where reports may be written, and writing them so that no half-written file is ever left."""

from __future__ import annotations

import contextlib
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from spcncl_score.intake.discovery import WORKBOOK_SUFFIXES
from spcncl_score.issues import Issue, Location, error

T = TypeVar("T")


def _is_report(path: Path) -> bool:
    """A workbook written by spcncl-score carries the custom property 'spcncl_report'."""
    try:
        with zipfile.ZipFile(path) as zf:
            return b"spcncl_report" in zf.read("docProps/custom.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


def check_output(path: Path, inputs: Sequence[Path], force: bool) -> list[Issue]:
    """Refuse to overwrite an input, to write into the dossier folder, or to clobber a report."""
    target = path.resolve()
    loc = Location(file=str(path))
    for inp in inputs:
        src = inp.resolve()
        if src == target:
            return [error("output-is-input", loc, path=str(path))]
        if src.is_dir() and src in target.parents:
            # even with --force, an enterprise's workbook in the folder is never replaced
            if target.exists() and target.suffix.lower() in WORKBOOK_SUFFIXES and not _is_report(target):
                return [error("output-is-input", loc, path=str(path))]
            if not force:
                return [error("output-in-input-dir", loc, path=str(inp))]
    if target.exists() and not force:
        return [error("output-exists", loc, path=str(path))]
    return []


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` only on success.

    An exception or Ctrl-C (KeyboardInterrupt) while writing removes the temporary file,
    so a reader never sees a half-written report.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp_path, 0o666 & ~mask)  # mkstemp makes it private; a report is an ordinary file
        os.replace(tmp_path, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


def write_atomically(path: Path, write: Callable[[Path], T]) -> T:
    """Call ``write`` on a temporary path beside ``path``; rename it into place when it returns."""
    with atomic_path(path) as tmp:
        return write(tmp)
