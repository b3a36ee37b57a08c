"""The viz stage: an RDF graph in, one self-contained, offline HTML viewer page out.

Why it is built this way (see issue 7):

- pyvis builds the network data (nodes, edges, vis-network options), but its
  own HTML writers are never used: `write_html` in `local` mode copies a lib/
  folder into the working directory and every mode links Bootstrap or a CDN.
  We fill our own template (kgbuild/viz/assets/) and inline vis-network's
  JS/CSS read from the installed pyvis package, so the page is one file that
  makes no request when it opens.
- Every piece of article text (names, sentences, quotes, titles) travels as
  JSON inside `<script type="application/json">`, with `<`, `>`, `&` and
  U+2028/2029 escaped, and the page only ever writes it with textContent.
  A Content-Security-Policy allows nothing but the page's own two scripts
  (by hash) and data: images, as a second wall should anything slip through.
- Evidence (sentences, highlight offsets relative to the sentence, article
  title and date, codes) is computed here, so the page does no text work.
- Positions are computed here (networkx spring layout per connected
  component, a sampled force layout for big components); physics is off past
  PHYSICS_MAX_NODES, so 5,000 nodes open in a couple of seconds.
- Output is deterministic: nodes and edges sorted by IRI, fixed seeds,
  rounded positions, sorted JSON keys, no timestamps.

How a page is made, in the order of `render` (render.py):

1. triples.py: the graph's triples, indexed once (from rdflib or pyoxigraph);
2. model.py: what the page shows: entity and event nodes, role and direct
   edges, evidence sentences (ontology.py: class depth, styles, roles, codes
   read from the ontology data);
3. positions.py: node positions (spring layout per component, sampled force
   layout for big ones);
4. page.py: the page data (pyvis network, legend, options) as escaped JSON,
   filled into assets/viewer.html with vis-network inlined.

style.py holds the tunables and the visual vocabulary (colours, shapes).
"""

from .render import render_graph, render_path

__all__ = ["render_graph", "render_path"]
