"""The parts of kgbuild_entities (kgbuild/extract/entities.py): types, data, tokens, ruler, artifacts, nodes, nominals, pronouns, names, dates."""
