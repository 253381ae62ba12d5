// Colour-blind-safe colours. Nodes: Okabe & Ito (2008) without black, then Paul Tol's "muted"
// scheme; values beyond the 16th share "other". Edges (relation types): Tol's "bright" scheme.
// kg/figure.py uses the same lists (a test checks that they agree).
export const NODE_PALETTE = [
  "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
  "#332288", "#117733", "#882255", "#44AA99", "#999933", "#AA4499", "#88CCEE", "#DDCC77", "#CC6677",
];
export const OTHER_COLOUR = "#7F7F7F";
export const MISSING_COLOUR = "#DDDDDD";
export const MISSING_VALUES = new Set(["", "-", "unassessed", "none", "null", "undefined"]);
export const RELATION_COLOURS = {
  funding: "#4477AA",
  membership: "#AA3377",
  partnership: "#228833",
  referral: "#EE6677",
  placement: "#CCBB44",
  revenue: "#66CCEE",
};
export const DEFAULT_EDGE_COLOUR = "#BBBBBB";

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
