"""The layout of the entity extractor (issue 15): small modules, no private names shared
between them, word lists from data files, configuration passed explicitly."""

from __future__ import annotations

import ast
from pathlib import Path

import kgbuild.extract.entities as entities_module

PACKAGE = Path(entities_module.__file__).resolve().parent
MODULES = [PACKAGE / "entities.py", *sorted((PACKAGE / "_entities").glob("*.py"))]


def test_no_entity_module_is_over_600_lines():
    for path in MODULES:
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 600, path.name


def test_no_private_name_is_imported_across_modules():
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                private = [a.name for a in node.names if a.name.startswith("_") and a.name != "__future__"]
                assert not private, f"{path.name} imports {private} from {node.module}"


def test_speech_verbs_come_from_the_trigger_lexicon():
    from kgbuild.extract._entities.data import DATA_DIR, speech_verbs

    verbs = speech_verbs()
    assert {"say", "tell", "deny"} <= verbs
    rows = [
        line.split("\t")
        for line in (DATA_DIR / "triggers.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    marked = {r[0] for r in rows if len(r) > 3 and "speech" in r[3].split(";")}
    assert verbs == marked


def test_components_read_alias_files_from_config_not_the_environment(tmp_path, monkeypatch):
    import json

    from spacy.lang.en import English

    from kgbuild.extract._entities.ruler import ActorRuler

    path = tmp_path / "a.jsonl"
    path.write_text(
        json.dumps({"id": "zz-front", "label": "Zeta Front", "class": "ArmedGroup"}) + "\n", encoding="utf-8"
    )
    monkeypatch.setenv("KGBUILD_ALIASES", str(path))
    nlp = English()
    ruler = ActorRuler(nlp, "r")
    ruler._ensure_matchers()
    assert ruler.table.lookup("Zeta Front") is None  # the environment is read at the edge only
    ruler = ActorRuler(nlp, "r", [str(path)])
    ruler._ensure_matchers()
    assert ruler.table.lookup("Zeta Front").id == "zz-front"


def test_the_cli_reads_the_environment_into_the_run_settings(monkeypatch):
    import os

    import pytest

    from kgbuild.cli.build import settings_from_env
    from kgbuild.errors import UsageError

    monkeypatch.setenv("KGBUILD_ALIASES", os.pathsep.join(["a.jsonl", "", "b.jsonl"]))
    monkeypatch.setenv("KGBUILD_DISCOURSE", "place, refer")
    settings = settings_from_env()
    assert settings.alias_files == ("a.jsonl", "b.jsonl") and settings.discourse == ("place", "refer")
    assert settings.config_for("kgbuild_entities") == {"alias_files": ["a.jsonl", "b.jsonl"]}
    assert settings.config_for("kgbuild_events") == {"discourse": ["place", "refer"]}
    monkeypatch.setenv("KGBUILD_DISCOURSE", "place,guess")
    with pytest.raises(UsageError, match="guess"):
        settings_from_env()
