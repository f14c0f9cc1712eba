import { basename } from 'node:path';
import { loadManifests, selectSystems } from '../../app/load-manifests.js';
import { validateArtifacts } from '../../app/validate-artifacts.js';
import type { OptionsOf } from '../command-specs.js';
import type { CommandRun } from '../context.js';
import { startProgress } from '../report/progress.js';
import { shaPrefix } from '../report/table.js';

export const run: CommandRun<OptionsOf<'validate'>> = async (ctx, _args, opts) => {
  const loaded = ctx.config();
  const systems = selectSystems(loaded, opts.system);
  const manifests = await loadManifests(loaded, ctx.env, systems);
  const progress = startProgress(ctx, ctx.errRaw, 'hashing artifacts…');
  const results = await validateArtifacts(loaded, ctx.env, manifests, systems, {
    all: Boolean(opts.all),
    onProgress: (path, read, total) => progress.update(total ? `hashing ${basename(path)}: ${Math.floor((read / total) * 100)}%` : `hashing ${basename(path)}…`),
  }).finally(() => progress.done());
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
