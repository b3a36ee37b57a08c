"""The eval stage: scoring extraction against annotated news (`kgbuild eval`).

- evaluate.py: gold and predictions in the shared JSON-lines format, scored
  at mention and entity-node level (the rules of the shared score_gold.py);
- baselines.py: two bare baselines (statistical NER, a trigger lexicon) that
  kgbuild's extraction must beat (scripts/quality.py).
"""
