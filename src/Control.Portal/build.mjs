// Bundles the portal into dist/: index.html, assets/app.js (an ES module, minified; the terminal player in a chunk beside
// it), assets/app.css and the player's own assets/asciinema-player.css (from node_modules: no CDN).
// Control.Api copies dist/ into its output (portal/) and serves it at "/". Run through ops/portal-build.
import { build } from "esbuild";
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";

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

// The licences of everything the bundle may contain (the runtime dependencies, transitively), shipped beside it: the
// minifier drops the packages' own notices, and Apache-2.0/MIT require them with every copy.
async function notices() {
  const seen = new Map();
  const visit = async (name) => {
    if (seen.has(name)) return;
    const dir = `node_modules/${name}`;
    const manifest = JSON.parse(await readFile(`${dir}/package.json`, "utf8"));
    const file = (await readdir(dir)).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    if (!file) throw new Error(`${name}: no licence file in ${dir}; the notices would be incomplete`);
    seen.set(name, { version: manifest.version, license: manifest.license, text: await readFile(`${dir}/${file}`, "utf8") });
    for (const dependency of Object.keys(manifest.dependencies ?? {})) await visit(dependency);
  };
  const own = JSON.parse(await readFile("package.json", "utf8"));
  for (const dependency of Object.keys(own.dependencies)) await visit(dependency);
  return [...seen].sort(([a], [b]) => a.localeCompare(b))
    .map(([name, p]) => `${name} ${p.version} (${p.license})\n\n${p.text.trim()}\n`)
    .join(`\n${"-".repeat(78)}\n\n`);
}
await writeFile(`${out}/assets/THIRD-PARTY-NOTICES.txt`, await notices());
