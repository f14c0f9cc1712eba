// Preload for `node --import`: records every module file the process loads into the file named
// by BENCH_TRACE_IMPORTS, one URL per line — ES modules through a loader hook, CommonJS files (what
// ESM pulls in with require, e.g. @duckdb/node-api and the Google SDKs) from the require cache at
// exit.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import { pathToFileURL } from 'node:url';

const out = process.env.BENCH_TRACE_IMPORTS;
if (out) {
  register('./trace-imports-loader.mjs', import.meta.url);
  process.on('exit', () => {
    const files = Object.keys(Module._cache).filter((f) => f.startsWith('/'));
    if (files.length) appendFileSync(out, files.map((f) => pathToFileURL(f).href).join('\n') + '\n');
  });
}
