"""Reading a local file whole, but never past a stated size."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from bot.sources.fetch import DEFAULT_MAX_BYTES

#: the largest file ``ingest`` and ``sources import`` read: the same cap as a fetch.
MAX_FILE_BYTES = DEFAULT_MAX_BYTES


class FileReadError(Exception):
    """A file could not be read, or is too large; the message is one line, with the path."""


def read_capped(path: Path, cap: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``path``, refused when there are more than ``cap``.

    A regular file's size is checked before reading; anything else (``/dev/zero``, a pipe)
    is read to at most ``cap + 1`` bytes, so it costs no more memory than the cap.

    Raises:
        FileReadError: missing, a directory, unreadable, or larger than ``cap``.
    """
    try:
        with path.open("rb") as file:
            info = os.fstat(file.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise FileReadError(f"{path}: is a directory, not a file")
            if stat.S_ISREG(info.st_mode) and info.st_size > cap:
                raise _too_large(path, cap)
            data = file.read(cap + 1)
    except FileNotFoundError:
        raise FileReadError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise FileReadError(f"{path}: is a directory, not a file") from None
    except OSError as error:
        raise FileReadError(f"{path}: cannot read it ({error.strerror})") from None
    if len(data) > cap:
        raise _too_large(path, cap)
    return data


def format_size(size: int) -> str:
    """``10 MB``, ``64 KB`` or ``300 bytes``."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale and size % scale == 0:
            return f"{size // scale} {unit}"
    return f"{size} bytes"


def _too_large(path: Path, cap: int) -> FileReadError:
    return FileReadError(f"{path}: larger than {format_size(cap)}, the limit for one file")
