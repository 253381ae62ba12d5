// Bundle the browser assets into ../api/static/ (git-ignored): `npm ci && npm run build`.
// Two bundles: the explorer pages into api/static/explorer/ and the SPARQL editor (YASGUI) into
// api/static/sparql/. Everything the pages load comes from npm; nothing is fetched from a CDN.
import { build } from "esbuild";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

/** The explorer at / and the organisation pages at /org/{ref}. */
async function buildExplorer() {
  const outdir = resolve(static_, "explorer");
  const stamp = Date.now().toString(36);
  fresh(outdir);
  await build({
    entryPoints: {
      explorer: resolve(here, "src", "explorer.js"),
      org: resolve(here, "src", "org.js"),
      style: resolve(here, "src", "style.css"),
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
  for (const page of ["index.html", "org.html"]) {
    const html = readFileSync(resolve(here, "src", page), "utf8").replaceAll("__BUILD__", stamp);
    writeFileSync(resolve(outdir, page), html);
  }
  // Written last: the server serves the pages only once the folder is complete.
  writeFileSync(resolve(outdir, "BUILD.json"), JSON.stringify({ built: new Date().toISOString(), stamp }) + "\n");
}

await buildSparql();
await buildExplorer();
