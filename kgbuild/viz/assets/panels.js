/* kgbuild viewer: the story table, the map view and the timeline view.
 *
 * Same safety rule as viewer.js: text from the graph is only written with
 * textContent (SVG too: <text> and <title> get textContent, paths get
 * numbers computed in Python).  Everything is drawn from the page's own data;
 * nothing is fetched.  viewer.js selects and explains events (kgFocusNode).
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var nodeInfo = data.info.nodes;
  var SVG = "http://www.w3.org/2000/svg";
  var colorOf = {};
  data.legend.forEach(function (g) { colorOf[g.key] = g.color; });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) e.textContent = String(text);
    return e;
  }

  function choose(id) {
    if (window.kgFocusNode) window.kgFocusNode(id);
    document.querySelectorAll("#kg-story tr.kg-chosen").forEach(function (tr) { tr.classList.remove("kg-chosen"); });
    var row = document.querySelector('#kg-story tr[data-id="' + id + '"]');
    if (row) { row.classList.add("kg-chosen"); row.scrollIntoView({ block: "nearest" }); }
  }

  // ---- story table: each article's events in text order ----------------------------------
  var COLUMNS = [["date", "date"], ["agent", "agent"], ["action", "action"], ["target", "target"],
                 ["place", "place"], ["cas", "casualties"], ["mod", "modality"]];

  var STORY_ROWS_MAX = 400;  // rows drawn: a corpus has tens of thousands, and every row is DOM

  function buildStory() {
    var box = document.getElementById("kg-story"), drawn = 0, total = 0;
    box.appendChild(el("h2", null, "Story: events in text order"));
    if (!data.story.length) box.appendChild(el("p", "kg-hint", "No events."));
    data.story.forEach(function (article) {
      total += article.rows.length;
      if (drawn >= STORY_ROWS_MAX) return;
      var doc = data.docs[article.d] || {};
      var head = el("div", "kg-source");
      head.appendChild(el("span", "kg-doc-title", doc.title || doc.id || "article"));
      if (doc.date) head.appendChild(el("span", "kg-doc-date", doc.date));
      box.appendChild(head);
      var table = el("table", "kg-story-table"), thead = el("tr");
      COLUMNS.concat([["s", "sentence"]]).forEach(function (c) { thead.appendChild(el("th", null, c[1])); });
      table.appendChild(thead);
      article.rows.slice(0, STORY_ROWS_MAX - drawn).forEach(function (row) {
        drawn++;
        var tr = el("tr");
        tr.dataset.id = row.id;
        COLUMNS.forEach(function (c) { tr.appendChild(el("td", "kg-col-" + c[0], row[c[0]])); });
        tr.appendChild(el("td", "kg-col-sentence", row.s >= 0 ? data.sentences[row.s] : ""));
        tr.addEventListener("click", function () { choose(row.id); });
        table.appendChild(tr);
      });
      box.appendChild(table);
      var folded = article.generic + article.weak;
      if (folded) {
        box.appendChild(el("p", "kg-hint kg-folded", folded + " events folded away (" + article.generic + " generic, " +
                            article.weak + " low-confidence); they are still in the graph."));
      }
    });
    if (total > drawn) box.appendChild(el("p", "kg-hint", "… and " + (total - drawn) + " more events (kgbuild story lists them all)."));
  }

  // ---- map: events at places with coordinates, on Natural Earth's outlines ---------------------
  var PRECISION = { PopulatedPlace: "town", Facility: "site", Region: "region", State: "country" };

  function buildMap() {
    var box = document.getElementById("kg-map");
    var points = data.map.points;
    if (!points.length) {
      box.appendChild(el("p", "kg-hint", "No event has a place with coordinates."));
      return;
    }
    var lons = points.map(function (p) { return p.lon; }), lats = points.map(function (p) { return -p.lat; });
    var x0 = Math.min.apply(null, lons), x1 = Math.max.apply(null, lons);
    var y0 = Math.min.apply(null, lats), y1 = Math.max.apply(null, lats);
    var span = Math.max(8, x1 - x0, y1 - y0) * 1.3;  // at least ~8 degrees: the region around one town
    var cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    var view = [cx - span * 0.8, cy - span / 2, span * 1.6, span];
    var map = svg("svg", { viewBox: view.join(" "), preserveAspectRatio: "xMidYMid meet", "class": "kg-map-svg" });
    map.appendChild(svg("rect", { x: -180, y: -90, width: 360, height: 180, "class": "kg-sea" }));
    map.appendChild(svg("path", { d: data.map.outline, "class": "kg-land" }));
    var byPlace = {};
    points.forEach(function (p) { (byPlace[p.place + "|" + p.lat + "|" + p.lon] = byPlace[p.place + "|" + p.lat + "|" + p.lon] || []).push(p); });
    var unit = span / 60;
    Object.keys(byPlace).sort().forEach(function (key) {
      var group = byPlace[key], first = group[0];
      // Several event types at one place: small markers side by side, each its own colour.
      group.forEach(function (p, i) {
        var n = p.events.length, r = unit * (0.8 + Math.min(2, Math.sqrt(n) * 0.5));
        var g = svg("g", { "class": "kg-marker", "data-type": p.type, tabindex: 0 });
        var x = p.lon + (i - (group.length - 1) / 2) * unit * 2.2;
        g.appendChild(svg("circle", { cx: x, cy: -p.lat, r: r, fill: colorOf["event:" + p.type] || "#888" }));
        if (n > 1) g.appendChild(svg("text", { x: x, y: -p.lat + r * 0.35, "font-size": r, "class": "kg-count-label" }, n));
        g.appendChild(svg("title", {}, p.place + " (" + (PRECISION[p.precision] || p.precision) + "): " + n + " " + p.type + " event" + (n > 1 ? "s" : "")));
        g.addEventListener("click", function () { choose(p.events[0]); });
        map.appendChild(g);
      });
      map.appendChild(svg("text", { x: first.lon + unit * 1.6, y: -first.lat - unit * 1.4, "font-size": unit * 1.6, "class": "kg-place-label" }, first.place));
    });
    box.appendChild(map);
    var list = el("ul", "kg-map-legend");
    Object.keys(byPlace).sort().forEach(function (key) {
      byPlace[key].forEach(function (p) {
        var li = el("li");
        var sw = el("span", "kg-swatch kg-shape-dot");
        sw.style.backgroundColor = colorOf["event:" + p.type] || "#888";
        li.appendChild(sw);
        li.appendChild(el("span", null, " " + p.place + " · " + (PRECISION[p.precision] || p.precision) + " · " + p.type + " · " + p.events.length));
        li.addEventListener("click", function () { choose(p.events[0]); });
        list.appendChild(li);
      });
    });
    box.appendChild(list);
    box.appendChild(el("p", "kg-hint", "Basemap: Natural Earth 1:110m (public domain), via world-atlas 2.0.2."));
  }

  // ---- timeline: dated events on a time axis, precision shown ------------------------------
  function buildTimeline() {
    var box = document.getElementById("kg-timeline");
    var events = Object.keys(nodeInfo).filter(function (id) { return nodeInfo[id].k === "event" && nodeInfo[id].date; });
    if (!events.length) {
      box.appendChild(el("p", "kg-hint", "No dated events."));
      return;
    }
    function day(s) { var p = s.split("-"); return Date.UTC(+p[0], (+p[1] || 1) - 1, +p[2] || 1) / 864e5; }
    function end(d) {  // last day of a month- or year-precision date
      var p = d.date.split("-"), y = +p[0], m = (+p[1] || 1);
      if (d.precision === "year") return Date.UTC(y + 1, 0, 1) / 864e5 - 1;
      if (d.precision === "month") return Date.UTC(y, m, 1) / 864e5 - 1;
      return day(d.date);
    }
    var types = Array.from(new Set(events.map(function (id) { return nodeInfo[id].coarse; }))).sort();
    var t0 = Math.min.apply(null, events.map(function (id) { return day(nodeInfo[id].date); }));
    var t1 = Math.max.apply(null, events.map(function (id) { return end(nodeInfo[id]); }));
    var W = 1000, left = 170, row = 34, H = 40 + row * types.length;
    var scale = (W - left - 20) / Math.max(1, t1 - t0);
    var chart = svg("svg", { viewBox: "0 0 " + W + " " + H, "class": "kg-timeline-svg" });
    types.forEach(function (t, i) {
      chart.appendChild(svg("text", { x: 8, y: 30 + i * row + 5, "class": "kg-axis-label" }, t));
      chart.appendChild(svg("line", { x1: left, x2: W - 20, y1: 30 + i * row, y2: 30 + i * row, "class": "kg-row-line" }));
    });
    [[t0, "start"], [(t0 + t1) / 2, "middle"], [t1, "end"]].forEach(function (tick) {
      var iso = new Date(Math.round(tick[0]) * 864e5).toISOString().slice(0, 10);
      chart.appendChild(svg("text", { x: left + (tick[0] - t0) * scale, y: 14, "text-anchor": tick[1], "class": "kg-axis-label" }, iso));
    });
    var stack = {};
    events.sort().forEach(function (id) {
      var d = nodeInfo[id], y = 30 + types.indexOf(d.coarse) * row, x = left + (day(d.date) - t0) * scale;
      var key = d.coarse + d.date, k = stack[key] = (stack[key] || 0) + 1;
      var g = svg("g", { "class": "kg-tick-event", tabindex: 0 });
      var color = colorOf[d.group] || "#888";
      var own = d.dateOf === "event";
      if (own && (d.precision === "month" || d.precision === "year")) {
        g.appendChild(svg("rect", { x: x, y: y - 5, width: Math.max(4, (end(d) - day(d.date)) * scale), height: 10, fill: color, opacity: 0.45 }));
      }
      // Same day, same type: a short stack (capped, so a busy day stays in its row).
      g.appendChild(svg("circle", { cx: x + Math.floor((k - 1) / 4) * 4, cy: y - ((k - 1) % 4) * 3, r: 5, fill: own ? color : "#fff", stroke: color, "stroke-width": 2 }));
      g.appendChild(svg("title", {}, d.date + (own ? " (" + (d.precision || "day") + ")" : " (article date)") + " · " + d.label));
      g.addEventListener("click", function () { choose(id); });
      chart.appendChild(g);
    });
    box.appendChild(chart);
    box.appendChild(el("p", "kg-hint", "Filled: the event's own date (a bar spans a month or year); hollow: dated by its article."));
  }

  // ---- switching the centre between graph, map and timeline ----------------------------------
  function showCentre(view) {
    var graph = document.getElementById("kg-graph");
    document.getElementById("kg-map").hidden = view !== "map";
    document.getElementById("kg-timeline").hidden = view !== "timeline";
    graph.hidden = view === "map" || view === "timeline";
    if (!graph.hidden && window.kgFit) window.kgFit();
  }

  document.querySelectorAll("input[name=kg-view]").forEach(function (radio) {
    radio.addEventListener("change", function () { if (radio.checked) showCentre(radio.value); });
  });
  buildStory();
  buildMap();
  buildTimeline();
  window.kgChooseEvent = choose;
})();
