// Bundle the explorer pages into ../api/static/explorer/ (git-ignored): `npm ci && npm run build`.
// Everything the pages load comes from npm through this bundle; nothing is fetched from a CDN.
import { build } from "esbuild";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = resolve(here, "..", "api", "static", "explorer");
const stamp = Date.now().toString(36);

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

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
