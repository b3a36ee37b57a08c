"""The run stage: the order of the stages, and where they run.

`kgbuild build` (build.py) is the one place the whole run is written down:

1. ingest the inputs (kgbuild.ingest) and cut them into partitions
   (parallel.py);
2. run each partition through the per-article chain (chain.py): extract
   (pipeline.py, spaCy + kgbuild.extract) -> RDF (kgbuild.rdf.convert) ->
   sorted N-Quads run, annotation line (annotations.py), coreference record;
   in this process, on N local processes (parallel.py) or on a Dask cluster
   (distributed.py);
3. merge the partitions' sorted runs (sink.py) into graph.nq and
   annotations.jsonl, add the cross-document event coreference layer
   (kgbuild.rdf.coref over kgbuild.resolve);
4. write the other formats, the viewer (kgbuild.viz), report.jsonl and,
   with --store, the on-disk store (kgbuild.store.persist).

Files: build.py (steps 1-4), chain.py (the per-article chain, one partition),
pipeline.py (spaCy over a stream of articles), parallel.py (partitions, local
processes), distributed.py (Dask), sink.py (sorted runs, k-way merge),
annotations.py (annotations.jsonl lines), atomic.py (all-or-nothing file
writes, also used by the other stages that write files).
"""
