// Bundles the CLI and the library with esbuild. Code splitting keeps every command (and remark,
// yaml, diff) in its own chunk, loaded only when used; DuckDB and the Google SDKs stay external
// and are imported lazily by the adapters that need them.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/main.ts', index: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  chunkNames: 'chunks/[name]-[hash]',
  external: ['@duckdb/*', '@google-cloud/*', 'google-auth-library', 'google-gax'],
  // CommonJS dependencies bundled into ESM need a real `require` for node built-ins.
  banner: { js: "import { createRequire as __mgCreateRequire } from 'node:module'; const require = __mgCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
