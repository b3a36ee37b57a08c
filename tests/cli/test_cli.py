"""The CLI: thin over the library, one-line errors with documented exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS, needs_model

KGBUILD = [sys.executable, "-m", "kgbuild"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*KGBUILD, *args], capture_output=True, text=True, cwd=cwd, timeout=600)


def test_cli_version():
    r = run("--version")
    assert r.returncode == 0
    assert r.stdout.startswith("kgbuild ")


@pytest.mark.parametrize("command", ["build", "query", "view", "eval"])
def test_cli_help_on_every_command(command):
    r = run(command, "--help")
    assert r.returncode == 0, r.stderr
    assert "Usage" in r.stdout


def test_cli_missing_input_is_one_line_error(tmp_path):
    r = run("build", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "out"))
    assert r.returncode == 3
    assert "Traceback" not in r.stderr
    assert r.stderr.strip().count("\n") == 0
    assert "nope.txt" in r.stderr


def test_cli_empty_file_is_input_error(tmp_path):
    (tmp_path / "empty.txt").write_text("   \n")
    r = run("build", str(tmp_path / "empty.txt"), "--out", str(tmp_path / "out"))
    assert r.returncode == 3, r.stderr
    assert "Traceback" not in r.stderr


def test_cli_binary_file_is_input_error(tmp_path):
    (tmp_path / "paper.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00")
    r = run("build", str(tmp_path / "paper.txt"), "--out", str(tmp_path / "out"))
    assert r.returncode == 3, r.stderr
    assert "Traceback" not in r.stderr


def test_cli_unknown_model_is_model_error(tmp_path):
    (tmp_path / "a.txt").write_text("Rebels attacked the town of Goma on Monday.\n")
    r = run("build", str(tmp_path / "a.txt"), "--out", str(tmp_path / "out"), "--model", "no_such_model_xx")
    assert r.returncode == 4, r.stderr
    assert "no_such_model_xx" in r.stderr and "install" in r.stderr


def test_cli_unknown_format_is_usage_error(tmp_path):
    (tmp_path / "a.txt").write_text("Rebels attacked the town of Goma on Monday.\n")
    r = run("build", str(tmp_path / "a.txt"), "--out", str(tmp_path / "out"), "--format", "ttl,xyz")
    assert r.returncode == 2
    assert "xyz" in r.stderr


def test_cli_bad_sparql_is_query_error(sample_build):
    r = run("query", str(sample_build), "SELECT ?x WHERE { ?x")
    assert r.returncode == 7
    assert "Traceback" not in r.stderr


@needs_model
def test_cli_build_then_query_and_view(tmp_path):
    out = tmp_path / "out"
    r = run("build", str(SEEDS), "--out", str(out), "--quiet")
    assert r.returncode == 0, r.stderr
    assert "1 articles" in r.stdout and "triples" in r.stdout
    for name in ("graph.ttl", "graph.html", "annotations.jsonl"):
        assert (out / name).stat().st_size > 0
    q = run("query", str(out / "graph.ttl"), "SELECT (COUNT(*) AS ?n) WHERE { ?e a kgb:Event }", "--format", "csv")
    assert q.returncode == 0, q.stderr
    assert int(q.stdout.splitlines()[1]) > 0
    v = run("view", str(out / "graph.ttl"), "--out", str(tmp_path / "v.html"))
    assert v.returncode == 0, v.stderr
    assert (tmp_path / "v.html").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
