// The SPARQL editor page at /sparql (Accept: text/html): YASGUI bundled from npm, talking to
// the same server's /sparql endpoint, with the project's named queries offered as examples.
//
// The editor talks to this server's /sparql only (issue 13): a link may carry a query
// (`#query=…`) but nothing else from the URL is taken (no endpoint, headers, arguments or
// result settings), and nothing is kept in localStorage, so no earlier visit can point the
// page elsewhere or replay a stored answer. The server's Content-Security-Policy
// (`connect-src 'self'`) refuses any other host even if this code were wrong.
//
// Issue 16: the named queries open runnable, with their example values bound (and a small form
// to bind others), from /api/editor/examples (kg.sparql.editor); the dropdown keeps showing the
// example loaded; the CLI's prefixes (/api/editor/prefixes, kg/namespaces.py) are predeclared:
// a query that uses one without declaring it gets the PREFIX line added before it is sent, and a
// prefix nobody knows gets a one-line message. Results open in the table's simple view; a chart
// view (sparql-chart.js) is offered when a column is numeric.
import Yasgui from "@zazuko/yasgui";
import "@zazuko/yasgui/build/yasgui.min.css";
import "./sparql.css";
import { ChartPlugin } from "./sparql-chart.js";

Yasgui.Yasr.registerPlugin("chart", ChartPlugin);
// The table's "Simple view" switch on by default (YASR calls it `compact`).
Yasgui.Yasr.defaults.plugins.table = { ...Yasgui.Yasr.defaults.plugins.table, dynamicConfig: { compact: true } };

const DEFAULT_QUERY = `PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?class (COUNT(?s) AS ?n)
WHERE { ?s a ?class }
GROUP BY ?class
ORDER BY DESC(?n)
LIMIT 25`;

function endpointUrl() {
  const el = document.getElementById("yasgui");
  return new URL(el.dataset.endpoint || "/sparql", window.location.href).href;
}

// The examples come from /api/editor/examples (runnable text with example values bound); an
// older server has only /api/queries (raw text): accept both shapes.
async function loadExamples(urls) {
  for (const url of urls) {
    try {
      const res = await fetch(url, { headers: { Accept: "application/json" } });
      if (!res.ok) continue;
      const body = await res.json();
      const items = Array.isArray(body) ? body : body.queries || body.items || [];
      return items
        .map((q) => ({
          name: q.name || q.id || "",
          title: q.title || q.summary || q.name || "query",
          params: q.params || [],
          text: q.text || q.query || q.sparql || "",
        }))
        .filter((q) => q.text);
    } catch (err) {
      console.debug("no named queries at", url, err);
    }
  }
  return [];
}

async function loadPrefixes() {
  try {
    const res = await fetch("/api/editor/prefixes", { headers: { Accept: "application/json" } });
    return res.ok ? await res.json() : {};
  } catch (err) {
    console.debug("no predeclared prefixes", err);
    return {};
  }
}

/** Prefixes a query uses (outside comments, strings and <IRIs>), with the line of first use. */
export function usedPrefixes(query) {
  const out = new Map();
  const lines = query.split("\n");
  for (const [i, raw] of lines.entries()) {
    const line = raw
      .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
      .replace(/<[^<>"{}|^`\\\s]*>/g, "<>")
      .replace(/#.*$/, "");
    if (/^\s*PREFIX\b/i.test(line)) continue;
    for (const m of line.matchAll(/(?<![\w?$:.-])([A-Za-z][\w.-]*)?:(?=[\w%\\-]|\s|$)/g)) {
      const name = m[1] || "";
      if (!out.has(name)) out.set(name, i + 1);
    }
  }
  return out;
}

/** PREFIX lines declared by the query itself: {name: iri}. */
export function declaredPrefixes(query) {
  const out = {};
  for (const m of query.matchAll(/^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>/gim)) out[m[1] || ""] = m[2];
  return out;
}

/** [missing known prefixes {name: iri}, unknown [{name, line}]] of a query, given the predeclared ones. */
export function prefixCheck(query, known) {
  const declared = declaredPrefixes(query);
  const add = {};
  const unknown = [];
  for (const [name, line] of usedPrefixes(query)) {
    if (name in declared) continue;
    if (name in known) add[name] = known[name];
    else unknown.push({ name, line });
  }
  return [add, unknown];
}

function message(text) {
  const el = document.getElementById("editor-message");
  if (!el) return;
  el.textContent = text || "";
  el.hidden = !text;
}

function unknownPrefixMessage(unknown, known) {
  if (!unknown.length) return "";
  const { name, line } = unknown[0];
  const some = Object.keys(known).slice(0, 6).join(", ");
  return `Unknown prefix "${name}:" (line ${line}): declare it with PREFIX ${name}: <…>, or use a predeclared one (${some}…).`;
}

function paramForm(yasgui, example, onText) {
  const form = document.getElementById("params");
  form.replaceChildren();
  form.hidden = !example || example.params.length === 0;
  if (form.hidden) return;
  const legend = document.createElement("span");
  legend.className = "params-title";
  legend.textContent = "Parameters:";
  form.append(legend);
  for (const p of example.params) {
    const label = document.createElement("label");
    label.title = p.description || "";
    const input = document.createElement("input");
    input.name = p.name;
    input.value = p.value ?? "";
    input.placeholder = p.required ? "required" : "optional: all";
    input.size = Math.max(10, Math.min(28, String(input.value).length + 2));
    label.append(`${p.name} `, input);
    form.append(label);
  }
  const bind = document.createElement("button");
  bind.type = "submit";
  bind.textContent = "Bind";
  form.append(bind);
  form.onsubmit = async (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const input of form.querySelectorAll("input")) if (input.value.trim()) params.set(input.name, input.value.trim());
    const res = await fetch(`/api/editor/examples/${example.name}?${params}`, { headers: { Accept: "application/json" } });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      message(String(body.detail || res.statusText).split("\n")[0]);
      return;
    }
    message("");
    onText(body.text);
  };
}

function showExamples(yasgui, examples) {
  const select = document.getElementById("examples");
  if (!select || examples.length === 0) return;
  select.options[0].textContent = "choose a named query…";
  for (const q of examples) {
    const opt = document.createElement("option");
    opt.value = q.name;
    opt.textContent = q.name ? `${q.title} (${q.name})` : q.title;
    select.appendChild(opt);
  }
  select.parentElement.hidden = false;
  const edited = document.getElementById("example-edited");
  let loaded = "";
  const setText = (text) => {
    loaded = text;
    yasgui.getTab().setQuery(text);
    edited.hidden = true;
  };
  select.addEventListener("change", () => {
    const q = examples.find((e) => e.name === select.value);
    paramForm(yasgui, q, setText);
    if (q) setText(q.text);
    document.body.dataset.example = select.value;
  });
  yasgui.on("tabSelect", () => {
    select.value = "";
    paramForm(yasgui, null, setText);
  });
  const yasqe = yasgui.getTab().getYasqe();
  yasqe.on("change", () => {
    edited.hidden = !select.value || yasqe.getValue() === loaded;
  });
}

/** Keep only the query of a tab configuration read from the URL; everything else is ours. */
export function onlyQueryFromUrl(fromUrl, clean) {
  const query = fromUrl && fromUrl.yasqe ? fromUrl.yasqe.value : undefined;
  const tab = structuredClone(clean);
  if (typeof query === "string" && query.trim()) tab.yasqe.value = query;
  return tab;
}

/** Remove what earlier versions of this page kept in localStorage (tabs, endpoints, answers). */
function forgetStoredTabs() {
  try {
    for (const key of Object.keys(window.localStorage)) {
      if (key.includes("integration-kg-sparql") || key.startsWith("yagui")) {
        window.localStorage.removeItem(key);
      }
    }
  } catch (err) {
    console.debug("localStorage unavailable", err);
  }
}

/** The predeclared prefixes (kg.namespaces.ALL_PREFIXES via /api/editor/prefixes). */
let known = {};

// Every run (the play button, Ctrl-Enter, a test) goes through Yasqe.query: the predeclared
// prefixes the query uses are written into it first (what runs is what is shown), and a query
// with a prefix nobody declares is not sent at all: one line says which and where.
const sendQuery = Yasgui.Yasqe.prototype.query;
Yasgui.Yasqe.prototype.query = function query(config) {
  const [add, unknown] = prefixCheck(this.getValue(), known);
  if (unknown.length) {
    message(unknownPrefixMessage(unknown, known));
    return Promise.resolve(undefined);
  }
  message("");
  if (Object.keys(add).length) this.addPrefixes(add);
  return sendQuery.call(this, config);
};

/** The parameter form, the "edited" mark and the message line, added under the page header. */
function setUpChrome() {
  const select = document.getElementById("examples");
  const edited = document.createElement("span");
  edited.id = "example-edited";
  edited.className = "example-edited";
  edited.textContent = "(edited)";
  edited.hidden = true;
  select?.parentElement.after(edited);
  const form = document.createElement("form");
  form.id = "params";
  form.className = "params";
  form.hidden = true;
  const msg = document.createElement("p");
  msg.id = "editor-message";
  msg.className = "editor-message";
  msg.setAttribute("role", "status");
  msg.hidden = true;
  document.querySelector("header").after(form, msg);
}

async function main() {
  const root = document.getElementById("yasgui");
  const endpoint = endpointUrl();
  forgetStoredTabs();
  setUpChrome();
  // Before the editor starts: a query in the URL (#query=…) is run at once, with these prefixes.
  known = await loadPrefixes();
  const requestConfig = { endpoint, method: "POST", headers: {}, args: [] };
  const clean = {
    name: "Query",
    yasqe: { value: DEFAULT_QUERY },
    yasr: { settings: {}, response: undefined },
    requestConfig,
  };
  const yasgui = new Yasgui(root, {
    requestConfig,
    copyEndpointOnNewTab: true,
    // The endpoint is fixed: the chooser offers this server only.
    endpointCatalogueOptions: { getData: () => [{ endpoint }] },
    populateFromUrl: (fromUrl) => onlyQueryFromUrl(fromUrl, { ...clean, id: fromUrl.id }),
    persistenceId: null,
    yasqe: { value: DEFAULT_QUERY },
  });
  // A tab whose endpoint was changed by hand is put back before it sends anything.
  yasgui.on("queryBefore", (_y, t) => {
    if (t.getEndpoint() !== endpoint) t.setEndpoint(endpoint);
  });
  const tab = yasgui.getTab();
  if (tab && tab.getEndpoint() !== endpoint) tab.setEndpoint(endpoint);
  if (tab && !tab.getQuery().trim()) tab.setQuery(DEFAULT_QUERY);
  window.yasgui = yasgui; // for the page tests and for curious users in the console
  showExamples(yasgui, await loadExamples(["/api/editor/examples", root.dataset.queries || "/api/queries"]));
  document.body.dataset.ready = "true";
}

main();
