import { basename, resolve } from 'node:path';
import { adapterOptions, openArtifactStore } from '../../adapters/index.js';
import { loadManifests, selectSystems } from '../../app/load-manifests.js';
import type { CommandRun } from '../context.js';
import { shaPrefix } from '../report/table.js';

const CHECKED = new Set(['production', 'active']);

/** Where to read an artifact: a configured local mirror directory wins over gs:// (offline validation). */
function artifactPath(gcsPath: string, root: string, dir?: string): string {
  if (dir) return resolve(root, dir, basename(gcsPath));
  return gcsPath.startsWith('gs://') ? gcsPath : resolve(root, gcsPath);
}

export const run: CommandRun = async (ctx, _args, opts) => {
  const loaded = ctx.config();
  const systems = selectSystems(loaded, opts.system);
  const manifests = await loadManifests(loaded, ctx.env, systems);
  const aopts = adapterOptions(loaded, ctx.env);
  const results: { system: string; model_id: string; path: string; status: 'ok' | 'missing' | 'mismatch' | 'unverified'; expected: string | null; actual: string | null }[] = [];
  for (const m of manifests) {
    const sys = systems.find((s) => s.id === m.system)!;
    for (const [id, entry] of Object.entries(m.manifest.models)) {
      if (!opts.all && !CHECKED.has(entry.status)) continue;
      const path = artifactPath(entry.gcs_path, loaded.root, sys.artifacts?.dir);
      const store = await openArtifactStore(path, aopts);
      let lastPct = -1;
      const check = await store.hash(path, (read, total) => {
        // A progress line for large files only, on stderr, so --json stays clean.
        if (!total || total < 64 * 1024 * 1024) return;
        const pct = Math.floor((read / total) * 10) * 10;
        if (pct !== lastPct) ctx.err(`  hashing ${basename(path)}: ${pct}%`);
        lastPct = pct;
      });
      const expected = entry.sha256 ? entry.sha256.toLowerCase() : null;
      const status = !check.exists ? 'missing' : !expected ? 'unverified' : check.sha256 === expected ? 'ok' : 'mismatch';
      results.push({ system: m.system, model_id: id, path, status, expected, actual: check.sha256 ?? null });
    }
  }
  const bad = results.filter((r) => r.status === 'missing' || r.status === 'mismatch');
  if (ctx.json) {
    ctx.out(JSON.stringify({ ok: bad.length === 0, artifacts: results }));
    return bad.length ? 'failed' : 'ok';
  }
  for (const r of results) {
    if (r.status === 'ok') ctx.out(`ok        ${r.model_id}  sha256 ${shaPrefix(r.actual)}`);
    else if (r.status === 'unverified') ctx.out(`unverified ${r.model_id}  exists, but the manifest has no sha256 (add "sha256": "${r.actual}")`);
    else if (r.status === 'missing') ctx.out(`MISSING   ${r.model_id}  ${r.path} does not exist — upload it or fix gcs_path in ${r.system}'s manifest`);
    else ctx.out(`MISMATCH  ${r.model_id}  manifest sha256 ${shaPrefix(r.expected)}…, file ${shaPrefix(r.actual)}… — the file at ${r.path} is not the model the manifest describes`);
  }
  ctx.out(`${results.length} artifact(s) checked, ${bad.length} problem(s).`);
  return bad.length ? 'failed' : 'ok';
};
