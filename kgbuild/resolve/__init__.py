"""The resolve stage: what is the same thing across mentions and articles (spaCy-free).

Events: eventcoref.py groups event mentions that describe one real event,
within an article and across articles (same type family, compatible
modality and time, a shared participant or place), and orders the clusters
in time.  kgbuild.rdf.coref turns the clusters into the coreference graph
<{base}graph/coref> at the end of a build (kgbuild.run.build).

Entities need no pass of their own: an entity's key is article-independent
(a curated id from kgbuild.kb, actors.jsonl and the gazetteer, else the slug
of its normalised name; set in kgbuild.extract.entities), and
kgbuild.rdf.iris mints an entity's IRI from its key alone, so the same actor
or place in two articles is one RDF node when the article graphs are merged.
"""
