// Wiring: the renderer's events, the controls' event listeners, keyboard shortcuts, brokerage
// groups (recomputed by the server), the named-queries box and the container's resizes.
import { combobox } from "./combobox.js";
import { runExport } from "./export.js";
import { buildFilterControls } from "./filters.js";
import { loadNetwork } from "./loading.js";
import { renderPanel } from "./panel.js";
import { clearPath, findPath, pathEnds } from "./path.js";
import { redraw, refresh, refreshPanels, setMessage } from "./refresh.js";
import { pathSource, searchSource } from "./search.js";
import { clearFocus, clearSelection, fitVisible, selectNode, updateURL } from "./selection.js";
import { exportViews, renderSavedViews, saveView, writeURLSoon } from "./viewstate.js";
import { LIGHT_DRAWING_ABOVE, ROLES, app, defaultFilters } from "./state.js";
import { applyColours, applySizes } from "./styling.js";
import { $, el, fetchJSON, setChildren } from "./util.js";

export function bindRendererEvents() {
  const r = app.renderer;
  r.on("clickNode", ({ node }) => selectNode(node));
  r.getCamera().on("updated", writeURLSoon);
  r.on("clickStage", () => {
    if (app.selected) clearSelection();
  });
  r.on("enterNode", ({ node }) => {
    app.hovered = node;
    $("#graph").style.cursor = "pointer";
  });
  r.on("leaveNode", () => {
    app.hovered = null;
    $("#graph").style.cursor = "";
  });
}

async function changeBrokerageGroup(group) {
  app.brokerageGroup = group;
  try {
    const res = await fetchJSON(`/api/networks/${encodeURIComponent(app.data.name)}/metrics?metric=brokerage&group=${group}`);
    for (const row of res.rows) {
      if (!app.graph.hasNode(row.node)) continue;
      app.graph.mergeNodeAttributes(row.node, Object.fromEntries(ROLES.map((role) => [`brokerage_${role}`, row[role]])));
    }
    applySizes();
    refresh();
    if (app.selected) renderPanel(app.selected);
  } catch (err) {
    setMessage(`Could not compute brokerage by ${group}: ${err.message}`);
  }
}

export async function loadQueries() {
  try {
    const queries = await fetchJSON("/api/queries");
    const list = Array.isArray(queries) ? queries : queries.queries || [];
    setChildren($("#queries-list"), 
      ...list
        .filter((q) => !q.name.startsWith("projections/"))
        .map((q) => {
          const params = new URLSearchParams(q.example || {});
          return el("li", {}, el("a", { href: `/api/queries/${q.name}${params.size ? `?${params}` : ""}`, title: q.summary || "" }, q.title), el("span", { class: "muted" }, ` ${q.name}`));
        }),
    );
  } catch (_) {
    setChildren($("#queries-list"), el("li", {}, el("a", { href: "/sparql" }, "Open the SPARQL editor")));
  }
}

/** A search result: select it, or switch to the network of every relation when it is elsewhere. */
async function pickSearchResult(item) {
  if (!item.outside) {
    selectNode(item.id, { zoom: true });
    return;
  }
  if (app.data.name !== "all") {
    $("#network").value = "all";
    await loadNetwork("all", { view: new URLSearchParams({ network: "all", colour: app.colourBy, size: app.sizeBy, focus: item.ref || item.id }) });
  }
  if (!app.graph.hasNode(item.id)) {
    setMessage(`${item.label} takes part in no relation of any network: its page is ${location.origin}/org/${item.ref || ""}.`);
  }
}

export function wire() {
  // On a phone the legend folds away (one tap opens it), leaving the drawing the screen.
  if (window.matchMedia("(max-width: 600px)").matches) $("#legend-box").open = false;
  $("#network").addEventListener("change", (ev) => loadNetwork(ev.target.value));
  $("#colour-by").addEventListener("change", (ev) => {
    app.colourBy = ev.target.value;
    applyColours();
    // Only the nodes' colours change: their buffers are rewritten, the edges' are kept.
    redraw({ nodes: app.graph.nodes(), edges: [] });
    refreshPanels();
    updateURL();
    if (app.selected) renderPanel(app.selected);
  });
  $("#size-by").addEventListener("change", (ev) => {
    app.sizeBy = ev.target.value;
    applySizes();
    redraw();
    refreshPanels();
    updateURL();
  });
  $("#brokerage-group").addEventListener("change", (ev) => changeBrokerageGroup(ev.target.value));
  $("#filters").addEventListener("change", (ev) => {
    const t = ev.target;
    if (t.dataset.filter) {
      const set = app.filters[t.dataset.filter];
      if (t.checked) set.delete(t.value);
      else set.add(t.value);
    } else if (t.id === "undated") app.filters.undated = t.checked;
    else if (t.id === "funder") app.filters.funder = t.value;
    else if (t.id === "min-degree") app.filters.minDegree = Math.max(0, Number(t.value) || 0);
    else if (t.id === "k-core") app.filters.kcore = Math.max(0, Math.floor(Number(t.value) || 0));
    else if (t.id === "largest") app.filters.largest = t.checked;
    else return;
    refresh({ filtersOnly: true, fit: true });
  });
  $("#group-positions").addEventListener("change", (ev) => {
    app.groupPositions = ev.target.checked;
    if (app.groupPositions && app.colourBy !== "position") {
      app.colourBy = "position";
      $("#colour-by").value = "position";
      applyColours();
      redraw({ nodes: app.graph.nodes(), edges: [] });
    } else app.renderer.refresh({ partialGraph: { nodes: [], edges: [] }, skipIndexation: true });
    refreshPanels();
    updateURL();
  });
  // Dragging a slider over a large network must not queue a redraw per step.
  let yearTimer = null;
  const years = () => {
    clearTimeout(yearTimer);
    yearTimer = setTimeout(() => refresh({ filtersOnly: true, fit: true }), app.graph.size > LIGHT_DRAWING_ABOVE ? 200 : 60);
  };
  for (const id of ["#year-from", "#year-to"]) {
    $(id).addEventListener("input", () => {
      let from = Number($("#year-from").value);
      let to = Number($("#year-to").value);
      if (from > to) {
        if (id === "#year-from") to = from;
        else from = to;
        $("#year-from").value = from;
        $("#year-to").value = to;
      }
      app.filters.from = from;
      app.filters.to = to;
      $("#year-from-out").textContent = from;
      $("#year-to-out").textContent = to;
      years();
    });
  }
  for (const box of ["#country-filter", "#kind-filter"]) {
    $(box).addEventListener("click", (ev) => {
      const bulk = ev.target.dataset && ev.target.dataset.bulk;
      if (!bulk) return;
      for (const input of $(box).querySelectorAll("input[type=checkbox]")) {
        input.checked = bulk === "all";
        const set = app.filters[input.dataset.filter];
        if (input.checked) set.delete(input.value);
        else set.add(input.value);
      }
      refresh({ filtersOnly: true, fit: true });
    });
  }
  $("#reset-filters").addEventListener("click", () => {
    app.filters = defaultFilters();
    buildFilterControls();
    refresh({ filtersOnly: true, fit: true });
  });
  $("#clear-focus").addEventListener("click", clearFocus);
  $("#path-find").addEventListener("click", findPath);
  $("#path-clear").addEventListener("click", clearPath);
  for (const button of document.querySelectorAll("[data-export]")) {
    button.addEventListener("click", () => runExport(button.dataset.export));
  }
  combobox($("#search"), $("#search-list"), { source: searchSource, onSelect: pickSearchResult });
  combobox($("#path-from"), $("#path-from-list"), { source: pathSource, onSelect: (item) => (pathEnds.from = item.id) });
  combobox($("#path-to"), $("#path-to-list"), { source: pathSource, onSelect: (item) => (pathEnds.to = item.id) });
  $("#zoom-in").addEventListener("click", () => app.renderer.getCamera().animatedZoom({ duration: 200 }));
  $("#zoom-out").addEventListener("click", () => app.renderer.getCamera().animatedUnzoom({ duration: 200 }));
  // Fit what is shown: the whole network, or the part the filters leave.
  $("#zoom-reset").addEventListener("click", () => fitVisible());
  $("#views-save").addEventListener("click", () => {
    const name = $("#view-name");
    if (saveView(name.value)) name.value = "";
    else name.focus();
  });
  $("#views-export").addEventListener("click", exportViews);
  renderSavedViews();
  $("#queries-link").addEventListener("click", () => ($("#queries-box").open = true));
  $("#graph").addEventListener("keydown", (ev) => {
    const camera = app.renderer && app.renderer.getCamera();
    if (!camera) return;
    const state = camera.getState();
    const step = 0.1 * state.ratio;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[ev.key]) {
      ev.preventDefault();
      camera.animate({ x: state.x + moves[ev.key][0], y: state.y + moves[ev.key][1] }, { duration: 100 });
    } else if (ev.key === "+" || ev.key === "=") camera.animatedZoom({ duration: 150 });
    else if (ev.key === "-") camera.animatedUnzoom({ duration: 150 });
    else if (ev.key === "0") fitVisible();
  });
  document.addEventListener("keydown", (ev) => {
    const typing = ["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName);
    if (ev.key === "/" && !typing) {
      ev.preventDefault();
      $("#search").focus();
    } else if (ev.key === "Escape" && !typing) {
      if (app.path || app.focus) clearFocus();
      else if (app.selected) clearSelection();
    }
  });
  // Sigma follows window resizes itself; this catches layout changes of the container only,
  // and redraws only when sigma's own size is out of date (a redraw of a large network costs).
  new ResizeObserver(([entry]) => {
    if (!app.renderer) return;
    const { width, height } = app.renderer.getDimensions();
    const box = entry.contentRect;
    if (Math.round(box.width) === Math.round(width) && Math.round(box.height) === Math.round(height)) return;
    app.renderer.resize();
    app.renderer.scheduleRefresh();
  }).observe($("#graph"));
}
