// Small DOM and network helpers shared by the explorer and the organisation page.

/** Build an element: el("a", {href: "/x", class: "y"}, "text", child). Text is never parsed as HTML. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const $ = (selector, root = document) => root.querySelector(selector);

/** Replace a node's children, skipping null/false entries (replaceChildren would print "null"). */
export function setChildren(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

/** Fetch JSON; throws an Error carrying the server's `detail` message. */
export async function fetchJSON(url, options = {}) {
  const res = await fetch(url, { headers: { Accept: "application/json" }, ...options });
  if (!res.ok) {
    let detail = `${res.status} ${res.statusText}`;
    try {
      const body = await res.json();
      if (body && body.detail) detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail);
    } catch (_) {
      /* not JSON */
    }
    const error = new Error(detail);
    error.status = res.status;
    throw error;
  }
  return res.json();
}

/** Offer a Blob as a file download. */
export function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** The /org/{ref} path of a node reference (slug, CURIE or IRI). */
export function orgHref(ref) {
  return `/org/${encodeURIComponent(ref).replaceAll("%3A", ":")}`;
}

export function formatNumber(value, digits = 3) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  if (Number.isInteger(value)) return value.toLocaleString("en");
  return Number(value).toLocaleString("en", { maximumSignificantDigits: digits });
}

/** "2016–2018", "from 2016", "until 2018" or "" for a relation's period. */
export function period(start, end) {
  if (start == null && end == null) return "";
  if (start != null && end != null) return start === end ? `${start}` : `${start}–${end}`;
  return start != null ? `from ${start}` : `until ${end}`;
}

/** The source viewer's address of a passage: /sources/{file}#L{line} (the line when known). */
export function sourceHref(file, line) {
  return `/sources/${encodeURIComponent(file)}${line ? `#L${line}` : ""}`;
}

/**
 * A quote with its source: <blockquote> and a citation line naming the document by its title,
 * with a link to the passage in the source viewer ("line 55").
 */
export function quoteBlock(quote, source, file, line) {
  const where = line ? `line ${line}` : "open the document";
  return el(
    "figure",
    { class: "quote" },
    el("blockquote", { class: "quote-text" }, quote),
    el(
      "figcaption",
      {},
      "— ",
      el("cite", { class: "quote-source", dataset: { file: file || "" } }, source || "unknown source"),
      file ? el("span", { class: "quote-file" }, " (", el("a", { href: sourceHref(file, line), class: "source-link", title: file }, where), ")") : null,
    ),
  );
}
