"""The analysis stage: the graph as networks, tables and pictures for analysts.

All of it reads a graph through SPARQL (kgbuild.store) and never touches RDF
files directly:

- network.py: actor and event graphs as networkx graphs, network statistics
  (`kgbuild stats`);
- export.py: GraphML, GEXF, CSV and the event table (`kgbuild export`);
- acled.py: that event table in ACLED's columns;
- story.py: each article's events in text order (`kgbuild story`);
- timeline.py: events by date and type as a PNG (`kgbuild timeline`).
"""
