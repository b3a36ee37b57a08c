"""Outputs are replaced as a set; bad output paths are refused before any work (issue 17)."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS, needs_model
from kgbuild.run.atomic import OutputSet, atomic_write
from kgbuild.errors import OutputError

KGBUILD = [sys.executable, "-m", "kgbuild"]


def test_nothing_moves_until_commit(tmp_path: Path):
    (tmp_path / "a").write_text("old a")
    (tmp_path / "b").write_text("old b")
    with pytest.raises(RuntimeError):
        with OutputSet() as outs:
            with outs.open(tmp_path / "a") as f:
                f.write(b"new a")
            raise RuntimeError("the second output failed")
    assert (tmp_path / "a").read_text() == "old a" and (tmp_path / "b").read_text() == "old b"
    assert sorted(os.listdir(tmp_path)) == ["a", "b"], "staged files are removed"


def test_commit_replaces_all_and_removes_what_was_asked(tmp_path: Path):
    (tmp_path / "report.jsonl").write_text("stale")
    with OutputSet() as outs:
        for name in ("a", "b"):
            with outs.open(tmp_path / name) as f:
                f.write(name.encode())
        outs.remove(tmp_path / "report.jsonl")
        outs.commit()
    assert sorted(os.listdir(tmp_path)) == ["a", "b"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_not_replaced_nor_opened(tmp_path: Path):
    fifo = tmp_path / "graph.nq"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="not a regular file"):
        atomic_write(fifo, "x")
    with pytest.raises(OutputError, match="not a regular file"):
        with OutputSet() as outs:
            with outs.open(fifo) as f:
                f.write(b"x")
    assert fifo.is_fifo()


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*KGBUILD, *args], capture_output=True, text=True, timeout=600, cwd=cwd)


@needs_model
def test_an_unwritable_output_leaves_the_previous_set_whole(tmp_path: Path):
    out = tmp_path / "out"
    assert run("build", str(SEEDS), "--out", str(out), "--quiet").returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (out / "graph.html").unlink()
    (out / "graph.html").mkdir()  # the last output cannot be written
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.txt").write_text("Rebels attacked the town of Goma on Monday, the army said.\n")
    r = run("build", str(other), "--out", str(out), "--quiet")
    assert r.returncode != 0 and "Traceback" not in r.stderr
    for name, data in before.items():
        if name != "graph.html":
            assert (out / name).read_bytes() == data, f"{name} was replaced although the set failed"


@pytest.mark.parametrize("out", ["", "  "])
def test_empty_out_is_a_usage_error(tmp_path: Path, out: str):
    r = run("build", str(SEEDS), "--out", out, cwd=tmp_path)
    assert r.returncode == 2 and "--out is empty" in r.stderr
    assert os.listdir(tmp_path) == []


def test_store_problems_come_before_extraction(tmp_path: Path):
    # a model that does not exist: if extraction started first, the error would be about it
    r = run(
        "build", str(SEEDS), "--out", str(tmp_path / "o"), "--store", str(tmp_path / "o"), "--model", "no_such_model"
    )
    assert r.returncode == 2 and "separate directories" in r.stderr
    store = tmp_path / "store"
    store.mkdir()
    (store / "kgbuild.lock").touch()
    fd = os.open(store / "kgbuild.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        r = run("build", str(SEEDS), "--out", str(tmp_path / "o2"), "--store", str(store), "--model", "no_such_model")
    finally:
        os.close(fd)
    assert "in use" in r.stderr and "no_such_model" not in r.stderr
    assert not (tmp_path / "o2").exists()
