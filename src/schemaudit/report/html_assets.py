"""The HTML report's stylesheet and script, inlined into the page: one file that opens from a
laptop, a CI artifact or an e-mail attachment with no network (the page's content security
policy forbids loading anything, so a stray external reference would show as an error).

The script only filters what the page already shows: findings by severity, table and text,
and a click on a table in the diagram selects that table (and opens its detail). Pointing at a
table, or selecting it, brings its foreign keys forward and dims the rest, so a busy diagram
can be read one table at a time. The diagram is drawn at its own size, scrolling in its box,
or fitted to the page's width (the button; fitted by default when that keeps it at least
80% of its size). Every number on the page is written by the server side; the script keeps
the "shown" count in step with the filters.
"""

from __future__ import annotations

CSS = """
:root { --ok:#e6f4ea; --ok-line:#34a853; --gap:#fef7e0; --gap-line:#f9ab00; --missing:#fce8e6;
  --missing-line:#d93025; --extra:#e8f0fe; --extra-line:#4285f4; --outside:#f1f3f4; --outside-line:#9aa0a6;
  --ink:#202124; --muted:#5f6368; --rule:#dadce0; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  margin: 0 auto; padding: 0 24px 48px; max-width: 1880px; }
header { border-bottom: 1px solid var(--rule); padding: 16px 0; }
h1 { font-size: 22px; margin: 0 0 6px; } h2 { font-size: 18px; margin: 28px 0 10px; }
code, pre { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { white-space: pre-wrap; margin: 0; background: #f8f9fa; padding: 6px 8px; border-radius: 4px; }
.sources { color: var(--muted); margin: 2px 0; }
.verdict { display: inline-block; font-weight: 700; padding: 2px 10px; border-radius: 12px; margin: 8px 12px 0 0; }
.verdict.CONSISTENT { background: var(--ok); color: #137333; }
.verdict.INCONSISTENT { background: var(--missing); color: #a50e0e; }
.counts { display: inline-flex; gap: 14px; list-style: none; padding: 0; margin: 8px 0 0; }
.counts .n { font-weight: 700; }
.sev { font-weight: 700; font-size: 12px; padding: 1px 6px; border-radius: 4px; white-space: nowrap; }
.sev.critical { background: var(--missing); color: #a50e0e; } .sev.warning { background: var(--gap); color: #8a5a00; }
.sev.info { background: var(--extra); color: #174ea6; }
nav a { margin-right: 14px; }
table.grid { border-collapse: collapse; width: 100%; }
table.grid th, table.grid td { border-bottom: 1px solid var(--rule); padding: 5px 8px; text-align: left;
  vertical-align: top; }
table.grid th { background: #f8f9fa; position: sticky; top: 0; }
table.grid td { overflow-wrap: anywhere; }  /* a long name or statement wraps inside its cell */
#diagram-left-out { font-size: 12.5px; margin: 6px 0 0; }
table.narrow { width: auto; min-width: 360px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.filters { display: flex; flex-wrap: wrap; gap: 16px; align-items: center; margin: 8px 0 10px; }
.filters label { white-space: nowrap; }
#findings-shown { color: var(--muted); }
.diagram-wrap { overflow: auto; border: 1px solid var(--rule); border-radius: 6px; max-height: 80vh; }
.diagram-wrap.fit { overflow: hidden; max-height: none; }
.diagram-wrap.fit #diagram { width: 100%; height: auto; }
#diagram-zoom { margin-left: auto; font: inherit; padding: 2px 10px; }
svg.focus path.fk { opacity: 0.12; } svg.focus path.fk.on { opacity: 1; stroke-width: 2.4; }
svg.focus .table { opacity: 0.45; } svg.focus .table.on { opacity: 1; }
details.table-detail { border: 1px solid var(--rule); border-radius: 6px; padding: 4px 10px; margin: 6px 0; }
details.table-detail > summary { cursor: pointer; padding: 4px 0; }
details.table-detail h4, details.table-detail p { margin: 8px 0 4px; }
.legend { display: flex; gap: 14px; flex-wrap: wrap; margin: 6px 0; color: var(--muted); }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 4px;
  vertical-align: -1px; border: 1px solid; }
.swatch.ok { background: var(--ok); border-color: var(--ok-line); }
.swatch.gap { background: var(--gap); border-color: var(--gap-line); }
.swatch.missing { background: var(--missing); border-color: var(--missing-line); }
.swatch.extra { background: var(--extra); border-color: var(--extra-line); }
.swatch.outside { background: var(--outside); border-color: var(--outside-line); }
.swatch.other { background: var(--outside); border-color: var(--outside-line); border-style: dashed; }
svg .table rect { stroke-width: 1.5; } svg .table { cursor: pointer; }
svg .table.ok rect { fill: var(--ok); stroke: var(--ok-line); }
svg .table.gap rect { fill: var(--gap); stroke: var(--gap-line); }
svg .table.gap.critical rect { stroke: var(--missing-line); stroke-width: 2.5; }
svg .table.missing rect { fill: var(--missing); stroke: var(--missing-line); stroke-dasharray: 5 3; }
svg .table.extra rect { fill: var(--extra); stroke: var(--extra-line); }
svg .table.outside rect { fill: var(--outside); stroke: var(--outside-line); }
svg .table.other rect { fill: var(--outside); stroke: var(--outside-line); stroke-dasharray: 2 3; }
svg .table.selected rect { stroke: var(--ink); stroke-width: 3; }
svg text.name { font-weight: 600; font-size: 13px; fill: var(--ink); }
svg text.detail { font-size: 11px; fill: var(--muted); }
svg path.fk { fill: none; stroke: #80868b; stroke-width: 1.3; }
svg path.fk.missing { stroke: var(--missing-line); stroke-dasharray: 6 4; }
svg .arrowhead { fill: #80868b; }
ol.plan > li { margin-bottom: 12px; }
.risk { font-size: 12px; font-weight: 700; padding: 1px 6px; border-radius: 4px; }
.risk.low { background: var(--ok); } .risk.medium { background: var(--gap); } .risk.high { background: var(--missing); }
.note { color: var(--muted); }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
"""

JS = """
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("#findings-table tbody tr"));
  var boxes = document.getElementById("severity-filters");
  var tableSelect = document.getElementById("table-filter");
  var search = document.getElementById("text-filter");
  var shown = document.getElementById("findings-shown");
  var diagramTables = Array.prototype.slice.call(document.querySelectorAll("#diagram .table"));

  function wantedSeverities() {
    var wanted = {};
    if (!boxes) { return wanted; }
    boxes.querySelectorAll("input[type=checkbox]").forEach(function (box) { wanted[box.value] = box.checked; });
    return wanted;
  }

  function apply() {
    var wanted = wantedSeverities();
    var table = tableSelect ? tableSelect.value : "";
    var text = search ? search.value.trim().toLowerCase() : "";
    var visible = 0;
    rows.forEach(function (row) {
      var ok = wanted[row.getAttribute("data-severity")] !== false &&
        (table === "" || row.getAttribute("data-table") === table) &&
        (text === "" || row.textContent.toLowerCase().indexOf(text) !== -1);
      row.hidden = !ok;
      if (ok) { visible += 1; }
    });
    if (shown) { shown.textContent = "Showing " + visible + " of " + rows.length + " findings"; }
    diagramTables.forEach(function (g) {
      g.classList.toggle("selected", table !== "" && g.getAttribute("data-table") === table);
    });
    focus(table);
    if (table !== "") {
      var detail = document.querySelector('details.table-detail[data-table="' + CSS.escape(table) + '"]');
      if (detail) { detail.open = true; }
    }
  }

  var diagram = document.getElementById("diagram");
  var edges = diagram ? Array.prototype.slice.call(diagram.querySelectorAll("path.fk")) : [];
  function focus(name) {
    if (!diagram) { return; }
    diagram.classList.toggle("focus", name !== "");
    var near = {};
    near[name] = true;
    edges.forEach(function (p) {
      var on = name !== "" && (p.getAttribute("data-from") === name || p.getAttribute("data-to") === name);
      p.classList.toggle("on", on);
      if (on) { near[p.getAttribute("data-from")] = true; near[p.getAttribute("data-to")] = true; }
    });
    diagramTables.forEach(function (g) { g.classList.toggle("on", near[g.getAttribute("data-table")] === true); });
  }

  var wrap = diagram ? diagram.parentElement : null;
  var zoom = document.getElementById("diagram-zoom");
  function setFit(fit) {
    if (!wrap || !zoom) { return; }
    wrap.classList.toggle("fit", fit);
    zoom.textContent = fit ? "Actual size" : "Fit to width";
  }
  if (wrap && zoom) {
    var natural = +diagram.getAttribute("width");
    setFit(natural <= wrap.clientWidth || wrap.clientWidth / natural >= 0.8);
    zoom.addEventListener("click", function () { setFit(!wrap.classList.contains("fit")); });
  }

  function selectTable(name) {
    if (!tableSelect) { return; }
    var known = Array.prototype.some.call(tableSelect.options, function (o) { return o.value === name; });
    tableSelect.value = known && tableSelect.value !== name ? name : "";
    apply();
  }

  if (boxes) { boxes.addEventListener("change", apply); }
  if (tableSelect) { tableSelect.addEventListener("change", apply); }
  if (search) { search.addEventListener("input", apply); }
  diagramTables.forEach(function (g) {
    g.addEventListener("mouseenter", function () { focus(g.getAttribute("data-table")); });
    g.addEventListener("mouseleave", function () { focus(tableSelect ? tableSelect.value : ""); });
    g.addEventListener("click", function () { selectTable(g.getAttribute("data-table")); });
    g.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); selectTable(g.getAttribute("data-table")); }
    });
  });
  apply();
})();
"""
