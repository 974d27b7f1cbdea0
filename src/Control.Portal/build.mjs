// Bundles the portal into dist/: index.html, assets/app.js (one ES module, minified) and assets/app.css.
// Control.Api copies dist/ into its output (portal/) and serves it at "/". Run through ops/portal-build.
import { build } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";

const out = "dist";
await rm(out, { recursive: true, force: true });
await mkdir(`${out}/assets`, { recursive: true });
await build({
  entryPoints: ["src/main.tsx"],
  outfile: `${out}/assets/app.js`,
  bundle: true,
  format: "esm",
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
