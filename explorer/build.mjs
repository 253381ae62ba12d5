// Bundle the browser assets into ../api/static/ (git-ignored): `npm ci && npm run build`.
// Two bundles: the explorer pages into api/static/explorer/ and the SPARQL editor (YASGUI) into
// api/static/sparql/. Everything the pages load comes from npm; nothing is fetched from a CDN.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const static_ = resolve(here, "..", "api", "static");

function fresh(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

/** The SPARQL editor page at /sparql: one self-contained script and stylesheet. */
async function buildSparql() {
  const outdir = resolve(static_, "sparql");
  fresh(outdir);
  await build({
    entryPoints: { sparql: resolve(here, "src", "sparql.js") },
    bundle: true,
    minify: true,
    format: "iife",
    target: ["es2020"],
    outdir,
    // Fonts and images referenced from the CSS are inlined, so the folder is self-contained.
    loader: { ".woff": "dataurl", ".woff2": "dataurl", ".ttf": "dataurl", ".svg": "dataurl", ".png": "dataurl" },
    legalComments: "linked",
    logLevel: "info",
  });
  // Lets the API tell a bundle from a half-written folder (the page falls back to a plain form).
  writeFileSync(resolve(outdir, "BUILD.json"), JSON.stringify({ built: new Date().toISOString() }) + "\n");
}

/** The explorer at /, the organisation pages at /org/{ref} and the funding page at /funding. */
async function buildExplorer() {
  const outdir = resolve(static_, "explorer");
  const stamp = Date.now().toString(36);
  fresh(outdir);
  await build({
    entryPoints: {
      explorer: resolve(here, "src", "explorer.js"),
      org: resolve(here, "src", "org.js"),
      funding: resolve(here, "src", "funding.js"),
      style: resolve(here, "src", "style.css"),
      typology: resolve(here, "src", "typology.js"),
      "typology-style": resolve(here, "src", "typology.css"),
      sources: resolve(here, "src", "sources.js"),
      "sources-style": resolve(here, "src", "sources.css"),
      "funding-style": resolve(here, "src", "funding.css"),
    },
    bundle: true,
    minify: true,
    sourcemap: "linked",
    format: "esm",
    splitting: true,
    target: ["es2020"],
    outdir,
    chunkNames: "chunk-[hash]",
    // kg/viz/palette.json (shared with kg/figure.py) is imported as a module.
    loader: { ".json": "json" },
    legalComments: "linked",
    logLevel: "info",
  });
  // The HTML pages name the bundle with a build stamp so that browsers never mix two builds.
  for (const page of ["index.html", "org.html", "typology.html", "funding.html"]) {
    const html = readFileSync(resolve(here, "src", page), "utf8").replaceAll("__BUILD__", stamp);
    writeFileSync(resolve(outdir, page), html);
  }
  // A classic script (not bundled) that starts the network request before the bundle loads.
  copyFileSync(resolve(here, "src", "prefetch.js"), resolve(outdir, "prefetch.js"));
  // Written last: the server serves the pages only once the folder is complete.
  writeFileSync(resolve(outdir, "BUILD.json"), JSON.stringify({ built: new Date().toISOString(), stamp }) + "\n");
}

/** The API documentation at /docs: swagger-ui from npm (never a CDN), started by docs.js. */
function buildDocs() {
  const outdir = resolve(static_, "docs");
  const dist = resolve(here, "node_modules", "swagger-ui-dist");
  fresh(outdir);
  for (const name of ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"]) {
    copyFileSync(resolve(dist, name), resolve(outdir, name));
  }
  copyFileSync(resolve(here, "src", "docs.js"), resolve(outdir, "docs.js"));
  const { version } = JSON.parse(readFileSync(resolve(dist, "package.json"), "utf8"));
  writeFileSync(resolve(outdir, "BUILD.json"), JSON.stringify({ built: new Date().toISOString(), version }) + "\n");
}

await buildSparql();
await buildExplorer();
buildDocs();
