// `npm start`: runs modelgov's main job on the bundled example, in a temp copy made into a
// git repo, with the embedded defaults (DuckDB registry, local manifest, service YAML).
// Nothing outside the temp copy is touched. Exits non-zero if a step ends unexpectedly.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeExampleRepo } from './example-repo.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'bin', 'modelgov.js');
const work = makeExampleRepo(join(mkdtempSync(join(tmpdir(), 'modelgov-example-')), 'catboost-v9'), { user: 'modelgov demo', email: 'demo@modelgov.example' });
const service = join(work, 'deploy', 'prediction-worker.yaml');

const steps = [
  { args: ['sync'], want: 0, why: 'copy the manifest (source of truth) into the DuckDB registry' },
  { args: ['list'], want: 0, why: 'the registry now' },
  { args: ['sync'], want: 0, why: 'a second sync: everything unchanged, nothing written' },
  { args: ['production'], want: 0, why: 'the production model' },
  { args: ['validate'], want: 0, why: 'artifacts exist and match their sha256' },
  { args: ['check-duplicate', '--train-start', '2025-11-02', '--train-end', '2026-01-31'], want: 1, why: 'the Feb retrain window was already trained: exit 1' },
  { args: ['docs', '--check'], want: 1, why: 'CLAUDE.md still has a placeholder: stale, exit 1 with a diff' },
  { args: ['docs'], want: 0, why: 'generate the section between the markers' },
  { args: ['docs', '--check'], want: 0, why: 'fresh now' },
  { args: ['drift'], want: 0, why: 'manifest, registry, docs, deployment, code and file names agree' },
  { args: ['report', '--out', 'modelgov-report.html'], want: 0, why: 'one self-contained HTML page: timeline, models and gates, promotions, drift' },
  {
    before: () => writeFileSync(service, readFileSync(service, 'utf8').replace('catboost_v9_33features_20260201_011018.cbm', 'catboost_v9_feb_02_retrain.cbm')),
    args: ['drift'],
    want: 1,
    why: 'someone pointed the service at the deprecated Feb-2 retrain: drift, with the exact gcloud fix',
  },
];

console.log(`modelgov example in ${work}\n`);
let failed = 0;
for (const step of steps) {
  step.before?.();
  console.log(`\n$ modelgov ${step.args.join(' ')}    # ${step.why}`);
  const r = spawnSync(process.execPath, [bin, ...step.args], { cwd: work, stdio: 'inherit' });
  const ok = r.status === step.want;
  console.log(`  -> exit ${r.status}${ok ? '' : ` (expected ${step.want})`}`);
  if (!ok) failed++;
}
console.log(failed ? `\n${failed} step(s) ended unexpectedly.` : `\nAll steps ended as expected. The example copy stays in ${work}.`);
console.log(`The example's report: ${join(work, 'modelgov-report.html')} (open it in a browser; it needs no network)`);
process.exitCode = failed ? 1 : 0;
