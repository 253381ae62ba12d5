// Bundle the browser assets into ../api/static/ (git-ignored): `npm ci && npm run build`.
// Everything the pages load comes from npm through this bundle; nothing is fetched from a CDN.
import { build } from "esbuild";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = resolve(here, "..", "api", "static", "sparql");

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

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
