"""The store stage: what a path holds, SPARQL over it, the on-disk store, pushing, validating.

Every command that takes a graph path (query, stats, export, timeline,
validate, push, view) asks paths.py what the path holds: a graph file, a
`kgbuild build` output directory (its best graph file), or an on-disk
Oxigraph store.  Then:

- sparql.py: `open_store`/`run_query`, SPARQL on an embedded Oxigraph store,
  the union of the article graphs as default graph, parameters bound as terms;
- queries.py: the canned, parameterised queries (`query --name`, files in
  kgbuild/data/queries/);
- sparql_lint.py: checks on query text before it runs (SERVICE refused:
  kgbuild is offline; misspelt kgb: terms named);
- tables.py: query results as a text table, CSV or JSON;
- persist.py: the on-disk store of `build --store` / `query --store`
  (one writer or many readers, articles replaced atomically);
- graphs.py: the same paths read back as rdflib graphs, one per article
  (for validate and push);
- validate.py: SHACL validation, one article graph at a time;
- push.py: Graph Store protocol upload to a running triple store.
"""

from .sparql import QueryResult, open_store, run_query

__all__ = ["QueryResult", "open_store", "run_query"]
