"""Atomic writes (kgbuild.run.atomic): readers see the old file or the new one, never half."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kgbuild.errors import OutputError
from kgbuild.run.atomic import atomic_open, atomic_write


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_atomic_write_text_and_bytes(tmp_path):
    p = tmp_path / "out.ttl"
    atomic_write(p, "line one\nline two \u00e9\n")
    assert p.read_bytes() == "line one\nline two \u00e9\n".encode()
    atomic_write(p, b"\x00\x01bytes")
    assert p.read_bytes() == b"\x00\x01bytes"
    assert leftovers(tmp_path) == []
    with pytest.raises(TypeError):
        atomic_write(p, 42)  # type: ignore[arg-type]


def test_atomic_open_keeps_the_old_file_when_the_writer_raises(tmp_path):
    p = tmp_path / "graph.nq"
    p.write_text("old content\n")
    with pytest.raises(RuntimeError, match="serializer failed"):
        with atomic_open(p) as f:
            f.write("new content, first half\n")
            f.flush()
            raise RuntimeError("serializer failed")
    assert p.read_text() == "old content\n"
    assert leftovers(tmp_path) == []


def test_atomic_open_interrupted_writer_leaves_no_new_file(tmp_path):
    p = tmp_path / "new.jsonl"
    with pytest.raises(KeyboardInterrupt):
        with atomic_open(p, "wb") as f:
            f.write(b"partial")
            raise KeyboardInterrupt
    assert not p.exists()
    assert leftovers(tmp_path) == []


def test_atomic_open_success_and_permissions(tmp_path):
    p = tmp_path / "out.txt"
    p.write_text("old")
    p.chmod(0o640)
    with atomic_open(p) as f:
        f.write("a\r\nb\n")
    assert p.read_bytes() == b"a\r\nb\n"  # no newline translation
    assert stat.S_IMODE(p.stat().st_mode) == 0o640
    umask = os.umask(0o022)
    os.umask(umask)
    fresh = tmp_path / "fresh.txt"
    atomic_write(fresh, "x")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask  # not mkstemp's 0o600


def test_atomic_write_follows_symlinks(tmp_path):
    target = write(tmp_path / "real.txt", "old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    atomic_write(link, "new")
    assert link.is_symlink()
    assert target.read_text() == "new"


def test_atomic_write_into_a_missing_directory(tmp_path):
    with pytest.raises(OutputError) as info:
        atomic_write(tmp_path / "no" / "such" / "dir.txt", "x")
    assert info.value.exit_code == 5
    assert "cannot write" in str(info.value)


def test_atomic_open_rejects_other_modes(tmp_path):
    with pytest.raises(ValueError):
        with atomic_open(tmp_path / "x", "a"):
            pass
