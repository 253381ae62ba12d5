// Colour-blind-safe colours, read at build time from kg/viz/palette.json, the file that
// kg.viz.palette reads too (esbuild's JSON loader inlines it). Nodes: Okabe & Ito (2008) without
// black, then Paul Tol's "muted" scheme; values beyond the 16th share "other". Edges (relation
// types): Tol's "bright" scheme.
import palette from "../../kg/viz/palette.json";

export const NODE_PALETTE = palette.node_palette;
export const OTHER_COLOUR = palette.other_colour;
export const MISSING_COLOUR = palette.missing_colour;
export const MISSING_VALUES = new Set(palette.missing_values);
export const RELATION_COLOURS = palette.relation_colours;
export const DEFAULT_EDGE_COLOUR = palette.default_edge_colour;

/**
 * Assign colours to the values of an attribute, most frequent first, so that the biggest
 * groups get the most distinct colours and the assignment does not change when filtering.
 * Returns {colourOf(value), entries: [{value, colour}]}.
 */
export function colourScale(values) {
  const counts = new Map();
  for (const v of values) counts.set(v, (counts.get(v) || 0) + 1);
  const ordered = [...counts.entries()]
    .filter(([v]) => !MISSING_VALUES.has(String(v)))
    .sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])))
    .map(([v]) => v);
  const map = new Map();
  ordered.forEach((v, i) => map.set(v, i < NODE_PALETTE.length ? NODE_PALETTE[i] : OTHER_COLOUR));
  return {
    colourOf(value) {
      if (MISSING_VALUES.has(String(value))) return MISSING_COLOUR;
      return map.get(value) || OTHER_COLOUR;
    },
    isOther(value) {
      return !MISSING_VALUES.has(String(value)) && (map.get(value) || OTHER_COLOUR) === OTHER_COLOUR;
    },
  };
}
