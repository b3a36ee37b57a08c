"""notebooks/walkthrough.ipynb runs clean, so it never goes stale.

nbclient starts the "python3" kernel; jupyter_client replaces the spec's
bare `python` with sys.executable, so the kernel runs in this venv and
imports this kgbuild.  test_kernel_is_this_python checks that assumption
first, so a wrong interpreter fails with a clear message rather than an
ImportError inside the notebook.
"""

from __future__ import annotations

import sys

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

from conftest import ROOT, SEEDS, needs_model  # noqa: E402

NOTEBOOK = ROOT / "notebooks" / "walkthrough.ipynb"
TIMEOUT = 600


def run(nb, tmp_path):
    client = nbclient.NotebookClient(
        nb, kernel_name="python3", timeout=TIMEOUT, resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    return nb


def outputs_text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        parts.extend(str(v) for k, v in out.get("data", {}).items() if k.startswith("text/"))
    return "".join(parts)


def test_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "the walkthrough has no code"
    assert all(c.outputs == [] and c.execution_count is None for c in code), "clear the outputs before committing"
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_notebook_calls_kgbuild_only():
    """No logic of its own: no function or class definitions in the notebook."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "def " not in source and "class " not in source
    assert "import kgbuild" in source


def test_kernel_is_this_python(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys; print(sys.prefix)")])
    run(nb, tmp_path)
    assert outputs_text(nb.cells[0]).strip() == sys.prefix


@needs_model
def test_walkthrough_runs_clean(tmp_path, monkeypatch):
    monkeypatch.setenv("KGBUILD_SEEDS", str(SEEDS))  # the kernel inherits the environment
    nb = run(nbformat.read(NOTEBOOK, as_version=4), tmp_path)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors
    text = "\n".join(outputs_text(c) for c in nb.cells)
    assert "articles" in text and "events" in text  # build summary
    assert "most central actors" in text
    assert "iframe" in text  # the viewer
    images = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert images, "the timeline was not drawn"
    assert list(tmp_path.iterdir()) == [], "the notebook wrote into its working directory"
