// The awards of the funding page in the browser: per-column codes from /api/funding?layout=columns,
// the filter state (the same names as the API's query string, so the page's URL and a download
// say the same thing), filtering, sorting and coverage. The rules are kg.funding.awards's
// (filter_awards, sort_awards, coverage); the browser tests check that a download equals the
// rows shown, so the two cannot drift apart unnoticed.

export const NOT_STATED = "not stated";
/** Value filters: URL name -> column. */
export const VALUE_FILTERS = {
  funder: "funder_label",
  programme: "programme_label",
  recipient: "recipient_label",
  kind: "recipient_kind",
  country: "country",
};
const NUMBER_FILTERS = ["from", "to", "min", "max"];
export const SORTABLE = [
  "funder_label",
  "funder_kind",
  "programme_label",
  "recipient_label",
  "recipient_kind",
  "country",
  "amount",
  "currency",
  "start",
  "end",
  "status",
  "scope",
];

/** The awards as columns: value(col, i), plus typed arrays for the numbers filters use. */
export class Awards {
  constructor(body) {
    this.n = body.shown;
    this.total = body.total;
    this.columns = body.columns;
    this.values = {};
    this.codes = {};
    for (const [col, { values, codes, prefix }] of Object.entries(body.data)) {
      // IRIs come without their shared namespace, distinct-valued columns without codes
      this.values[col] = prefix ? values.map((v) => prefix + v) : values;
      this.codes[col] = codes ? Int32Array.from(codes) : Int32Array.from({ length: this.n }, (_, i) => i);
    }
    this.start = this.numbers("start");
    this.end = this.numbers("end");
    this.amount = this.numbers("amount");
    this.ranks = {};
    this.statedMasks = {};
  }

  /** Per value code of a column: 1 where the value is stated (not null, not "not stated"). */
  stated(col) {
    if (!this.statedMasks[col]) this.statedMasks[col] = Uint8Array.from(this.values[col], (v) => (stated(v) ? 1 : 0));
    return this.statedMasks[col];
  }

  /**
   * Codes of a derived column: name(i) computed once per award (at first use) and interned, so
   * that each redraw aggregates integers. Returns {values, codes}.
   */
  derived(key, name) {
    this.derivedColumns = this.derivedColumns || {};
    if (!this.derivedColumns[key]) {
      const index = new Map();
      const codes = new Int32Array(this.n);
      for (let i = 0; i < this.n; i++) {
        const v = name(i);
        let c = index.get(v);
        if (c === undefined) {
          c = index.size;
          index.set(v, c);
        }
        codes[i] = c;
      }
      this.derivedColumns[key] = { values: [...index.keys()], codes };
    }
    return this.derivedColumns[key];
  }

  numbers(col) {
    const out = new Float64Array(this.n);
    const values = this.values[col];
    const codes = this.codes[col];
    for (let i = 0; i < this.n; i++) {
      const v = values[codes[i]];
      out[i] = v === null || v === undefined ? NaN : v;
    }
    return out;
  }

  value(col, i) {
    return this.values[col][this.codes[col][i]];
  }

  /** Distinct values of a column with their number of awards, most frequent first. */
  counts(col) {
    const per = new Int32Array(this.values[col].length);
    for (const c of this.codes[col]) per[c]++;
    return this.values[col]
      .map((v, c) => [v, per[c]])
      .sort((a, b) => b[1] - a[1] || (String(a[0]) < String(b[0]) ? -1 : 1));
  }

  /** Rank of each distinct value (code-point order, as Python sorts), for fast sorting. */
  rank(col) {
    if (!this.ranks[col]) {
      const values = this.values[col];
      const order = values.map((_, c) => c).filter((c) => stated(values[c]));
      order.sort((a, b) => compare(values[a], values[b]));
      const rank = new Int32Array(values.length).fill(-1);
      let r = 0;
      order.forEach((c, k) => {
        if (k > 0 && compare(values[order[k - 1]], values[c]) !== 0) r++;
        rank[c] = r;
      });
      this.ranks[col] = rank;
    }
    return this.ranks[col];
  }
}

function stated(v) {
  return v !== null && v !== undefined && v !== NOT_STATED;
}

function compare(a, b) {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** The filter state from a query string (URLSearchParams); unknown names are ignored. */
export function parseState(params) {
  const state = { width: params.get("width") || "auto" };
  for (const name of Object.keys(VALUE_FILTERS)) state[name] = params.getAll(name).filter((v) => v !== "");
  for (const name of NUMBER_FILTERS) {
    const raw = params.get(name);
    const v = raw === null || raw.trim() === "" ? null : Number(raw);
    state[name] = v === null || Number.isNaN(v) ? null : v;
  }
  state.sort = SORTABLE.includes(params.get("sort")) ? params.get("sort") : null;
  state.desc = params.get("desc") === "true";
  return state;
}

/** The query string of a state: only what is set, in a fixed order (the API reads it as is). */
export function stateQuery(state, { page = true } = {}) {
  const params = new URLSearchParams();
  for (const name of Object.keys(VALUE_FILTERS)) for (const v of state[name]) params.append(name, v);
  for (const name of NUMBER_FILTERS) if (state[name] !== null) params.set(name, String(state[name]));
  if (state.sort) params.set("sort", state.sort);
  if (state.sort && state.desc) params.set("desc", "true");
  if (page && state.width && state.width !== "auto") params.set("width", state.width);
  return params.toString();
}

/** Indices of the awards the state keeps, in the state's order (kg.funding.filter_awards). */
export function filterAwards(awards, state) {
  const masks = [];
  for (const [name, col] of Object.entries(VALUE_FILTERS)) {
    if (!state[name].length) continue;
    const wanted = new Set(state[name]);
    masks.push([awards.codes[col], Uint8Array.from(awards.values[col], (v) => (wanted.has(v) ? 1 : 0))]);
  }
  const window = state.from !== null || state.to !== null;
  const ranged = state.min !== null || state.max !== null;
  const from = state.from ?? -Infinity;
  const to = state.to ?? Infinity;
  const min = state.min ?? -Infinity;
  const max = state.max ?? Infinity;
  const { start, end, amount } = awards;
  const kept = new Int32Array(awards.n);
  let k = 0;
  rows: for (let i = 0; i < awards.n; i++) {
    for (const [codes, mask] of masks) if (!mask[codes[i]]) continue rows;
    if (window) {
      const lo = Number.isNaN(start[i]) ? end[i] : start[i];
      const hi = Number.isNaN(end[i]) ? start[i] : end[i];
      if (Number.isNaN(lo) || hi < from || lo > to) continue;
    }
    if (ranged) {
      const a = amount[i];
      if (Number.isNaN(a) || a < min || a > max) continue;
    }
    kept[k++] = i;
  }
  const rows = kept.subarray(0, k);
  return state.sort ? sortAwards(awards, rows, state.sort, state.desc) : rows;
}

/**
 * Stable sort on one column; values not stated last in both directions (kg.funding.sort_awards).
 * A counting sort on the values' ranks: linear in the rows, and rows of one rank keep their order
 * in both directions, as Python's sorted(reverse=True) keeps them.
 */
export function sortAwards(awards, rows, col, desc) {
  const rank = awards.rank(col);
  const codes = awards.codes[col];
  let top = -1;
  for (const r of rank) if (r > top) top = r;
  const buckets = top + 2; // the last bucket: not stated
  const count = new Int32Array(buckets + 1);
  const bucketOf = (i) => {
    const r = rank[codes[i]];
    if (r < 0) return buckets - 1;
    return desc ? top - r : r;
  };
  for (let k = 0; k < rows.length; k++) count[bucketOf(rows[k]) + 1]++;
  for (let b = 0; b < buckets; b++) count[b + 1] += count[b];
  const out = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[count[bucketOf(rows[k])]++] = rows[k];
  return out;
}

/** How many of the rows state each sparse field; amounts per currency, never summed across. */
export function coverage(awards, rows) {
  const out = { awards: rows.length, year: 0, amount: 0, programme: 0, funder: 0, funder_kind: 0, country: 0 };
  const { start, end, amount } = awards;
  const currency = awards.codes.currency;
  const sums = new Float64Array(awards.values.currency.length);
  const per = new Int32Array(awards.values.currency.length);
  const checks = [
    ["programme", "programme_label"],
    ["funder_kind", "funder_kind"],
    ["country", "country"],
  ].map(([key, col]) => [key, awards.codes[col], awards.stated(col)]);
  const funderCodes = awards.codes.funder_label;
  const funderStated = Uint8Array.from(awards.values.funder_label, (v) => (String(v).startsWith(NOT_STATED) ? 0 : 1));
  const counts = checks.map(() => 0);
  let funders = 0;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    if (!Number.isNaN(start[i]) || !Number.isNaN(end[i])) out.year++;
    if (!Number.isNaN(amount[i])) {
      out.amount++;
      sums[currency[i]] += amount[i];
      per[currency[i]]++;
    }
    funders += funderStated[funderCodes[i]];
    for (let c = 0; c < checks.length; c++) counts[c] += checks[c][2][checks[c][1][i]];
  }
  checks.forEach(([key], c) => (out[key] = counts[c]));
  out.funder = funders;
  const byCurrency = [];
  awards.values.currency.forEach((cur, c) => {
    if (per[c] > 0) byCurrency.push([cur, sums[c]]);
  });
  out.amount_by_currency = Object.fromEntries(byCurrency.sort());
  return out;
}

/** "2 of 122 awards state a year; 1 states an amount" (or "…; none states an amount"). */
export function coverageLine(n, stating, what, amounts) {
  const verb = (k) => (k === 1 ? "states" : "state");
  const count = (k) => (k === 0 ? "none" : k.toLocaleString("en"));
  return (
    `${stating.toLocaleString("en")} of ${n.toLocaleString("en")} award${n === 1 ? "" : "s"} ${verb(stating)} ${what}; ` +
    `${count(amounts)} ${verb(amounts === 0 ? 1 : amounts)} an amount`
  );
}

/** An amount with its currency, never converted: "EUR 12,000,000". */
export function money(value, currency) {
  return `${currency} ${Math.round(value).toLocaleString("en")}`;
}
