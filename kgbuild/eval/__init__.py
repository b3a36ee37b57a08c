"""The eval stage: scoring extraction against annotated news (`kgbuild eval`).

- evaluate.py: the scorer's API (`evaluate`, `evaluate_files`, reports);
  gold and predictions in the shared JSON-lines format, scored at mention
  and entity-node level with the rules of the shared score_gold.py;
  gold.py (loading and checking gold), mentions.py (mention-level
  matching), nodes.py (entity-node scores), scores.py (counts, options,
  the report record);
- baselines.py: two bare baselines (statistical NER, a trigger lexicon) that
  kgbuild's extraction must beat (scripts/quality.py).
"""
