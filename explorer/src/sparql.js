// The SPARQL editor page at /sparql (Accept: text/html): YASGUI bundled from npm, talking to
// the same server's /sparql endpoint, with the project's named queries offered as examples.
//
// The editor talks to this server's /sparql only (issue 13): a link may carry a query
// (`#query=…`) but nothing else from the URL is taken (no endpoint, headers, arguments or
// result settings), and nothing is kept in localStorage, so no earlier visit can point the
// page elsewhere or replay a stored answer. The server's Content-Security-Policy
// (`connect-src 'self'`) refuses any other host even if this code were wrong.
import Yasgui from "@zazuko/yasgui";
import "@zazuko/yasgui/build/yasgui.min.css";

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

// /api/queries belongs to another module and may be missing or shaped a little differently:
// accept a list or {queries: [...]}, and the query text under `query`, `text` or `sparql`.
async function loadExamples(url) {
  try {
    const res = await fetch(url, { headers: { Accept: "application/json" } });
    if (!res.ok) return [];
    const body = await res.json();
    const items = Array.isArray(body) ? body : body.queries || body.items || [];
    return items
      .map((q) => ({
        name: q.name || q.id || "",
        title: q.title || q.summary || q.name || "query",
        text: q.query || q.text || q.sparql || "",
      }))
      .filter((q) => q.text);
  } catch (err) {
    console.debug("no named queries available", err);
    return [];
  }
}

function showExamples(yasgui, examples) {
  const select = document.getElementById("examples");
  if (!select || examples.length === 0) return;
  for (const [i, q] of examples.entries()) {
    const opt = document.createElement("option");
    opt.value = String(i);
    opt.textContent = q.name ? `${q.title} (${q.name})` : q.title;
    select.appendChild(opt);
  }
  select.parentElement.hidden = false;
  select.addEventListener("change", () => {
    const q = examples[Number(select.value)];
    if (!q) return;
    const tab = yasgui.getTab();
    tab.setQuery(q.text);
    select.value = "";
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

async function main() {
  const root = document.getElementById("yasgui");
  const endpoint = endpointUrl();
  forgetStoredTabs();
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
  showExamples(yasgui, await loadExamples(root.dataset.queries || "/api/queries"));
  document.body.dataset.ready = "true";
}

main();
