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
  const currency = awards.codes.currency;
  const per = new Int32Array(awards.values.currency.length);
  let stating = 0;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    if (Number.isNaN(awards.amount[i])) continue;
    stating++;
    per[currency[i]]++;
  }
  const counts = new Map();
  awards.values.currency.forEach((cur, c) => per[c] > 0 && counts.set(cur, per[c]));
  const offered = [...counts.keys()].sort();
  if (wanted === "count") return { mode: "count", offered, stating };
  if (wanted && wanted !== "auto" && counts.has(wanted)) {
    return { mode: "amount", currency: wanted, offered, stating, drawn: counts.get(wanted) };
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

/** The three columns' node names per award, as interned codes (computed once per page). */
function columnsOf(awards) {
  return {
    funder: { values: awards.values.funder_label, codes: awards.codes.funder_label },
    programme: awards.derived("sankey-programme", (i) => {
      const p = awards.value("programme_label", i);
      return p === NOT_STATED ? "programme not stated" : p;
    }),
    recipient: awards.derived("sankey-recipient", (i) => recipientName(awards, i)),
  };
}

/** Nodes and links of the rows under a measure (top nodes per column, the rest as "other"). */
export function sankeyData(awards, rows, measure) {
  const cols = columnsOf(awards);
  const amount = awards.amount;
  const currency = awards.codes.currency;
  const wantedCurrency = measure.mode === "amount" ? awards.values.currency.indexOf(measure.currency) : -1;
  const drawn = new Int32Array(rows.length);
  let n = 0;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    if (measure.mode === "count" || (!Number.isNaN(amount[i]) && currency[i] === wantedCurrency)) drawn[n++] = i;
  }
  const used = drawn.subarray(0, n);
  const weight = (i) => (measure.mode === "amount" ? amount[i] : 1);
  // Per column: total per value code, the top codes kept, every other code mapped to "other".
  const node = {};
  const nodes = [];
  for (const [col, { values, codes }] of Object.entries(cols)) {
    const totals = new Float64Array(values.length);
    const seen = new Uint8Array(values.length);
    for (let k = 0; k < n; k++) {
      totals[codes[used[k]]] += weight(used[k]);
      seen[codes[used[k]]] = 1;
    }
    const present = [];
    for (let c = 0; c < values.length; c++) if (seen[c]) present.push(c);
    present.sort((a, b) => totals[b] - totals[a] || (values[a] < values[b] ? -1 : 1));
    const map = new Int32Array(values.length).fill(-1);
    present.slice(0, TOP[col]).forEach((c) => {
      map[c] = nodes.length;
      nodes.push({ id: `${col}:${values[c]}`, col, name: values[c] });
    });
    const others = present.length - TOP[col];
    if (others > 0) {
      const other = nodes.length;
      nodes.push({ id: `${col}:other`, col, name: `other ${col}s (${others.toLocaleString("en")})` });
      for (const c of present.slice(TOP[col])) map[c] = other;
    }
    node[col] = { codes, map };
  }
  const size = nodes.length;
  const value = new Float64Array(size * size);
  const count = new Int32Array(size * size);
  const kindOf = new Map();
  const fk = awards.codes.funder_kind;
  for (let k = 0; k < n; k++) {
    const i = used[k];
    const f = node.funder.map[node.funder.codes[i]];
    const p = node.programme.map[node.programme.codes[i]];
    const r = node.recipient.map[node.recipient.codes[i]];
    const w = weight(i);
    value[f * size + p] += w;
    count[f * size + p]++;
    value[p * size + r] += w;
    count[p * size + r]++;
    if (!kindOf.has(nodes[f].id)) kindOf.set(nodes[f].id, awards.values.funder_kind[fk[i]]);
  }
  const links = [];
  for (let a = 0; a < size; a++)
    for (let b = 0; b < size; b++)
      if (count[a * size + b] > 0)
        links.push({ source: nodes[a].id, target: nodes[b].id, value: value[a * size + b], awards: count[a * size + b] });
  return { nodes, links, drawn: n, kindOf };
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
            stroke:
              l.source.col === "funder" && !l.source.id.endsWith(":other") && !l.source.name.includes(NOT_STATED)
                ? colour(l.source)
                : "#9aa5a8",
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
      const chars = width >= 1200 ? LABEL_CHARS + 16 : LABEL_CHARS;
      const label = n.name.length > chars ? `${n.name.slice(0, chars - 1)}…` : n.name;
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
