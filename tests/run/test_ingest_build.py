"""`kgbuild build` on hostile input directories (issue 17): its own outputs, FIFOs,
non-UTF-8 file names, reserved and unprintable ids, --date, and the source field."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import needs_model

KGBUILD = [sys.executable, "-m", "kgbuild"]


def run(*args: str | Path, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*KGBUILD, *map(str, args)], capture_output=True, text=True, timeout=timeout, errors="backslashreplace"
    )


def annotations(out: Path) -> dict[str, dict]:
    lines = (out / "annotations.jsonl").read_text(encoding="utf-8").splitlines()
    return {row["doc_id"]: row for row in map(json.loads, lines)}


@needs_model
def test_out_inside_the_input_and_special_files(tmp_path: Path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "idlib.txt").write_text(
        "date: 2024-03-01\ntitle: Shelling in Idlib\n\n"
        "Shelling hit Idlib on Tuesday, killing five civilians, rescuers said.\n"
    )
    (src / "manbij.txt").write_text("Troops entered Manbij on Wednesday after heavy fighting.\n")
    (src / "coref.txt").write_text("Rebels shelled Aleppo on Friday, a monitor said.\n")
    (src / "kobani-report.html").write_text(
        "<html><head><title>Kobani</title></head><body>"
        "<p>Fighters captured Kobani on Monday, officials said.</p></body></html>"
    )
    with open(os.fsencode(src) + b"/caf\xe9.txt", "wb") as f:
        f.write(b"Militants attacked a checkpoint near Homs on Sunday.\n")
    os.mkfifo(src / "pipe.txt")
    out = src / "out"

    first = run("build", src, "--out", out, "-q", "--no-html", "--date", "2023-05-05")
    assert first.returncode == 0, first.stderr
    rows = annotations(out)
    second = run("build", src, "--out", out, "-q", "--date", "2023-05-05")  # would hang on the FIFO, re-read out/
    assert second.returncode == 0, second.stderr
    second = run("build", src, "--out", out, "-q", "--date", "2023-05-05")  # now with a graph.html to skip too
    assert second.returncode == 0, second.stderr
    again = annotations(out)
    assert again == rows, "the previous outputs were not read back as articles"
    assert "a FIFO" in second.stderr and "written by kgbuild" in second.stderr
    report = (out / "report.jsonl").read_text(encoding="utf-8")
    assert "pipe.txt" in report and "graph.html" in report and "annotations.jsonl" in report

    assert len(rows) == 5 and "coref" not in rows
    assert rows["idlib"]["date"] == "2024-03-01" and rows["idlib"]["title"] == "Shelling in Idlib"
    assert rows["idlib"]["text"].startswith("Shelling hit Idlib")
    assert rows["manbij"]["date"] == "2023-05-05"
    assert rows["kobani-report"]["source"] == str(src / "kobani-report.html")
    assert {row["source"] for row in rows.values()} >= {str(src / "manbij.txt"), str(src / "caf\\xe9.txt")}
    graphs = {line.rsplit(" ", 2)[-2] for line in (out / "graph.nq").read_text(encoding="utf-8").splitlines()}
    assert sum(g.endswith("/graph/coref>") for g in graphs) == 1  # the layer alone, no article merged into it


@needs_model
@pytest.mark.parametrize(
    "record,message",
    [
        ({"id": "a\nb", "text": "Troops entered Manbij."}, "contains a control character (U+000A)"),
        ({"id": "a\u0000b", "text": "Troops entered Manbij."}, "contains a control character (U+0000)"),
        ({"id": "coref", "text": "Troops entered Manbij."}, "is reserved"),
    ],
)
def test_bad_ids_exit_3_and_leave_the_outputs(tmp_path: Path, record, message):
    good = tmp_path / "good.txt"
    good.write_text("Troops entered Manbij on Wednesday.\n")
    out = tmp_path / "out"
    assert run("build", good, "--out", out, "-q", "--no-html").returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(record) + "\n")
    res = run("build", good, bad, "--out", out, "-q", "--no-html")
    assert res.returncode == 3, res.stderr
    assert message in res.stderr and "Traceback" not in res.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_bad_date_is_a_usage_error(tmp_path: Path):
    (tmp_path / "a.txt").write_text("Troops entered Manbij.\n")
    res = run("build", tmp_path / "a.txt", "--out", tmp_path / "out", "--date", "30/08/2017")
    assert res.returncode == 2, res.stderr
    assert "--date" in res.stderr and "Traceback" not in res.stderr
