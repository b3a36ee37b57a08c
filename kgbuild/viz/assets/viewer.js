/* kgbuild viewer: filters, views, search, time list and the evidence panel.
 *
 * Safety rule for this file: text from the graph (names, sentences, titles,
 * quotes) is only ever written with textContent / createTextNode.  No
 * innerHTML, no vis-network `title` tooltips (vis inserts those as HTML).
 * Evidence offsets and everything else are computed in Python; this file
 * only draws.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var nodeInfo = data.info.nodes;
  var edgeInfo = data.info.edges;
  var layouts = { main: {}, actors: {} };
  // Nodes without any edge are hidden at first when there are edges: they would
  // take half the canvas and shrink the story below label-drawing size.
  var state = { view: "story", classOff: new Set(), relOff: new Set(), lo: 0, hi: 0, undated: true, pinned: null,
                isolated: data.edges.length === 0 };
  var hiddenNode = {};
  var hiddenEdge = {};
  var inPhysics = {};

  data.nodes.forEach(function (n) {
    layouts.main[n.id] = { x: n.x, y: n.y };
    var a = nodeInfo[n.id].a;
    if (a) layouts.actors[n.id] = { x: a[0], y: a[1] };
  });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("kg-graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);

  var dates = sortedDates();
  state.hi = Math.max(0, dates.length - 1);

  // ---- small DOM helpers (text only) -------------------------------------------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function fact(dl, name, value) {
    if (value === undefined || value === null || value === "") return;
    dl.appendChild(el("dt", null, name));
    var dd = el("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = String(value);
    dl.appendChild(dd);
  }

  function swatch(shape, color) {
    var s = el("span", "kg-swatch kg-shape-" + shape);
    s.style.backgroundColor = color;
    return s;
  }

  function fmtConf(c) {
    return typeof c === "number" ? c.toFixed(2) : null;
  }

  // ---- evidence panel ---------------------------------------------------------------
  var panel = document.getElementById("kg-panel");

  function hint() {
    panel.replaceChildren(el("p", "kg-hint", "Click or hover a node or edge to see its evidence: the source sentence with the mention highlighted, the article, and the confidence."));
  }

  /** The sentence with its marks: plain text nodes and <mark> elements. */
  function sentence(item) {
    var text = data.sentences[item.s] || "";
    var q = el("blockquote", "kg-sentence");
    var at = 0;
    item.m.forEach(function (mk) {
      if (mk[0] > at) q.appendChild(document.createTextNode(text.slice(at, mk[0])));
      q.appendChild(el("mark", "kg-" + mk[2], text.slice(mk[0], mk[1])));
      at = mk[1];
    });
    if (at < text.length) q.appendChild(document.createTextNode(text.slice(at)));
    return q;
  }

  function evidence(items, more) {
    var box = el("section", "kg-evidence-list");
    box.appendChild(el("h3", null, "Evidence"));
    if (!items || !items.length) {
      box.appendChild(el("p", "kg-hint", "No evidence sentence recorded."));
      return box;
    }
    items.forEach(function (item) {
      var doc = data.docs[item.d] || {};
      var div = el("div", "kg-evidence");
      var src = el("div", "kg-source");
      src.appendChild(el("span", "kg-doc-title", doc.title || doc.id || "article"));
      if (doc.date) src.appendChild(el("span", "kg-doc-date", doc.date));
      div.appendChild(src);
      div.appendChild(sentence(item));
      if (typeof item.c === "number") div.appendChild(el("div", "kg-conf", "confidence " + fmtConf(item.c)));
      box.appendChild(div);
    });
    if (more) box.appendChild(el("p", "kg-hint", "… and " + more + " more"));
    return box;
  }

  function nodeLink(id) {
    var b = el("button", "kg-link", nodeInfo[id] ? nodeInfo[id].label : id);
    b.type = "button";
    b.addEventListener("click", function () { selectNode(id, true); });
    return b;
  }

  function eventFacts(dl, d) {
    fact(dl, "class", d.cls);
    fact(dl, "type", d.coarse);
    fact(dl, "CAMEO", d.cameo);
    fact(dl, "ACLED", [d.acled, d.acledSub].filter(Boolean).join(" — "));
    fact(dl, "PLOVER", d.plover);
    fact(dl, "date", d.date ? d.date + (d.dateOf === "article" ? " (article date)" : "") : null);
    fact(dl, "modality", d.modality);
    if (d.quote) fact(dl, "quote", el("q", "kg-quote", d.quote));
    fact(dl, "confidence", fmtConf(d.conf));
    fact(dl, "extractor", d.extractor);
  }

  function heading(title, kind) {
    panel.replaceChildren(el("h2", "kg-name", title), el("p", "kg-kind", kind));
  }

  function showNode(id) {
    var d = nodeInfo[id];
    if (!d) return hint();
    var legend = legendByKey[d.group];
    heading(d.label, (legend ? legend.label : d.cls) + (d.cls && legend && legend.label !== d.cls ? " · " + d.cls : ""));
    var dl = el("dl", "kg-facts");
    if (d.k === "event") {
      eventFacts(dl, d);
    } else {
      fact(dl, "class", d.cls);
      fact(dl, "also", d.alt && d.alt.join(", "));
      fact(dl, "identifiers", d.ids && d.ids.join(" "));
      fact(dl, "mentions", d.n);
      fact(dl, "confidence", fmtConf(d.conf));
    }
    panel.appendChild(dl);
    var roles = rolesOf(id);
    if (roles.length) {
      panel.appendChild(el("h3", null, d.k === "event" ? "Roles" : "Relations"));
      var ul = el("ul", "kg-roles");
      roles.forEach(function (r) {
        var li = el("li");
        li.appendChild(el("span", null, r.text + " "));
        li.appendChild(nodeLink(r.other));
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    }
    panel.appendChild(evidence(d.ev, d.more));
    panel.appendChild(el("div", "kg-iri", d.iri));
  }

  /** Edges touching a node, as "agent →" / "← opposes" lines. */
  function rolesOf(id) {
    var out = [];
    edges.get({ filter: function (e) { return e.from === id || e.to === id; } }).forEach(function (e) {
      var rel = edgeInfo[e.id].rel;
      out.push(e.from === id ? { text: rel + " →", other: e.to } : { text: "← " + rel, other: e.from });
    });
    return out;
  }

  function showEdge(id) {
    var d = edgeInfo[id];
    var e = edges.get(id);
    if (!d || !e) return hint();
    var from = nodeInfo[e.from], to = nodeInfo[e.to];
    heading(from.label + " — " + d.rel + " → " + to.label, d.kind === "role" ? "event role" : "actor relation");
    var dl = el("dl", "kg-facts");
    fact(dl, "from", nodeLink(e.from));
    fact(dl, "relation", d.rel);
    fact(dl, "to", nodeLink(e.to));
    if (d.kind === "role") eventFacts(dl, from);
    else fact(dl, "confidence", fmtConf(d.conf));
    panel.appendChild(dl);
    panel.appendChild(evidence(d.ev, d.more));
  }

  function show(item) {
    if (!item) hint();
    else if (item.type === "node") showNode(item.id);
    else showEdge(item.id);
  }

  function pin(item) {
    state.pinned = item;
    show(item);
  }

  function selectNode(id, focus) {
    if (!hiddenNode[id]) {
      network.selectNodes([id]);
      if (focus) {
        network.focus(id, { scale: Math.max(network.getScale(), 1), animation: false });
        if (!data.big) legible();
      }
    }
    pin({ type: "node", id: id });
  }

  function selectEdge(id) {
    if (edgeShown(edges.get(id) || { id: id })) network.selectEdges([id]);
    pin({ type: "edge", id: id });
  }

  network.on("click", function (p) {
    if (p.nodes.length) pin({ type: "node", id: p.nodes[0] });
    else if (p.edges.length) pin({ type: "edge", id: p.edges[0] });
    else pin(null);
  });
  network.on("hoverNode", function (p) { show({ type: "node", id: p.node }); });
  network.on("hoverEdge", function (p) { show({ type: "edge", id: p.edge }); });
  network.on("blurNode", function () { show(state.pinned); });
  network.on("blurEdge", function () { show(state.pinned); });

  // ---- legend and filters ---------------------------------------------------------
  var legendByKey = {};
  data.legend.forEach(function (g) { legendByKey[g.key] = g; });

  function checkRow(list, id, label, count, mark, onChange) {
    var li = el("li");
    var lab = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.key = id;
    box.addEventListener("change", function () { onChange(box.checked); });
    lab.appendChild(box);
    lab.appendChild(mark);
    lab.appendChild(el("span", null, label));
    lab.appendChild(el("span", "kg-count", count));
    li.appendChild(lab);
    list.appendChild(li);
  }

  function buildLegend() {
    var list = document.getElementById("kg-legend");
    data.legend.forEach(function (g) {
      checkRow(list, g.key, g.label, g.count, swatch(g.shape, g.color), function (on) {
        if (on) state.classOff.delete(g.key); else state.classOff.add(g.key);
        applyFilters();
      });
    });
  }

  function buildIsolatedSwitch() {
    var box = document.getElementById("kg-isolated");
    box.checked = state.isolated;
    box.addEventListener("change", function () {
      state.isolated = box.checked;
      applyFilters();
      relayout();
    });
  }

  function buildRelations() {
    var list = document.getElementById("kg-relations");
    var lastKind = null;
    data.relations.forEach(function (r) {
      if (r.kind !== lastKind) {
        list.appendChild(el("li", "kg-subhead", r.kind === "role" ? "event roles" : "actor relations"));
        lastKind = r.kind;
      }
      var line = el("span", "kg-line");
      line.style.backgroundColor = r.color;
      var key = r.kind + ":" + r.key;
      checkRow(list, key, r.key, r.count, line, function (on) {
        if (on) state.relOff.delete(key); else state.relOff.add(key);
        applyFilters();
      });
    });
  }

  // ---- visibility -------------------------------------------------------------------
  function inDateRange(d) {
    if (!d.date) return state.undated;
    return !dates.length || (d.date >= dates[state.lo] && d.date <= dates[state.hi]);
  }

  function nodeAllowed(id) {
    var d = nodeInfo[id];
    if (state.classOff.has(d.group)) return false;
    if (state.view === "story" && !d.sv) return false;
    if (d.k !== "event") return true;
    return state.view !== "actors" && inDateRange(d);
  }

  /** The edge's own filters.  Role edges need no flag in the actor view: vis
   *  hides every edge whose end is hidden, and the events are. */
  function edgeAllowed(e) {
    var d = edgeInfo[e.id];
    if (state.view === "events" && d.kind !== "role") return false;
    return !state.relOff.has(d.kind + ":" + d.rel);
  }

  /** Recompute what is hidden and send vis only what changed: each vis update
   *  costs a pass over the whole graph, which matters at 5,000 nodes.  On small
   *  graphs (physics on) hidden things also leave the simulation, or invisible
   *  nodes would push and pull the visible ones. */
  function applyFilters() {
    var ok = {}, degree = {}, nodeChanges = [], edgeChanges = [], shownNodes = 0, shownEdges = 0;
    data.nodes.forEach(function (n) { ok[n.id] = nodeAllowed(n.id); });
    data.edges.forEach(function (e) {
      var allowed = edgeAllowed(e), shown = allowed && ok[e.from] && ok[e.to], change = null;
      if (shown) {
        degree[e.from] = (degree[e.from] || 0) + 1;
        degree[e.to] = (degree[e.to] || 0) + 1;
        shownEdges++;
      }
      if (!!hiddenEdge[e.id] === allowed) change = { id: e.id, hidden: !allowed };
      if (!data.big && inPhysics[e.id] !== shown) {
        change = change || { id: e.id };
        change.physics = inPhysics[e.id] = shown;
      }
      if (change) edgeChanges.push(change);
      hiddenEdge[e.id] = !allowed;
    });
    data.nodes.forEach(function (n) {
      var visible = ok[n.id] && (degree[n.id] > 0 || (state.isolated && isolatedFits(nodeInfo[n.id])));
      if (visible) shownNodes++;
      if (!!hiddenNode[n.id] === visible) {
        nodeChanges.push(data.big ? { id: n.id, hidden: !visible } : { id: n.id, hidden: !visible, physics: visible });
      }
      hiddenNode[n.id] = !visible;
    });
    pushChanges(edgeChanges, nodeChanges);
    if (window.kgReady) fitView();  // every filter change: what is left fills the window
    document.getElementById("kg-stats").textContent =
      shownNodes + " of " + data.nodes.length + " nodes · " + shownEdges + " of " + data.edges.length + " edges";
    updateEventList();
  }

  /** Hand the hidden flags to vis.
   *  A DataSet update re-parses every item's options (tens of µs each), which
   *  makes a view switch take seconds at 5,000 nodes.  Big graphs (physics off)
   *  therefore set the parsed flag and let vis recompute what is visible once;
   *  hiddenNode/hiddenEdge, not the DataSets, are then the record of what is
   *  hidden.  If vis's internals ever differ, the public API is used. */
  function pushChanges(edgeChanges, nodeChanges) {
    var body = network.body;
    var direct = data.big && body && body.nodes && body.edges && body.emitter;
    if (!direct) {
      if (edgeChanges.length) edges.update(edgeChanges);
      if (nodeChanges.length) nodes.update(nodeChanges);
      return;
    }
    if (!edgeChanges.length && !nodeChanges.length) return;
    edgeChanges.forEach(function (c) { if (body.edges[c.id]) body.edges[c.id].options.hidden = c.hidden; });
    nodeChanges.forEach(function (c) { if (body.nodes[c.id]) body.nodes[c.id].options.hidden = c.hidden; });
    body.emitter.emit("_dataChanged");
  }

  /** Which unconnected nodes each view shows (when asked to). */
  function isolatedFits(d) {
    if (state.view === "events") return d.k === "event";
    if (state.view === "actors") return d.k !== "event";
    return true;
  }

  function edgeShown(e) {
    return !hiddenEdge[e.id] && !hiddenNode[e.from] && !hiddenNode[e.to];
  }

  // ---- views: all / events and roles / actor to actor ------------------------------------
  function layoutOf(view) { return view === "actors" ? "actors" : "main"; }

  /** Switch view; the actor view has its own layout (positions kept per layout). */
  function setView(view) {
    var from = layoutOf(state.view), to = layoutOf(view);
    if (from !== to) {
      var now = network.getPositions();
      Object.keys(now).forEach(function (id) {
        if (from === "main" || layouts.actors[id]) layouts[from][id] = now[id];
      });
      placeNodes(layouts[to]);
    }
    state.view = view;
    applyFilters();
    relayout();
  }

  /** Move nodes to saved positions.  Not network.moveNode: with physics off
   *  each call forces a full redraw (thousands of them at 5,000 nodes).  Big
   *  graphs set the coordinates and draw once, like pushChanges. */
  function placeNodes(pos) {
    var ids = Object.keys(pos), body = network.body;
    if (data.big && body && body.nodes) {
      ids.forEach(function (id) {
        var n = body.nodes[id];
        if (n) { n.x = pos[id].x; n.y = pos[id].y; }
      });
      network.redraw();  // also refreshes the bounding boxes fit() reads
    } else {
      nodes.update(ids.map(function (id) { return { id: id, x: pos[id].x, y: pos[id].y }; }));
    }
  }

  /** Zoom to the visible nodes.  vis's fit() first re-measures every label
   *  (over a second at 5,000 nodes), so big graphs compute the range here. */
  function fitView() {
    if (!data.big) {
      network.fit({ animation: false });
      declutter();
      return legible();
    }
    var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity, body = network.body.nodes;
    data.nodes.forEach(function (n) {
      var b = body[n.id];
      if (hiddenNode[n.id] || !b) return;
      minX = Math.min(minX, b.x); maxX = Math.max(maxX, b.x);
      minY = Math.min(minY, b.y); maxY = Math.max(maxY, b.y);
    });
    if (minX === Infinity) return;
    var pad = 60, scale = Math.min(container.clientWidth / (maxX - minX + 2 * pad), container.clientHeight / (maxY - minY + 2 * pad));
    network.moveTo({ position: { x: (minX + maxX) / 2, y: (minY + maxY) / 2 }, scale: Math.min(scale, 1.5), animation: false });
  }

  /** Labels >= 11 px on screen: when the fit zooms out, fonts grow to make up (small graphs only). */
  var FONT = { node: 14, edge: 11 }, MIN_PX = 11, font = { node: FONT.node, edge: FONT.edge };
  function legible() {
    var grow = Math.max(1, MIN_PX / (FONT.edge * network.getScale()));
    var size = { node: Math.ceil(FONT.node * grow), edge: Math.ceil(FONT.edge * grow) };
    if (size.node === font.node && size.edge === font.edge) return;
    font = size;
    network.setOptions({ nodes: { font: { size: size.node } }, edges: { font: { size: size.edge } } });
  }
  /** The story view labels its most important nodes only (rank sv, 1 = first), as many as the
   *  window has room for at the fitted zoom; zooming in or hovering shows the others. */
  var fullLabel = {}, labelled = {};
  data.nodes.forEach(function (n) { fullLabel[n.id] = n.label; labelled[n.id] = true; });
  function declutter() {
    if (data.big) return;
    var room = Math.max(12, Math.floor(container.clientWidth * container.clientHeight / 14000));
    var limit = state.view === "story" && network.getScale() < 1.2 ? room : Infinity;
    var changes = [];
    data.nodes.forEach(function (n) {
      var rank = nodeInfo[n.id].sv, want = limit === Infinity || (rank && rank <= limit);
      if (want !== labelled[n.id]) {
        labelled[n.id] = want;
        changes.push({ id: n.id, label: want ? fullLabel[n.id] : "" });
      }
    });
    if (changes.length) nodes.update(changes);
  }

  // Zooming in needs the grown fonts no more (and zooming out needs them again).
  network.on("zoom", function () { if (!data.big) { legible(); declutter(); } });

  /** Small graphs: let physics tidy the new picture for a moment (it fits when done). */
  function relayout() {
    if (data.big) return fitView();
    window.kgSettled = false;  // tests wait for the picture to hold still
    network.setOptions({ physics: { enabled: true } });
    network.stabilize(120);
  }

  // The map and timeline views are drawn by panels.js; the graph keeps its last view meanwhile.
  var GRAPH_VIEWS = { story: true, all: true, events: true, actors: true };
  document.querySelectorAll("input[name=kg-view]").forEach(function (radio) {
    radio.addEventListener("change", function () { if (radio.checked && GRAPH_VIEWS[radio.value]) setView(radio.value); });
  });

  // ---- time: sorted event list and a date range -----------------------------------------
  function sortedDates() {
    var set = new Set();
    Object.keys(nodeInfo).forEach(function (id) { if (nodeInfo[id].k === "event" && nodeInfo[id].date) set.add(nodeInfo[id].date); });
    return Array.from(set).sort();
  }

  var EVENT_LIST_MAX = 300;  // rows drawn at once: thousands of rows make every relayout slow
  var sortedEvents = [];

  function buildEventList() {
    sortedEvents = Object.keys(nodeInfo).filter(function (id) { return nodeInfo[id].k === "event"; });
    sortedEvents.sort(function (a, b) {
      var da = nodeInfo[a].date || "~", db = nodeInfo[b].date || "~";
      if (da !== db) return da < db ? -1 : 1;
      return nodeInfo[a].label < nodeInfo[b].label ? -1 : nodeInfo[a].label > nodeInfo[b].label ? 1 : a < b ? -1 : 1;
    });
  }

  /** The visible events, by date (first EVENT_LIST_MAX of them). */
  function updateEventList() {
    var list = document.getElementById("kg-events");
    var shown = sortedEvents.filter(function (id) { return !hiddenNode[id]; });
    var rows = shown.slice(0, EVENT_LIST_MAX).map(function (id) {
      var li = el("li");
      li.appendChild(el("span", "kg-date", nodeInfo[id].date || "undated"));
      li.appendChild(el("span", null, nodeInfo[id].label));
      li.addEventListener("click", function () { selectNode(id, true); });
      return li;
    });
    if (shown.length > EVENT_LIST_MAX) rows.push(el("li", "kg-hint", "… and " + (shown.length - EVENT_LIST_MAX) + " more (narrow the dates)"));
    if (!shown.length) rows.push(el("li", "kg-hint", sortedEvents.length ? "No event matches the filters." : "No events."));
    list.replaceChildren.apply(list, rows);
  }

  function buildRange() {
    var from = document.getElementById("kg-date-from"), to = document.getElementById("kg-date-to");
    var label = document.getElementById("kg-date-label");
    if (dates.length < 2) document.getElementById("kg-range").hidden = true;
    from.max = to.max = String(Math.max(0, dates.length - 1));
    from.value = "0";
    to.value = String(state.hi);
    function update(changed) {
      var lo = Number(from.value), hi = Number(to.value);
      if (lo > hi) { if (changed === from) to.value = String(lo); else from.value = String(hi); }
      state.lo = Number(from.value);
      state.hi = Number(to.value);
      label.textContent = dates.length ? dates[state.lo] + " → " + dates[state.hi] : "";
      applyFilters();
    }
    from.addEventListener("input", function () { update(from); });
    to.addEventListener("input", function () { update(to); });
    label.textContent = dates.length ? dates[0] + " → " + dates[dates.length - 1] : "no dated events";
    document.getElementById("kg-undated").addEventListener("change", function (ev) {
      state.undated = ev.target.checked;
      applyFilters();
    });
  }

  // ---- search ------------------------------------------------------------------------
  var searchIndex = Object.keys(nodeInfo).map(function (id) {
    var d = nodeInfo[id];
    return { id: id, text: [d.label].concat(d.alt || []).join("\n").toLowerCase() };
  });

  function buildSearch() {
    var input = document.getElementById("kg-search"), results = document.getElementById("kg-results");
    var found = [];
    function choose(id) {
      results.hidden = true;
      selectNode(id, true);
    }
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      results.replaceChildren();
      found = q ? searchIndex.filter(function (s) { return s.text.indexOf(q) >= 0; }).slice(0, 30) : [];
      found.forEach(function (s, i) {
        var d = nodeInfo[s.id];
        var li = el("li", i === 0 ? "kg-active" : null, d.label);
        li.appendChild(el("span", "kg-muted", " · " + (legendByKey[d.group] ? legendByKey[d.group].label : d.cls) + (hiddenNode[s.id] ? " (hidden)" : "")));
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(s.id); });
        results.appendChild(li);
      });
      if (q && !found.length) results.appendChild(el("li", "kg-muted", "no match"));
      results.hidden = !q;
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && found.length) choose(found[0].id);
      if (ev.key === "Escape") { input.value = ""; results.hidden = true; }
    });
    input.addEventListener("blur", function () { results.hidden = true; });
  }

  // ---- start ----------------------------------------------------------------------------
  function markReady() {
    if (window.kgReady) return;
    window.kgReadyAt = performance.now();
    window.kgReady = true;
    document.body.setAttribute("data-ready", "1");
  }

  buildLegend();
  buildIsolatedSwitch();
  buildRelations();
  buildEventList();
  buildRange();
  buildSearch();
  hint();
  applyFilters();
  // Small graphs settle with physics once, then hold still so clicks land where they aim.
  network.on("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });
    fitView();  // after every relayout, not only the first
    window.kgSettled = true;
  });
  network.once("afterDrawing", markReady);

  // Hooks for tests, benchmarks and the console.
  window.kgNetwork = network;
  window.kgSelectNode = function (id) { selectNode(id, false); };
  window.kgFocusNode = function (id) { selectNode(id, true); };
  window.kgFit = fitView;
  window.kgLabelPx = function () { return Math.min(font.node, font.edge) * network.getScale(); };  // smallest, CSS px
  window.kgSelectEdge = selectEdge;
  window.kgSetView = setView;
  window.kgIsHidden = function (id) { return !!(hiddenNode[id] || (edgeInfo[id] && !edgeShown(edges.get(id)))); };
  window.kgVisibleEdges = function () { return data.edges.filter(edgeShown).map(function (e) { return e.id; }); };
})();
