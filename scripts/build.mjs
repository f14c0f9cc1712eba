// Bundles the CLI and the library with esbuild. Code splitting keeps every command (and remark,
// yaml, diff) in its own chunk, loaded only when used; DuckDB and the Google SDKs stay external
// and are imported lazily by the adapters that need them.
import { build } from 'esbuild';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateValidators } from './gen-validators.mjs';

// Build beside dist and swap it in, so a CLI started during a rebuild (parallel test runs)
// never sees a half-written or missing dist/.
const dist = fileURLToPath(new URL('../dist', import.meta.url));
const next = `${dist}.next-${process.pid}`;
const old = `${dist}.old-${process.pid}`;
// The config and manifest validators: compiled by Ajv from the schema objects, ahead of time.
await generateValidators();
await build({
  entryPoints: { cli: 'src/cli/main.ts', index: 'src/index.ts' },
  outdir: next,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  chunkNames: 'chunks/[name]-[hash]',
  // jsonc-parser's `main` is a UMD build that requires its parts at run time (a bundle cannot
  // follow that); its ES module build bundles cleanly.
  // handlebars' `main` adds a printer and a require.extensions hook; the docs only need the
  // compiler and runtime (its CommonJS build, the same code).
  // Its code generator loads `source-map` only to map compiled templates back to their source,
  // which modelgov never asks for; without it Handlebars uses its built-in stand-in (-100 KB).
  alias: {
    'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js',
    handlebars: './node_modules/handlebars/dist/cjs/handlebars.js',
    'source-map': './scripts/empty-module.cjs',
  },
  external: ['@duckdb/*', '@google-cloud/*', 'google-auth-library', 'google-gax'],
  // CommonJS dependencies bundled into ESM need a real `require` for node built-ins.
  banner: { js: "import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);" },
  define: { __MODELGOV_VERSION__: JSON.stringify(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version) },
  logLevel: 'warning',
});
if (existsSync(dist)) renameSync(dist, old);
renameSync(next, dist);
rmSync(old, { recursive: true, force: true });
