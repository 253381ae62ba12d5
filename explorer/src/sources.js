// The source viewer at /sources/{doc}: the server writes every line as text in <li id="L{n}">
// and the passages the graph quotes in a JSON block. A link #L123 marks line 123 (CSS :target,
// even without this script); this script widens the mark to the passages that begin on that line
// (a quote may run over several lines), shows their text above the document and scrolls to them.
// #L120-L125 marks an explicit range.

const quotes = JSON.parse(document.getElementById("quotes").textContent || "[]");

/** Parse "#L12" or "#L12-L15" (also "#L12-15"): [first, last] or null. */
export function parseHash(hash) {
  const m = /^#L(\d+)(?:-L?(\d+))?$/.exec(hash || "");
  if (!m) return null;
  const first = Number(m[1]);
  const last = m[2] ? Number(m[2]) : first;
  return [Math.min(first, last), Math.max(first, last)];
}

/** The passages a link to `line` means: those recorded at that line, else those spanning it. */
export function passagesAt(line, all = quotes) {
  const recorded = all.filter((q) => q.line === line || q.start === line);
  return recorded.length ? recorded : all.filter((q) => q.start <= line && line <= q.end);
}

function clear() {
  for (const li of document.querySelectorAll("ol.doc li.hl")) li.classList.remove("hl", "hl-first", "hl-last");
}

function highlight() {
  clear();
  const box = document.getElementById("passage");
  const range = parseHash(window.location.hash);
  if (!range) {
    box.hidden = true;
    return;
  }
  let [first, last] = range;
  const passages = first === last ? passagesAt(first) : [];
  for (const q of passages) {
    first = Math.min(first, q.start);
    last = Math.max(last, q.end);
  }
  for (let n = first; n <= last; n += 1) {
    const li = document.getElementById(`L${n}`);
    if (li) li.classList.add("hl");
  }
  document.getElementById(`L${first}`)?.classList.add("hl-first");
  document.getElementById(`L${last}`)?.classList.add("hl-last");
  const where = first === last ? `Line ${first}` : `Lines ${first}–${last}`;
  box.replaceChildren();
  const head = document.createElement("strong");
  head.textContent = passages.length
    ? `${where}: ${passages.length === 1 ? "the passage quoted by the graph" : `${passages.length} passages quoted by the graph`}`
    : `${where}`;
  box.append(head);
  for (const q of passages) {
    const bq = document.createElement("blockquote");
    bq.textContent = `“${q.quote}”`;
    box.append(bq);
  }
  box.hidden = false;
  const target = document.getElementById(`L${first}`);
  if (target) target.scrollIntoView({ block: "center" });
  document.body.dataset.highlighted = `${first}-${last}`;
}

window.addEventListener("hashchange", highlight);
highlight();
document.body.dataset.ready = "true";
