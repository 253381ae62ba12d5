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

export const CATEGORY_COLOURS = palette.category_colours;
export const POSITIONS = palette.positions;

/**
 * Colour the values of attribute `key`: a value listed in palette.json's category_colours
 * has its one colour in every network (and in kg/viz/figure.py's figures); other values take
 * the palette colours no listed value of this view uses, most frequent first, so that the
 * biggest groups get the most distinct colours and the assignment does not change when
 * filtering. Returns {colourOf(value), isOther(value)}.
 */
export function colourScale(values, key = null) {
  const fixed = (key && CATEGORY_COLOURS[key]) || {};
  const counts = new Map();
  for (const v of values) counts.set(v, (counts.get(v) || 0) + 1);
  const present = [...counts.keys()].filter((v) => !MISSING_VALUES.has(String(v)));
  const map = new Map();
  for (const v of present) if (fixed[v]) map.set(v, fixed[v]);
  const taken = new Set(map.values());
  const free = NODE_PALETTE.filter((c) => !taken.has(c));
  present
    .filter((v) => !map.has(v))
    .sort((a, b) => counts.get(b) - counts.get(a) || String(a).localeCompare(String(b)))
    .forEach((v, i) => map.set(v, i < free.length ? free[i] : OTHER_COLOUR));
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
