// Walks over part of the graph with graphology's own packages: the ego network (k-hop
// neighbourhood) and the downstream funding cascade with graphology-traversal's breadth-first
// search, the path between two nodes with graphology-shortest-path. Both walk the neighbours a
// view offers: the view is the graph itself (no copy: Object.create keeps every method and
// index) with its neighbour iterators restricted to some edges, since building a subgraph of
// 50,000 edges would cost more than the walk.
import { bidirectional } from "graphology-shortest-path/unweighted.js";
import { bfsFromNode } from "graphology-traversal";

/**
 * `graph` seen through `forEachNeighbour(node, callback(neighbour, attributes))`, which both
 * traversal directions use (graphology-traversal walks "outbound" neighbours by default,
 * graphology-shortest-path's bidirectional search outbound and inbound ones).
 */
function view(graph, forEachNeighbour) {
  const v = Object.create(graph);
  const neighbours = (node) => {
    const out = [];
    forEachNeighbour(node, (n) => out.push(n));
    return out;
  };
  v.forEachOutboundNeighbor = v.forEachInboundNeighbor = forEachNeighbour;
  v.outboundNeighbors = v.inboundNeighbors = neighbours;
  return v;
}

/** Neighbours over the given edges, ignoring their direction. */
function undirectedView(graph, edges) {
  return view(graph, (node, callback) =>
    graph.forEachEdge(node, (e, a, s, t, sa, ta) => {
      if (!edges.has(e)) return;
      if (s === node) callback(t, ta);
      else callback(s, sa);
    }),
  );
}

/** The nodes at most `hops` steps from `node` over `edges` (a Set of edge keys), any direction. */
export function egoNodes(graph, edges, node, hops) {
  const reached = new Set();
  bfsFromNode(undirectedView(graph, edges), node, (n, attrs, depth) => {
    reached.add(n);
    return depth >= hops; // true: do not go further from this node
  });
  return reached;
}

/** Edges reachable downstream from a funder or programme along funding edges (≤ `depth` steps). */
export function fundingCascade(graph, source, depth = 3) {
  const edges = new Set();
  const funded = (node, callback) =>
    graph.forEachOutEdge(node, (e, a, s, t, sa, ta) => {
      if (a.relation === "funding") callback(t, ta, e);
    });
  bfsFromNode(view(graph, funded), source, (n, attrs, d) => {
    if (d >= depth) return true;
    funded(n, (t, ta, e) => edges.add(e));
    return false;
  });
  return edges;
}

/**
 * A shortest path from `from` to `to` over `edges`, ignoring direction, as
 * {steps: [node, …], edges: [edge, …]}, or null when there is none.
 */
export function undirectedPath(graph, edges, from, to) {
  const steps = bidirectional(undirectedView(graph, edges), from, to);
  if (!steps) return null;
  const along = [];
  for (let i = 1; i < steps.length; i++) {
    const [a, b] = [steps[i - 1], steps[i]];
    along.push(graph.findEdge(a, (e, attrs, s, t) => edges.has(e) && (s === b || t === b)));
  }
  return { steps, edges: along };
}

/**
 * The k-core of the subgraph made of `nodes` and `edges` (direction ignored): the nodes left
 * after repeatedly removing those with fewer than k distinct neighbours (Batagelj & Zaversnik,
 * 2003, by peeling). graphology has no k-core of its own, hence these few lines.
 */
export function kCore(graph, nodes, edges, k) {
  const neighbours = new Map();
  for (const n of nodes) neighbours.set(n, new Set());
  for (const e of edges) {
    const [s, t] = graph.extremities(e);
    if (s === t || !neighbours.has(s) || !neighbours.has(t)) continue;
    neighbours.get(s).add(t);
    neighbours.get(t).add(s);
  }
  const queue = [...nodes].filter((n) => neighbours.get(n).size < k);
  const removed = new Set(queue);
  while (queue.length) {
    const n = queue.pop();
    for (const m of neighbours.get(n)) {
      const ns = neighbours.get(m);
      ns.delete(n);
      if (!removed.has(m) && ns.size < k) {
        removed.add(m);
        queue.push(m);
      }
    }
  }
  return new Set([...nodes].filter((n) => !removed.has(n)));
}

/** The largest connected component (direction ignored) of `nodes` over `edges`; ties: first found. */
export function largestComponent(graph, nodes, edges) {
  const v = undirectedView(graph, edges);
  const seen = new Set();
  let best = new Set();
  for (const start of nodes) {
    if (seen.has(start)) continue;
    const part = new Set();
    bfsFromNode(v, start, (n) => {
      part.add(n);
      seen.add(n);
    });
    if (part.size > best.size) best = part;
  }
  return best;
}
