"""The one guard every output goes through, and the atomic, exclusive writing of each file.

Rules (each refusal is an Issue of its own, the command exits 2):

- never over an input: inputs are compared as *resolved files* (every file found under an input
  folder, symlinks followed, plus the same file reached by another name: device and inode), even
  with ``--force``;
- never into an input folder (a dossier folder, the members' forms folder) without ``--force``;
  even with ``--force`` never over an enterprise's workbook found there;
- never over an existing file without ``--force``; an ``-o`` that names a folder, or a folder that
  cannot be written to, is refused before any work is done;
- written to a temporary file in the target folder, then put in place: when the target must not
  exist it is *linked* in (``os.link`` fails if the name was taken meanwhile), so two runs writing
  the same new report cannot both succeed; the second gets ``output-taken``. An exception,
  Ctrl-C or SIGTERM (the CLI turns it into KeyboardInterrupt) while writing removes the temporary.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from spcncl_score.intake.discovery import WORKBOOK_SUFFIXES
from spcncl_score.issues import Issue, Location, SpcnclError, error

T = TypeVar("T")

TEMP_SUFFIX = ".part"


def _is_report(path: Path) -> bool:
    """A workbook written by spcncl-score carries the custom property 'spcncl_report'."""
    try:
        with zipfile.ZipFile(path) as zf, zf.open("docProps/custom.xml") as fh:
            return b"spcncl_report" in fh.read(1 << 20)  # a few hundred bytes; never inflate a bomb
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, EOFError):
        return False


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: compare it as written
        return path.absolute()


class OutputGuard:
    """What a run may write: built once from the run's inputs and ``--force``."""

    def __init__(self, inputs: Iterable[Path | str | None], force: bool = False) -> None:
        self.force = force
        self.files: set[Path] = set()
        self.folders: list[Path] = []
        self._ids: set[tuple[int, int]] = set()
        for given in inputs:
            if given is None:
                continue
            p = Path(given)
            if p.is_dir():
                self.folders.append(_resolved(p))
                for dirpath, dirnames, filenames in os.walk(p, followlinks=False):
                    # os.walk follows no link, so a folder resolves once for all its files (resolving
                    # each file took a third of a second for 10,000 dossiers)
                    folder = _resolved(Path(dirpath))
                    for name in filenames:
                        self._add_file(Path(dirpath, name), folder)
                    # a link to a folder is listed by os.walk among the folders: it may hide a file
                    for name in dirnames:
                        if os.path.islink(os.path.join(dirpath, name)):
                            self._add_file(Path(dirpath, name))
            elif p.exists() or p.is_symlink():
                self._add_file(p)

    def _add_file(self, p: Path, folder: Path | None = None) -> None:
        """``folder``: ``p``'s folder, resolved."""
        if folder is not None:
            try:
                st = os.lstat(p)
            except (OSError, ValueError):
                st = None
            if st is not None and not stat.S_ISLNK(st.st_mode):
                self.files.add(folder / p.name)
                self._ids.add((st.st_dev, st.st_ino))
                return
        self.files.add(_resolved(p))
        ident = _identity(p)
        if ident is not None:
            self._ids.add(ident)

    def _is_input(self, target: Path, resolved: Path) -> bool:
        if resolved in self.files:
            return True
        ident = _identity(target)
        return ident is not None and ident in self._ids

    def _input_folder(self, resolved: Path) -> Path | None:
        return next((f for f in self.folders if f == resolved or f in resolved.parents), None)

    def problems(self, path: Path) -> list[Issue]:
        """Why ``path`` may not be written (empty: it may)."""
        loc = Location(file=str(path))
        target = _resolved(path)
        if self._is_input(path, target):
            return [error("output-is-input", loc, path=str(path))]
        if path.is_dir():
            return [error("output-is-folder", loc, path=str(path))]
        folder = self._input_folder(target)
        if folder is not None:
            # even with --force, an enterprise's workbook in the folder is never replaced
            if target.exists() and target.suffix.lower() in WORKBOOK_SUFFIXES and not _is_report(target):
                return [error("output-is-input", loc, path=str(path))]
            if not self.force:
                return [error("output-in-input-dir", loc, path=str(folder))]
        if os.path.lexists(path) and not self.force:  # a dangling link is a name taken too
            return [error("output-exists", loc, path=str(path))]
        return self._folder_writable(path.parent, loc)

    def folder_problems(self, folder: Path) -> list[Issue]:
        """Why files may not be written into ``folder`` (``--cards DIR``, ``council forms -o DIR``)."""
        loc = Location(file=str(folder))
        if folder.exists() and not folder.is_dir():
            return [error("output-not-folder", loc, path=str(folder))]
        target = _resolved(folder)
        inside = self._input_folder(target)
        if inside is not None and not self.force:
            return [error("output-in-input-dir", loc, path=str(inside))]
        return self._folder_writable(folder, loc)

    def _folder_writable(self, folder: Path, loc: Location) -> list[Issue]:
        # the nearest folder that exists is the one that must take the new entries
        probe = folder if str(folder) else Path(".")
        while not probe.exists() and probe.parent != probe:
            probe = probe.parent
        if probe.exists() and not probe.is_dir():
            return [error("output-not-folder", loc, path=str(probe))]
        if not os.access(probe, os.W_OK | os.X_OK):
            return [error("output-folder-read-only", loc, path=str(probe))]
        return []

    def require(self, paths: Sequence[Path] = (), folders: Sequence[Path] = ()) -> None:
        """Raise SpcnclError with every problem of the given targets (before any work is done)."""
        found = [i for p in paths for i in self.problems(p)] + [i for f in folders for i in self.folder_problems(f)]
        if found:
            raise SpcnclError(found)

    def write(self, path: Path, write: Callable[[Path], T]) -> T:
        """Check ``path`` (again: time has passed since the run began), then write it atomically."""
        self.require([path])
        return write_atomically(path, write, replace=self.force and os.path.lexists(path))


def _write_error(path: Path, exc: OSError) -> SpcnclError:
    loc = Location(file=str(path))
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return SpcnclError([error("output-folder-read-only", loc, path=str(path.parent))])
    return SpcnclError([error("output-write-failed", loc, path=str(path), detail=exc.strerror or str(exc))])


@contextlib.contextmanager
def atomic_path(path: Path, *, replace: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; put it in place as ``path`` only on success.

    ``replace`` False: ``path`` must not exist when the file is put in place (a concurrent run
    that got there first wins; this one raises ``output-taken``). An exception, Ctrl-C or SIGTERM
    while writing removes the temporary file, so a reader never sees a half-written file.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(path, exc) from exc
    # the name is chosen before the file is made, inside the try: a signal that lands between
    # making the file and knowing its name (SIGTERM is raised where the program happens to be)
    # still finds the name to remove
    tmp_path = path.parent / f".{path.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}"
    try:
        try:
            os.close(os.open(tmp_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError as exc:  # 48 random bits met another run's: not ours to remove
            tmp_path = path.parent / f".{path.name}.{secrets.token_hex(6)}.mine{TEMP_SUFFIX}"
            raise _write_error(path, exc) from exc
        except OSError as exc:
            raise _write_error(path, exc) from exc
        yield tmp_path
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp_path, 0o666 & ~mask)  # made private while half-written; a report is an ordinary file
        if replace:
            os.replace(tmp_path, path)
        else:
            _link_exclusively(tmp_path, path)
    except FileExistsError as exc:
        raise SpcnclError([error("output-taken", Location(file=str(path)), path=str(path))]) from exc
    except OSError as exc:
        raise _write_error(path, exc) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp_path.unlink()


def _link_exclusively(tmp: Path, path: Path) -> None:
    """Give ``tmp`` the name ``path`` only if nothing has that name: FileExistsError otherwise."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
            raise
        # no hard links here (FAT on a USB stick, some network shares): take the name with
        # O_EXCL, then rename the finished file over the empty placeholder
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        os.replace(tmp, path)


def write_atomically(path: Path, write: Callable[[Path], T], *, replace: bool = False) -> T:
    """Call ``write`` on a temporary path beside ``path``; put it in place when it returns.

    Only the guard (``OutputGuard.write``) decides ``replace``; this is its last step.
    """
    with atomic_path(path, replace=replace) as tmp:
        return write(tmp)
