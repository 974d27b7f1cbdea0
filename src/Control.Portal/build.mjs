// Bundles the portal into dist/: index.html, assets/app.js (an ES module, minified; the terminal player in a chunk beside
// it), assets/app.css and the player's own assets/asciinema-player.css (from node_modules: no CDN).
// Control.Api copies dist/ into its output (portal/) and serves it at "/". Run through ops/portal-build.
import { build } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";

const out = "dist";
await rm(out, { recursive: true, force: true });
await mkdir(`${out}/assets`, { recursive: true });
await build({
  entryPoints: { app: "src/main.tsx" },
  outdir: `${out}/assets`,
  bundle: true,
  format: "esm",
  // The terminal player (asciinema-player, ~300 KB with its wasm core) is a chunk of its own, fetched on first replay.
  splitting: true,
  chunkNames: "chunk-[hash]",
  target: "es2022",
  minify: true,
  sourcemap: false,
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "none",
  logLevel: "warning",
});
await copyFile("static/index.html", `${out}/index.html`);
await copyFile("static/app.css", `${out}/assets/app.css`);
await copyFile("node_modules/asciinema-player/dist/bundle/asciinema-player.css", `${out}/assets/asciinema-player.css`);
