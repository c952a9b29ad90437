"""Finding the files to ingest and reading their bytes safely.

A document is known by its path under the folder it was found in (`2021/brief.txt`), so two files
with the same name in different folders are two documents. Symbolic links that lead out of that
folder are refused unless asked for, special files (FIFOs, devices, sockets) are never opened for
reading, and no file is read past the size limit.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dyadwatch.errors import Errors, InputError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DATABASE_SUFFIXES = (".db", ".db-wal", ".db-shm", ".db-journal", ".sqlite", ".sqlite3")  # dyadwatch's own store
SPECIAL_KINDS = ((stat.S_ISFIFO, "FIFO (named pipe)"), (stat.S_ISCHR, "character device"),
                 (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"))


@dataclass(frozen=True)
class InputFile:
    """A regular file to ingest: where it is, and the name users see (its path under the folder given)."""

    path: Path
    name: str

    @property
    def shown_path(self) -> str:
        return shown(self.path)


def shown(path: Path | str) -> str:
    """A path as text that can be printed and stored: bytes that are not UTF-8 become \\xNN escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def iter_input_files(paths: Iterable[str | Path], follow_links: bool = False) -> Iterator[InputFile | InputError]:
    """The files under `paths`, folders read recursively (hidden files and databases skipped), in name order
    per argument; what cannot be ingested comes as an InputError in its place."""
    for raw in paths:
        path = Path(raw)
        info = _stat(path)
        if isinstance(info, InputError):
            yield info
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from sorted(_walk(path, follow_links), key=_sort_key)
        else:
            yield _classify(path, info, shown(path.name))


def _stat(path: Path) -> os.stat_result | InputError:
    """What the file system says of `path` (through a link), or the error naming why it cannot be read."""
    try:
        return path.stat()
    except OSError as error:
        return _missing_or_unreadable(path, error)


def _sort_key(item: InputFile | InputError) -> str:
    return item.name if isinstance(item, InputFile) else item.path


def _walk(root: Path, follow_links: bool) -> Iterator[InputFile | InputError]:
    real_root = os.path.realpath(root)
    seen = {_identity(root.stat())}
    folders = [(root, "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as error:
            yield InputError(shown(folder), Errors.E030, reason=_reason(error))
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry.name.endswith(DATABASE_SUFFIXES):
                continue
            path, name = Path(entry.path), shown(prefix + entry.name)
            refused = _link_out_of(path, real_root) if entry.is_symlink() and not follow_links else None
            if refused is not None:
                yield refused
                continue
            info = _stat(path)
            if isinstance(info, InputError):
                yield info
                continue
            if stat.S_ISDIR(info.st_mode):
                if _identity(info) not in seen:  # a link back up the tree is read once
                    seen.add(_identity(info))
                    folders.append((path, f"{prefix}{entry.name}/"))
                continue
            yield _classify(path, info, name)


def _link_out_of(path: Path, real_root: str) -> InputError | None:
    """An error when the symbolic link `path` leads outside `real_root`."""
    target = os.path.realpath(path)
    if os.path.commonpath([real_root, target]) == real_root:
        return None
    return InputError(shown(path), Errors.E035, target=shown(target))


def _classify(path: Path, info: os.stat_result, name: str) -> InputFile | InputError:
    if stat.S_ISREG(info.st_mode):
        return InputFile(path, name)
    kind = next((kind for test, kind in SPECIAL_KINDS if test(info.st_mode)), "special file")
    return InputError(shown(path), Errors.E034, kind=kind)


def _missing_or_unreadable(path: Path, error: OSError) -> InputError:
    if isinstance(error, FileNotFoundError):
        if path.is_symlink():
            return InputError(shown(path), Errors.E030, reason=f"a broken symbolic link to {shown(os.readlink(path))}")
        return InputError(shown(path), Errors.E001)
    return InputError(shown(path), Errors.E030, reason=_reason(error))


def _identity(info: os.stat_result) -> tuple[int, int]:
    return info.st_dev, info.st_ino


def read_bytes(file: InputFile, max_bytes: int) -> bytes:
    """The file's bytes. Opened without blocking and checked again once open, so that a FIFO that took the
    file's place since it was listed cannot hang the run; never reads more than `max_bytes` + 1 bytes."""
    try:
        descriptor = os.open(file.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise _missing_or_unreadable(file.path, error) from None
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        problem = _classify(file.path, info, file.name)
        if isinstance(problem, InputError):
            raise problem
        if info.st_size > max_bytes:
            raise InputError(file.shown_path, Errors.E032, size=_size(info.st_size), limit=_size(max_bytes))
        try:
            data = handle.read(max_bytes + 1)
        except OSError as error:
            raise InputError(file.shown_path, Errors.E030, reason=_reason(error)) from None
    if len(data) > max_bytes:  # a file that grew, or one whose size the system does not tell (/proc)
        raise InputError(file.shown_path, Errors.E032, size=f"over {_size(max_bytes)}", limit=_size(max_bytes))
    return data


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def _size(count: int) -> str:
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if count >= factor:
            return f"{count / factor:.1f} {unit}"
    return f"{count} bytes"
