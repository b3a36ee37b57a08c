/* kgbuild corpus viewer: the aggregated actor network and one actor's events.
 *
 * Safety rule (as viewer.js): text from the graph is only written with
 * textContent; no innerHTML, no vis `title` tooltips.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  var maxW = 1;
  data.edges.forEach(function (e) { if (e.weight > maxW) maxW = e.weight; });
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    return { id: n.id, label: n.label, x: n.x, y: n.y, size: n.size, shape: "dot",
             color: { background: n.color, border: "#333333" },
             font: { size: 14, strokeWidth: 3, strokeColor: "#ffffff" } };
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    return { id: e.id, from: e.from, to: e.to, value: e.weight, label: e.weight > 1 ? String(e.weight) : undefined,
             font: { size: 10, align: "middle", strokeWidth: 2 }, color: { color: "#9aa5b1", opacity: 0.7 } };
  }));
  var options = {
    physics: false,
    interaction: { hover: true, tooltipDelay: 100000, hideEdgesOnDrag: true },
    edges: { smooth: false, scaling: { min: 1, max: 8 } },
    nodes: { scaling: { label: { enabled: false } } },
    layout: { randomSeed: 42, improvedLayout: false }
  };
  var network = new vis.Network(document.getElementById("kg-graph"), { nodes: nodes, edges: edges }, options);
  var panel = document.getElementById("kg-panel");

  document.getElementById("kg-stats").textContent =
    data.nodes.length + " of " + data.actors_total + " actors (top by reports), " + data.edges.length +
    " links, " + data.communities + " communities, " + data.articles + " articles";

  function hint() {
    panel.replaceChildren(el("p", "kg-hint", "Actors are linked by the events and statements that name both; " +
      "a link's number is its count of reports, colours are communities. Click an actor to see its events and their evidence."));
  }

  function showActor(id) {
    var n = byId[id];
    if (!n) { hint(); return; }
    var box = el("section", "kg-actor");
    box.appendChild(el("h2", null, n.label));
    var dl = el("dl");
    [["class", n.cls], ["community", n.community + 1], ["reports", n.weight], ["events", n.events]].forEach(function (f) {
      dl.appendChild(el("dt", null, f[0])); dl.appendChild(el("dd", null, f[1]));
    });
    box.appendChild(dl);
    var evs = data.events_of[id] || [];
    box.appendChild(el("h3", null, "Events (" + evs.length + (n.events > evs.length ? " of " + n.events : "") + ")"));
    var ol = el("ol", "kg-actor-events");
    evs.forEach(function (ev) {
      var li = el("li", "kg-actor-event");
      li.appendChild(el("div", "kg-event-head", [ev.date, ev.label, ev.as ? "(" + ev.as + ")" : ""].filter(Boolean).join(" ")));
      var roles = el("div", "kg-event-roles", ev.roles.map(function (r) { return r[0] + ": " + r[1]; }).join("; "));
      li.appendChild(roles);
      if (ev.sentence) li.appendChild(el("blockquote", "kg-sentence", ev.sentence));
      li.appendChild(el("div", "kg-source", ev.title + (typeof ev.confidence === "number" ? " · confidence " + ev.confidence.toFixed(2) : "")));
      ol.appendChild(li);
    });
    box.appendChild(ol);
    panel.replaceChildren(box);
  }

  // Communities, each with its actors by reports: a click selects the actor as on the canvas.
  var groups = [];
  data.nodes.forEach(function (n) { (groups[n.community] = groups[n.community] || []).push(n); });
  var list = document.getElementById("kg-communities");
  groups.forEach(function (members, i) {
    members.sort(function (a, b) { return b.weight - a.weight || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0); });
    var li = el("li", "kg-community");
    var head = el("div", "kg-community-head", "Community " + (i + 1) + " (" + members.length + " actors)");
    head.style.borderLeft = "6px solid " + members[0].color;
    head.style.paddingLeft = "4px";
    li.appendChild(head);
    var ul = el("ul");
    members.slice(0, 8).forEach(function (n) {
      var b = el("button", "kg-link", n.label + " (" + n.weight + ")");
      b.type = "button";
      b.addEventListener("click", function () { select(n.id); network.focus(n.id, { scale: 1.2, animation: false }); });
      var item = el("li"); item.appendChild(b); ul.appendChild(item);
    });
    li.appendChild(ul);
    list.appendChild(li);
  });

  function select(id) { network.selectNodes([id]); showActor(id); }

  network.on("click", function (p) {
    if (p.nodes.length) showActor(p.nodes[0]); else hint();
  });
  hint();

  function markReady() {
    if (window.kgReady) return;
    window.kgReadyAt = performance.now();
    window.kgReady = true;
  }
  // Legible labels: the LABELLED actors with most reports get a label of LABEL_PX CSS px at the
  // current zoom; the others keep a small one until zoomed in (decluttered by importance).
  var LABEL_PX = 12, LABELLED = 40;
  var ranked = data.nodes.slice().sort(function (a, b) { return b.weight - a.weight || (a.id < b.id ? -1 : 1); });
  var labelScale = 0;
  function legible() {
    var s = network.getScale();
    if (!s || Math.abs(s - labelScale) / s < 0.1) return;
    labelScale = s;
    var limit = Math.min(ranked.length, Math.round(LABELLED * Math.max(1, s * 2)));
    nodes.update(ranked.map(function (n, i) {
      var size = i < limit ? Math.max(14, LABEL_PX / s) : 14;
      return { id: n.id, font: { size: size, strokeWidth: 3, strokeColor: "#ffffff" } };
    }));
  }
  network.on("zoom", legible);
  network.once("afterDrawing", function () { network.fit({ animation: false }); legible(); markReady(); });
  window.kgView = "corpus";
  window.kgSelectNode = select;
  window.kgNetworkPos = function (id) {  // the node's centre in page (client) coordinates
    var c = network.canvasToDOM(network.getPositions([id])[id]);
    var r = document.getElementById("kg-graph").getBoundingClientRect();
    return { x: r.left + c.x, y: r.top + c.y };
  };
  window.kgLabelPx = function () {  // the top actor's label size on screen, CSS px
    return nodes.get(ranked[0].id).font.size * network.getScale();
  };
  window.kgActorIds = function () { return data.nodes.map(function (n) { return n.id; }); };
  window.kgVisibleEdges = function () { return data.edges.map(function (e) { return e.id; }); };
  window.kgSelectEdge = function () {};
  window.kgSetView = function () {};
})();
