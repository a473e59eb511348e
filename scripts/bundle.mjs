// Bundles the `sportello` command into dist/sportello.js (and its lazily loaded parts into
// dist/chunks/): one file per command path instead of some 300 modules resolved and compiled one
// by one at every start. Measured on the default corpus: a cold `ask` spends about 40 % less.
// The native better-sqlite3 stays a package, and so does pdfjs-dist (large, with its own worker
// and font files, and loaded only when a PDF is read). prompts/ is found by walking up from the
// bundle, as from src/.
//
// Run: node scripts/bundle.mjs [OUTDIR]   (npm run build runs it after tsc; default dist)
import { rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";

const root = resolve(import.meta.dirname, "..");
const outdir = resolve(process.argv[2] ?? resolve(root, "dist"));

// Chunks are named by content hash: the previous build's would pile up.
for (const folder of ["chunks", "parts"])
  rmSync(join(outdir, folder), { recursive: true, force: true });

const result = await build({
  absWorkingDir: root,
  // The adapters `serve` starts are entries of their own with stable names: the supervisor tells
  // which one a stray error came from by the file in its stack (adapters/cli/serve.ts).
  entryPoints: {
    sportello: "adapters/cli/main.ts",
    "parts/web": "adapters/web/index.ts",
    "parts/telegram": "adapters/telegram/index.ts",
    "parts/slack": "adapters/slack/index.ts",
  },
  outdir,
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  tsconfig: "tsconfig.build.json",
  external: ["better-sqlite3", "pdfjs-dist"],
  // CommonJS packages inside an ES module bundle still call require().
  banner: {
    js: "import { createRequire as __sportelloRequire } from 'node:module'; const require = __sportelloRequire(import.meta.url);",
  },
  // Not minified: measured no faster to start, and stack traces in logs stay readable.
  sourcemap: "linked",
  logLevel: "warning",
  metafile: true,
});

// Which sources each output file holds (relative paths): what a cold command loads can be told
// module by module (tests/cli/cli.test.ts), and the bundle's weight studied.
const contents = Object.fromEntries(
  Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith(".js"))
    .map(([file, output]) => [
      resolve(root, file).slice(outdir.length + 1),
      Object.keys(output.inputs),
    ]),
);
writeFileSync(join(outdir, "sportello.contents.json"), `${JSON.stringify(contents, null, 1)}\n`);
