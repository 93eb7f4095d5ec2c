"""Reading local files with a size cap: regular files, devices and pipes."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from bot.files import MAX_FILE_BYTES, FileReadError, format_size, read_capped


def test_a_file_up_to_the_cap_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "digest.txt"
    path.write_bytes(b"x" * 10)
    assert read_capped(path, cap=10) == b"x" * 10


def test_a_regular_file_over_the_cap_is_refused_by_its_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as file:
        file.truncate(200 * 1024 * 1024)  # sparse: 200 MB that cost no disk
    with pytest.raises(FileReadError, match=r"huge\.txt: larger than 10 MB, the limit"):
        read_capped(path)


def test_an_endless_device_is_read_to_the_cap_only() -> None:
    zero = Path("/dev/zero")
    if not zero.exists():
        pytest.skip("no /dev/zero on this system")
    with pytest.raises(FileReadError, match="larger than 64 KB"):
        read_capped(zero, cap=64 * 1024)


def test_a_pipe_longer_than_the_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fifo"
    os.mkfifo(path)
    written: list[int] = []

    def write() -> None:
        with path.open("wb") as pipe:
            try:
                written.append(pipe.write(b"y" * 100_000))
            except BrokenPipeError:
                written.append(-1)  # the reader stopped at the cap and closed

    writer = threading.Thread(target=write)
    writer.start()
    try:
        with pytest.raises(FileReadError, match="larger than 1000 bytes"):
            read_capped(path, cap=1000)
    finally:
        writer.join(timeout=10)
    assert written


@pytest.mark.parametrize(
    ("name", "message"), [("missing.txt", "no such file"), (".", "is a directory")]
)
def test_missing_files_and_directories_are_one_line(
    tmp_path: Path, name: str, message: str
) -> None:
    with pytest.raises(FileReadError, match=message):
        read_capped(tmp_path / name)


def test_the_stated_limit_is_the_fetch_limit() -> None:
    assert format_size(MAX_FILE_BYTES) == "10 MB"
    assert format_size(1500) == "1500 bytes"
