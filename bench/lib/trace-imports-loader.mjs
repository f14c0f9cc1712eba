// Module customization hook of trace-imports.mjs (runs on the loader thread).
import { appendFileSync } from 'node:fs';

export async function load(url, context, nextLoad) {
  appendFileSync(process.env.BENCH_TRACE_IMPORTS, url + '\n');
  return nextLoad(url, context);
}
