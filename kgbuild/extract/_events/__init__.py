"""The parts of kgbuild_events (kgbuild/extract/events.py): lexicon, context, triggers, roles, modality, quotes."""
