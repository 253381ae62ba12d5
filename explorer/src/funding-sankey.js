// The Sankey of the funding page: funder → programme → recipient, laid out by d3-sankey (npm),
// drawn as SVG. Link width is the amount where every award shown states one in the same
// currency (or where the reader picks a currency: then only the awards stating an amount in it
// are drawn, and the legend says how many), the number of awards otherwise. Amounts in two
// currencies are never added up. A group-level award links to the group, marked as such; it is
// never spread over the group's members.
import { sankey, sankeyLinkHorizontal, sankeyLeft } from "d3-sankey";

import { el } from "./util.js";
import { colourScale, MISSING_COLOUR, OTHER_COLOUR } from "./palette.js";
import { money, NOT_STATED } from "./funding-filter.js";

const SVG = "http://www.w3.org/2000/svg";
/** Nodes kept per column; the rest are folded into one "other …" node per column. */
const TOP = { funder: 20, programme: 20, recipient: 24 };
/** Narrower than this the Sankey scrolls sideways rather than squeezing its labels together. */
const MIN_WIDTH = 760;
const LABEL_CHARS = 44;

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) node.setAttribute(k, String(v));
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

/** Which measure gives link width: {mode: "amount", currency} or {mode: "count"}, and why. */
export function widthMeasure(awards, rows, wanted) {
  const currencies = new Map();
  let stating = 0;
  for (const i of rows) {
    if (Number.isNaN(awards.amount[i])) continue;
    stating++;
    const cur = awards.value("currency", i);
    currencies.set(cur, (currencies.get(cur) || 0) + 1);
  }
  const offered = [...currencies.keys()].sort();
  if (wanted === "count") return { mode: "count", offered, stating };
  if (wanted && wanted !== "auto" && currencies.has(wanted)) {
    return { mode: "amount", currency: wanted, offered, stating, drawn: currencies.get(wanted) };
  }
  if (rows.length > 0 && stating === rows.length && offered.length === 1) {
    return { mode: "amount", currency: offered[0], offered, stating, drawn: stating };
  }
  return { mode: "count", offered, stating };
}

function recipientName(awards, i) {
  const label = awards.value("recipient_label", i);
  const scope = awards.value("scope", i);
  if (label === NOT_STATED) {
    const project = awards.value("project_label", i);
    return project !== NOT_STATED ? `recipient not stated (project: ${project})` : "recipient not stated";
  }
  return scope === "group" || scope === "country" ? `${label} (${scope}-level)` : label;
}

/** Nodes and links of the rows under a measure (top nodes per column, the rest as "other"). */
export function sankeyData(awards, rows, measure) {
  const weight = (i) => (measure.mode === "amount" ? awards.amount[i] : 1);
  const use = (i) =>
    measure.mode === "count" ||
    (!Number.isNaN(awards.amount[i]) && awards.value("currency", i) === measure.currency);
  const names = {
    funder: (i) => awards.value("funder_label", i),
    programme: (i) => {
      const p = awards.value("programme_label", i);
      return p === NOT_STATED ? "programme not stated" : p;
    },
    recipient: (i) => recipientName(awards, i),
  };
  const totals = { funder: new Map(), programme: new Map(), recipient: new Map() };
  const drawn = [];
  for (const i of rows) {
    if (!use(i)) continue;
    drawn.push(i);
    for (const col of Object.keys(totals)) {
      const name = names[col](i);
      totals[col].set(name, (totals[col].get(name) || 0) + weight(i));
    }
  }
  const keep = {};
  for (const col of Object.keys(totals)) {
    const ordered = [...totals[col].entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    keep[col] = { names: new Set(ordered.slice(0, TOP[col]).map(([n]) => n)), others: ordered.length - TOP[col] };
  }
  const nodeId = (col, name) => {
    if (keep[col].names.has(name)) return `${col}:${name}`;
    return `${col}:other`;
  };
  const nodes = new Map();
  const links = new Map();
  const kindOf = new Map();
  const addNode = (id, col, name) => {
    if (!nodes.has(id)) {
      const label = id.endsWith(":other") ? `other ${col}s (${keep[col].others.toLocaleString("en")})` : name;
      nodes.set(id, { id, col, name: label });
    }
  };
  for (const i of drawn) {
    const ids = Object.keys(totals).map((col) => {
      const name = names[col](i);
      const id = nodeId(col, name);
      addNode(id, col, name);
      return id;
    });
    kindOf.set(ids[0], awards.value("funder_kind", i));
    for (const [s, t] of [
      [ids[0], ids[1]],
      [ids[1], ids[2]],
    ]) {
      const key = `${s}\u0000${t}`;
      const link = links.get(key) || { source: s, target: t, value: 0, awards: 0 };
      link.value += weight(i);
      link.awards += 1;
      links.set(key, link);
    }
  }
  return { nodes: [...nodes.values()], links: [...links.values()], drawn: drawn.length, kindOf };
}

/** Draw the Sankey into `host`; returns the data drawn (tests read it from window.__funding). */
export function drawSankey(host, legend, awards, rows, wanted) {
  const measure = widthMeasure(awards, rows, wanted);
  const data = sankeyData(awards, rows, measure);
  const width = Math.max(MIN_WIDTH, host.clientWidth || 800);
  const perColumn = Math.max(1, ...["funder", "programme", "recipient"].map((c) => data.nodes.filter((n) => n.col === c).length));
  // at least 18 px per node of the fullest column, so that 11 px labels never overlap
  const height = Math.max(260, 16 + perColumn * 18);
  const root = svg("svg", {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: "img",
    "aria-label": "Funding flows: funder, programme, recipient",
  });
  host.replaceChildren(root);
  if (!data.links.length) {
    root.append(svg("text", { x: 12, y: 30, class: "empty" }, "No award to draw with these filters."));
  } else {
    const layout = sankey()
      .nodeId((d) => d.id)
      .nodeAlign(sankeyLeft)
      .nodeWidth(10)
      .nodePadding(8)
      .extent([
        [1, 8],
        [width - 1, height - 8],
      ]);
    const graph = layout({ nodes: data.nodes.map((d) => ({ ...d })), links: data.links.map((d) => ({ ...d })) });
    const kinds = colourScale([...data.kindOf.values()]);
    const colour = (node) =>
      node.col === "funder" ? kinds.colourOf(data.kindOf.get(node.id) || NOT_STATED) : node.col === "programme" ? "#666" : "#999";
    const path = sankeyLinkHorizontal();
    const gl = svg("g", { class: "links", fill: "none" });
    for (const l of graph.links) {
      const what =
        measure.mode === "amount" ? money(l.value, measure.currency) : `${l.value} award${l.value === 1 ? "" : "s"}`;
      gl.append(
        svg(
          "path",
          {
            d: path(l),
            stroke: l.source.col === "funder" && !l.source.id.endsWith(":other") ? colour(l.source) : "#8aa",
            "stroke-opacity": 0.45,
            "stroke-width": Math.max(1, l.width),
            "data-source": l.source.name,
            "data-target": l.target.name,
            "data-value": l.value,
            "data-awards": l.awards,
          },
          svg("title", {}, `${l.source.name} → ${l.target.name}: ${what}`),
        ),
      );
    }
    const gn = svg("g", { class: "nodes" });
    for (const n of graph.nodes) {
      const right = n.x0 > width / 2;
      const label = n.name.length > LABEL_CHARS ? `${n.name.slice(0, LABEL_CHARS - 1)}…` : n.name;
      gn.append(
        svg(
          "rect",
          {
            x: n.x0,
            y: n.y0,
            width: n.x1 - n.x0,
            height: Math.max(1, n.y1 - n.y0),
            fill: n.name.includes(NOT_STATED) ? MISSING_COLOUR : n.id.endsWith(":other") ? OTHER_COLOUR : colour(n),
            stroke: "#333",
            "stroke-width": 0.5,
            "data-node": n.name,
            "data-column": n.col,
          },
          svg("title", {}, n.name),
        ),
        svg(
          "text",
          {
            x: right ? n.x0 - 4 : n.x1 + 4,
            y: (n.y0 + n.y1) / 2,
            dy: "0.35em",
            "text-anchor": right ? "end" : "start",
          },
          label,
        ),
      );
    }
    root.append(gl, gn);
  }
  const n = rows.length;
  const lines = [];
  if (measure.mode === "amount") {
    lines.push(`Link width: amount in ${measure.currency} (amounts as stated, never converted).`);
    if (measure.drawn < n)
      lines.push(
        `${measure.drawn.toLocaleString("en")} of ${n.toLocaleString("en")} awards state an amount in ${measure.currency}; only they are drawn.`,
      );
  } else {
    lines.push("Link width: number of awards.");
    lines.push(
      measure.stating === 0
        ? `None of the ${n.toLocaleString("en")} awards shown states an amount.`
        : `${measure.stating.toLocaleString("en")} of ${n.toLocaleString("en")} awards state an amount` +
            (measure.offered.length > 1 ? ` in ${measure.offered.length} currencies (${measure.offered.join(", ")}), never added up.` : "."),
    );
  }
  lines.push("Columns: funder → programme → recipient. A group-level award goes to the group, not to each member.");
  legend.replaceChildren(...lines.map((t) => el("p", {}, t)));
  return { measure, ...data };
}
