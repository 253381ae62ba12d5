// Selection and focus: selecting a node (zooming to it), the ego network around it, fitting the
// camera to a set of nodes, and the page URL (?network=…&focus=…) that follows them.
import { buildFilterControls } from "./filters.js";
import { renderPanel } from "./panel.js";
import { refresh, setMessage } from "./refresh.js";
import { LIGHT_DRAWING_ABOVE, app, defaultFilters } from "./state.js";
import { $, el, setChildren } from "./util.js";
import { writeURL } from "./viewstate.js";

/**
 * The camera state that fits `ids` into the drawing with a margin (8 % each side, more on the
 * right for the labels): the nodes' extent is measured in viewport pixels at ratio 1 around
 * their centre, and the ratio scales it to the room there is (viewport distances scale with
 * 1 / ratio). One node, or nodes at one place, get a close-up.
 */
export function fitState(ids) {
  const r = app.renderer;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let found = 0;
  for (const id of ids) {
    const d = r.getNodeDisplayData(id);
    if (!d || d.x === undefined) continue;
    found += 1;
    minX = Math.min(minX, d.x);
    maxX = Math.max(maxX, d.x);
    minY = Math.min(minY, d.y);
    maxY = Math.max(maxY, d.y);
  }
  if (!found) return null;
  const centre = { x: (minX + maxX) / 2, y: (minY + maxY) / 2, angle: 0 };
  const at1 = { ...centre, ratio: 1 };
  // The transform is affine and unrotated: the corners of the box are enough (each call with
  // a camera state of its own rebuilds the matrix, which per node would cost more than all else).
  const a = r.framedGraphToViewport({ x: minX, y: minY }, { cameraState: at1 });
  const b = r.framedGraphToViewport({ x: maxX, y: maxY }, { cameraState: at1 });
  const [vx0, vx1] = [Math.min(a.x, b.x), Math.max(a.x, b.x)];
  const [vy0, vy1] = [Math.min(a.y, b.y), Math.max(a.y, b.y)];
  const { width, height } = r.getDimensions();
  const roomW = width * 0.78;
  const roomH = height * 0.84;
  const need = Math.max((vx1 - vx0) / roomW, (vy1 - vy0) / roomH);
  const ratio = need > 1e-6 ? Math.min(5, Math.max(0.02, need)) : 0.25;
  // Shift right a little so the room on the right (labels) is kept: 8 % left, 14 % right.
  const shifted = r.viewportToFramedGraph({ x: width * 0.53, y: height / 2 }, { cameraState: { ...centre, ratio } });
  return { x: shifted.x, y: centre.y, ratio, angle: 0 };
}

/** Centred on `id`, close enough to read it, far enough to show `around` (its neighbours). */
function focusState(id, around) {
  const r = app.renderer;
  const d = r.getNodeDisplayData(id);
  if (!d) return null;
  const at1 = { x: d.x, y: d.y, ratio: 1, angle: 0 };
  const c = r.framedGraphToViewport(d, { cameraState: at1 });
  const { width, height } = r.getDimensions();
  let need = 0;
  for (const n of around) {
    const nd = r.getNodeDisplayData(n);
    if (!nd) continue;
    const p = r.framedGraphToViewport(nd, { cameraState: at1 });
    need = Math.max(need, (2 * Math.abs(p.x - c.x)) / (width * 0.8), (2 * Math.abs(p.y - c.y)) / (height * 0.84));
  }
  return { x: d.x, y: d.y, angle: 0, ratio: Math.min(1, Math.max(0.08, need || 0.25)) };
}

export function fitTo(ids, { duration = 400 } = {}) {
  const r = app.renderer;
  if (!r || !ids.length) return;
  const state = fitState(ids);
  if (!state) return;
  // Large networks jump: each animated frame would redraw every edge.
  if (duration && app.graph.size <= LIGHT_DRAWING_ABOVE) r.getCamera().animate(state, { duration });
  else r.getCamera().setState(state);
}

/** Fit the camera to what the filters leave (the whole network when nothing is hidden). */
export function fitVisible(options) {
  if (!app.renderer || !app.visibleNodes.size) return;
  fitTo([...app.visibleNodes], options);
}

export function selectNode(id, { zoom = false } = {}) {
  if (!app.graph.hasNode(id)) return;
  if (!app.visibleNodes.has(id)) {
    // Picked by search or a link while hidden: show it by dropping the filters and focus.
    app.filters = defaultFilters();
    app.focus = null;
    buildFilterControls();
    setMessage(`Filters were reset to show ${app.graph.getNodeAttribute(id, "label")}.`);
  }
  app.selected = id;
  refresh();
  renderPanel(id);
  if (zoom) {
    const state = focusState(id, [...app.neighbours]);
    if (state) app.renderer.getCamera().animate(state, { duration: 500 });
  }
  updateURL();
}

export function clearSelection() {
  app.selected = null;
  refresh();
  setChildren($("#panel"), el("p", { class: "muted" }, "Click a node, or find an organisation by name, to see its names, relations with their quotes and sources, and metrics."));
  updateURL();
}

export function setFocus(id, hops) {
  app.focus = { node: id, hops };
  app.path = null;
  refresh();
  fitTo([...app.visibleNodes]);
  updateURL();
}

export function clearFocus() {
  app.focus = null;
  app.path = null;
  setChildren($("#path-result"), );
  refresh({ fit: true });
}

/** The page URL follows the view (viewstate.js): a copied link reopens it. */
export function updateURL() {
  writeURL();
}
