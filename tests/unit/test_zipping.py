"""The two-thread deflate of a package's collection reads back as the same bytes."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from srs_crss.anki import zipping


@pytest.mark.parametrize("size", [0, 1, 1000, 4096, 4097, 3 * 4096 + 5])
def test_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    monkeypatch.setattr(zipping, "_CHUNK", 4096)  # several chunks, joined into one stream
    data = (os.urandom(size // 2) + b"collection" * size)[:size]
    source = tmp_path / "collection.anki2"
    source.write_bytes(data)
    target = tmp_path / "out.apkg"
    zipping.write(target, [("collection.anki2", source), ("media", b"{}")])
    with zipfile.ZipFile(target) as package:
        assert package.testzip() is None
        assert package.namelist() == ["collection.anki2", "media"]
        assert package.read("collection.anki2") == data
        assert package.read("media") == b"{}"
        info = package.getinfo("collection.anki2")
        assert info.compress_type == zipfile.ZIP_DEFLATED and info.file_size == size
        assert 1 <= info.date_time[1] <= 12 and 1 <= info.date_time[2] <= 31
