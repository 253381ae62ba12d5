// Labels that never overlap and never run off the drawing. Sigma's own label layer is turned
// off (its grid keeps at most a few labels per cell but lets them overlap, and it is rebuilt
// only when sigma reprocesses the whole graph); after each render this module takes the
// visible nodes on screen, in priority order (the selected node, the path, the selected
// node's neighbours, then the largest nodes), and draws each label only where its box meets
// no box already drawn and no control over the canvas, and fits inside the canvas (tried
// right of the node, then left). Sigma has no collision-aware label selection, hence this
// module.
import { app } from "./state.js";
import { groupPosition, positionColour } from "./styling.js";

const PAD = 2;
/**
 * When more than SMALL_VIEW nodes are on screen, nodes smaller than LABEL_MIN_SIZE pixels get
 * a label only when forced (selected, path, ...); in a small view every node may have one.
 */
const LABEL_MIN_SIZE = 4.5;
const SMALL_VIEW = 300;
/** Text widths in the label font, kept across frames (measuring is the slow part). */
const widths = new Map();
/** Placed boxes are looked up in a grid of cells this size (pixels), not one by one. */
const CELL = 64;
export const LABEL_FONT = { size: 12, family: "Arial, Helvetica, sans-serif", weight: "normal" };

/** The visible nodes on screen that may carry a label, in viewport pixels. */
function candidatesOf(renderer) {
  const { width, height } = renderer.getDimensions();
  const out = [];
  for (const id of app.visibleNodes) {
    const d = renderer.getNodeDisplayData(id);
    if (!d || d.hidden || !d.label) continue;
    const size = renderer.scaleSize(d.size);
    const p = renderer.framedGraphToViewport(d);
    if (p.x < -size || p.y < -size || p.x > width + size || p.y > height + size) continue;
    out.push({ key: id, label: d.label, x: p.x, y: p.y, size, forced: !!d.forceLabel });
  }
  if (out.length <= SMALL_VIEW) return out;
  // A crowded view: the two largest nodes of each grid cell (and every forced label) are
  // enough candidates, since a cell holds about two labels; sorting thousands would not be.
  const best = new Map();
  const kept = [];
  for (const c of out) {
    if (c.forced) {
      kept.push(c);
      continue;
    }
    if (c.size < LABEL_MIN_SIZE) continue;
    const k = `${Math.floor(c.x / CELL)},${Math.floor(c.y / CELL)}`;
    const cell = best.get(k);
    if (!cell) best.set(k, [c]);
    else if (cell.length < 2) cell.push(c);
    else {
      const small = cell[0].size < cell[1].size ? 0 : 1;
      if (c.size > cell[small].size) cell[small] = c;
    }
  }
  for (const cell of best.values()) kept.push(...cell);
  return kept;
}

function priority(c) {
  if (c.key === app.selected) return 4;
  if (app.path && app.path.nodes.has(c.key)) return 3;
  if (app.selected && app.neighbours.has(c.key)) return 2;
  return c.forced ? 1 : 0;
}

const overlaps = (a, b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** Boxes indexed by the grid cells they cover: "does this box meet one?" looks at a few. */
class BoxGrid {
  constructor() {
    this.cells = new Map();
  }

  *keys(b) {
    for (let x = Math.floor(b.x0 / CELL); x <= Math.floor(b.x1 / CELL); x++) {
      for (let y = Math.floor(b.y0 / CELL); y <= Math.floor(b.y1 / CELL); y++) yield `${x},${y}`;
    }
  }

  add(b, owner = null) {
    const item = { box: b, owner };
    for (const k of this.keys(b)) {
      const cell = this.cells.get(k);
      if (cell) cell.push(item);
      else this.cells.set(k, [item]);
    }
  }

  meets(b, except = null) {
    for (const k of this.keys(b)) {
      const cell = this.cells.get(k);
      if (cell && cell.some((item) => (except === null || item.owner !== except) && overlaps(item.box, b))) return true;
    }
    return false;
  }
}

/**
 * Choose the labels to draw: [{id, label, x, y, anchor, box}] in viewport pixels, `x`/`y` being
 * where the text starts (its baseline) and `anchor` "start" or "end". Pure, for the exports too.
 */
export function placeLabels(list, measure, width, height, fontSize, obstacles = []) {
  const ordered = list
    .map((c) => ({ ...c, rank: priority(c) }))
    .sort((a, b) => b.rank - a.rank || b.size - a.size || (a.key < b.key ? -1 : 1));
  const placed = [];
  const taken = new BoxGrid();
  for (const box of obstacles) taken.add(box);
  // In a small view the nodes' discs are obstacles too, so that a label never hides a node.
  const discs = new BoxGrid();
  if (list.length <= SMALL_VIEW) for (const c of list) discs.add({ x0: c.x - c.size, y0: c.y - c.size, x1: c.x + c.size, y1: c.y + c.size }, c.key);
  const seen = new Set();
  for (const c of ordered) {
    if (seen.has(c.key)) continue;
    seen.add(c.key);
    const w = measure(c.label);
    const up = fontSize * 0.75 + PAD;
    const down = fontSize * 0.35 + PAD;
    const gap = c.size + 3;
    // Right of the node, left of it, above, below: the first place that is free.
    const places = [
      { anchor: "start", tx: c.x + gap, ty: c.y + fontSize / 3 },
      { anchor: "end", tx: c.x - gap, ty: c.y + fontSize / 3 },
      { anchor: "middle", tx: c.x, ty: c.y - c.size - 4 },
      { anchor: "middle", tx: c.x, ty: c.y + c.size + fontSize + 1 },
    ];
    const boxOf = ({ anchor, tx, ty }) => {
      const x0 = anchor === "start" ? tx : anchor === "end" ? tx - w : tx - w / 2;
      const base = ty - fontSize / 3;
      return { x0: x0 - PAD, x1: x0 + w + PAD, y0: base - up, y1: base + down };
    };
    const free = (b) => b.x0 >= 0 && b.y0 >= 0 && b.x1 <= width && b.y1 <= height && !taken.meets(b) && !discs.meets(b, c.key);
    const spot = places.find((p) => free(boxOf(p)));
    if (!spot) continue;
    const box = boxOf(spot);
    taken.add(box);
    placed.push({ id: c.key, label: c.label, x: spot.tx, y: spot.ty, anchor: spot.anchor, box, rank: c.rank });
  }
  return placed;
}

export function bindLabelLayer(renderer) {
  renderer.on("afterRender", () => {
    drawRings(renderer);
    const list = candidatesOf(renderer);
    const ctx = renderer.getCanvases().labels.getContext("2d");
    const { width, height } = renderer.getDimensions();
    const fontSize = LABEL_FONT.size;
    ctx.font = `${LABEL_FONT.weight} ${fontSize}px ${LABEL_FONT.family}`;
    const measure = (text) => {
      let w = widths.get(text);
      if (w === undefined) {
        w = ctx.measureText(text).width;
        widths.set(text, w);
      }
      return w;
    };
    const placed = placeLabels(list, measure, width, height, fontSize, overlays(renderer));
    ctx.lineJoin = "round";
    ctx.lineWidth = 3;
    ctx.strokeStyle = "#ffffff";
    ctx.fillStyle = "#111111";
    for (const p of placed) {
      ctx.textAlign = p.anchor === "end" ? "right" : p.anchor === "middle" ? "center" : "left";
      ctx.strokeText(p.label, p.x, p.y);
      ctx.fillText(p.label, p.x, p.y);
    }
    ctx.textAlign = "left";
    app.drawnLabels = placed;
  });
}

/**
 * Typology positions stated for a group (a country's or a kind's organisations): a dashed
 * ring in the position's colour around the group's node, only when asked, so that they are
 * never mistaken for an organisation's own assessment (a fill).
 */
function drawRings(renderer) {
  app.drawnRings = [];
  if (app.colourBy !== "position" || !app.groupPositions) return;
  const ctx = renderer.getCanvases().labels.getContext("2d");
  ctx.save();
  ctx.lineWidth = 3;
  ctx.setLineDash([4, 2]);
  for (const id of app.visibleNodes) {
    const p = groupPosition(app.graph.getNodeAttributes(id));
    if (!p) continue;
    const d = renderer.getNodeDisplayData(id);
    if (!d || d.hidden) continue;
    const v = renderer.framedGraphToViewport(d);
    const r = renderer.scaleSize(d.size) + 3;
    ctx.strokeStyle = positionColour(p);
    ctx.beginPath();
    ctx.arc(v.x, v.y, r, 0, 2 * Math.PI);
    ctx.stroke();
    app.drawnRings.push({ id, position: p, x: v.x, y: v.y, r, colour: ctx.strokeStyle });
  }
  ctx.restore();
}

/**
 * Boxes of the controls drawn over the canvas (the zoom buttons), in canvas pixels. Read once
 * per size of the drawing: reading the layout after every frame would force a page layout.
 */
let overlayCache = { key: "", boxes: [] };
function overlays(renderer) {
  const { width, height } = renderer.getDimensions();
  const key = `${width}x${height}`;
  if (overlayCache.key !== key) overlayCache = { key, boxes: measureOverlays(renderer) };
  return overlayCache.boxes;
}

function measureOverlays(renderer) {
  const box = renderer.getContainer().getBoundingClientRect();
  return [...document.querySelectorAll(".stage .zoom")].map((node) => {
    const r = node.getBoundingClientRect();
    return { x0: r.left - box.left - 4, y0: r.top - box.top - 4, x1: r.right - box.left + 4, y1: r.bottom - box.top + 4 };
  });
}
