// Ask for the network before anything else (a script after a stylesheet waits for it);
// explorer.js picks the answer up. A file of its own, not an inline script: the pages are
// served with a Content-Security-Policy of script-src 'self'.
window.__networkRequest = fetch(
  "/api/networks/" + encodeURIComponent(new URLSearchParams(location.search).get("network") || "funding"),
  { headers: { Accept: "application/json" } },
);
