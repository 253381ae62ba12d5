// The table of awards: a header of sort buttons and a body that draws only the rows in view
// (@tanstack/virtual-core), so 100,000 awards scroll and re-filter without building 100,000 DOM
// rows. Rows have one fixed height (long quotes are cut with an ellipsis; the full text is in
// the cell's title and in the downloads).
import { Virtualizer, elementScroll, observeElementOffset, observeElementRect } from "@tanstack/virtual-core";

import { el } from "./util.js";
import { NOT_STATED } from "./funding-filter.js";

export const ROW_HEIGHT = 30;

/** Shown columns: [header, text of award i, sort column or null, CSS width]. */
export const TABLE_COLUMNS = [
  ["Funder", (a, i) => a.value("funder_label", i), "funder_label", "minmax(8rem, 1.4fr)"],
  ["Funder kind", (a, i) => a.value("funder_kind", i), "funder_kind", "6rem"],
  ["Programme", (a, i) => a.value("programme_label", i), "programme_label", "minmax(8rem, 1.2fr)"],
  ["Recipient", (a, i) => a.value("recipient_label", i), "recipient_label", "minmax(8rem, 1.4fr)"],
  ["Project", (a, i) => a.value("project_label", i), null, "minmax(8rem, 1fr)"],
  ["Recipient kind", (a, i) => a.value("recipient_kind", i), "recipient_kind", "6rem"],
  ["Scope", (a, i) => a.value("scope", i), "scope", "6rem"],
  ["Country", (a, i) => a.value("country", i), "country", "4.5rem"],
  ["Amount", (a, i) => (Number.isNaN(a.amount[i]) ? NOT_STATED : a.amount[i].toLocaleString("en")), "amount", "6.5rem"],
  ["Currency", (a, i) => a.value("currency", i), "currency", "4.5rem"],
  ["Period", (a, i) => a.value("period", i), "start", "6rem"],
  ["Status", (a, i) => a.value("status", i), "status", "5rem"],
  ["Quote", (a, i) => a.value("quote", i) || NOT_STATED, null, "minmax(10rem, 2.5fr)"],
  ["Source, line", (a, i) => source(a, i), null, "minmax(8rem, 1fr)"],
];

function source(a, i) {
  const titles = String(a.value("source", i) || "").split(" | ");
  const lines = String(a.value("line", i) ?? "").split(" | ");
  if (!titles[0]) return NOT_STATED;
  // the line first: the title is long and the cell cuts it
  return titles.map((t, k) => (lines[k] ? `line ${lines[k]}, ${t}` : t)).join(" | ");
}

/** The texts of one row as shown (tests compare them with the CSV). */
export function rowTexts(awards, i) {
  return TABLE_COLUMNS.map(([, text]) => String(text(awards, i)));
}

export class AwardTable {
  constructor(host, { onSort }) {
    this.host = host;
    this.onSort = onSort;
    this.rows = new Int32Array(0);
    this.awards = null;
    const template = TABLE_COLUMNS.map((c) => c[3]).join(" ");
    host.style.setProperty("--columns", template);
    this.head = el("div", { class: "thead", role: "row" });
    this.scroller = el("div", { class: "tscroll", tabindex: "0", "aria-label": "Awards (scroll)" });
    this.body = el("div", { class: "tbody", role: "rowgroup" });
    this.scroller.append(this.body);
    host.replaceChildren(el("div", { class: "tgrid", role: "table", "aria-label": "Funding awards" }, this.head, this.scroller));
    this.virtualizer = new Virtualizer({
      count: 0,
      getScrollElement: () => this.scroller,
      estimateSize: () => ROW_HEIGHT,
      overscan: 8,
      scrollToFn: elementScroll,
      observeElementRect,
      observeElementOffset,
      onChange: () => this.paint(),
    });
    this.cleanup = this.virtualizer._didMount();
  }

  header(sort, desc) {
    // Rebuilt only when the order changes: a filter applied on blur must not replace the
    // button a click is landing on (the click would be lost).
    const key = `${sort}:${desc}`;
    if (this.headKey === key) return;
    this.headKey = key;
    this.head.replaceChildren(
      ...TABLE_COLUMNS.map(([label, , col]) => {
        if (!col) return el("div", { class: "th", role: "columnheader" }, label);
        const on = sort === col;
        return el(
          "div",
          { class: "th", role: "columnheader", "aria-sort": on ? (desc ? "descending" : "ascending") : "none" },
          el(
            "button",
            { type: "button", "data-sort": col, onclick: () => this.onSort(col, on ? !desc : false) },
            label,
            on ? (desc ? " ▼" : " ▲") : "",
          ),
        );
      }),
    );
  }

  show(awards, rows, sort, desc) {
    this.awards = awards;
    this.rows = rows;
    this.header(sort, desc);
    // as tall as the rows, up to 60 % of the window: a few awards leave no empty box
    const tall = Math.min(Math.max(rows.length, 2) * ROW_HEIGHT + 2, Math.max(240, 0.6 * window.innerHeight), 560);
    this.scroller.style.height = `${tall}px`;
    this.virtualizer.setOptions({ ...this.virtualizer.options, count: rows.length });
    this.scroller.scrollTop = 0; // a new selection starts at its first row
    this.virtualizer._willUpdate();
    this.paint();
  }

  paint() {
    const items = this.virtualizer.getVirtualItems();
    this.body.style.height = `${this.virtualizer.getTotalSize()}px`;
    const a = this.awards;
    this.body.replaceChildren(
      ...items.map((item) => {
        const i = this.rows[item.index];
        return el(
          "div",
          {
            class: "tr",
            role: "row",
            style: `transform: translateY(${item.start}px)`,
            "data-index": item.index,
            "aria-rowindex": item.index + 2,
          },
          ...TABLE_COLUMNS.map(([, text]) => {
            const t = String(text(a, i));
            return el("div", { class: t === NOT_STATED ? "td missing" : "td", role: "cell", title: t }, t);
          }),
        );
      }),
    );
  }
}
