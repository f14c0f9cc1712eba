import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployCommand } from '../../src/drift/compare-deployment.js';
import { shq } from '../../src/util/shell-quote.js';
import { run } from '../helpers/cli.js';
import { copyExample, EXAMPLE_MANIFEST, exampleManifest, runGit, writeJson } from '../helpers/example.js';
import { GOOD } from '../promote/good-model.js';
import { cleanRepo, drift, outsideDir } from './helpers.js';

const HOSTILE = ['"; touch pwned; echo "', '$(touch pwned)', '`touch pwned`', "it's 'quoted'", 'a\\b', '*', '~root', 'x y\tz', 'a,b', '!event', '#hash', '&& touch pwned', '> pwned'];

/**
 * Runs a printed command line with sh, with a fake `gcloud`/`git` first on PATH that writes its
 * argv as JSON, in a scratch directory; returns that argv and whether anything else happened.
 */
function runPrinted(command: string): { argv: string[]; sideEffects: string[] } {
  const scratch = outsideDir();
  const bin = join(scratch, 'bin');
  mkdirSync(bin);
  for (const tool of ['gcloud', 'git']) {
    const fake = join(bin, tool);
    writeFileSync(fake, `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(join(scratch, 'argv.json'))}, JSON.stringify(process.argv.slice(2)));\n`);
    chmodSync(fake, 0o755);
  }
  expect(spawnSync('sh', ['-n', '-c', command]).status).toBe(0);
  const r = spawnSync('sh', ['-c', command], { cwd: scratch, env: { PATH: `${bin}:/usr/bin:/bin`, HOME: scratch }, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const argv = JSON.parse(readFileSync(join(scratch, 'argv.json'), 'utf8'));
  const sideEffects = ['pwned', 'b'].filter((f) => existsSync(join(scratch, f)));
  return { argv, sideEffects };
}


/** A shadow model good enough to pass the gates, at the given gcs_path. */
function shadowModel(gcsPath: string) {
  return {
    gcs_path: gcsPath,
    feature_count: 33,
    training_start: '2025-11-02',
    training_end: '2026-02-05',
    status: 'shadow' as const,
    evaluation: { mae: 4.7, high_edge_hit_rate_3plus: 68.4, vegas_bias: -0.5, graded_edge_3plus: 140, tier_bias_max: 3.1 },
  };
}

describe('issue 10 item 7: printed commands quote every value for POSIX sh', () => {
  it.each(HOSTILE)('shq(%j) reads back as exactly that one word', (value) => {
    const { argv, sideEffects } = runPrinted(`gcloud ${shq(value)} ${shq('')} end`);
    expect(argv).toEqual([value, '', 'end']);
    expect(sideEffects).toEqual([]);
  });

  it('deployCommand: service, region, project and the env pair come back as the intended argv', () => {
    const path = 'gs://my-models/a"; touch pwned; echo "/$(id)/`id`/it\'s.cbm';
    const { argv, sideEffects } = runPrinted(deployCommand({ service: 'svc', region: 'us-west2', project: 'p-1' }, 'MODEL', path));
    expect(argv).toEqual(['run', 'services', 'update', 'svc', '--region=us-west2', '--project=p-1', `--update-env-vars=MODEL=${path}`]);
    expect(sideEffects).toEqual([]);
    // gcloud splits --update-env-vars at commas: a comma in the value switches the delimiter.
    const withComma = runPrinted(deployCommand({ service: 'svc', region: null }, 'MODEL', 'gs://my-models/a,b.cbm')).argv;
    expect(withComma).toEqual(['run', 'services', 'update', 'svc', '--region=<REGION>', '--update-env-vars=^@^MODEL=gs://my-models/a,b.cbm']);
  });

  it('drift: the deployment-model fix for a hostile (but well-formed) gcs_path runs as the intended gcloud argv', async () => {
    const dir = await cleanRepo();
    const m = exampleManifest();
    const hostile = 'gs://nba-props-platform-models/catboost/v9/x"; touch pwned; echo "$(touch pwned)`touch pwned`.cbm';
    m.models[m.production_model!].gcs_path = hostile;
    writeJson(join(dir, EXAMPLE_MANIFEST), m);
    const r = await drift(dir);
    const finding = r.report.findings.find((f: { kind: string }) => f.kind === 'deployment-model');
    expect(finding).toBeDefined();
    const { argv, sideEffects } = runPrinted(finding.fix);
    expect(argv).toEqual(['run', 'services', 'update', 'prediction-worker', '--region=us-west2', '--project=nba-props-platform', `--update-env-vars=CATBOOST_V9_MODEL_PATH=${hostile}`]);
    expect(sideEffects).toEqual([]);
  });

  it('promote: the printed deploy command runs as the intended gcloud argv', async () => {
    const dir = copyExample();
    const m = exampleManifest();
    const hostile = `gs://nba-props-platform-models/catboost/v9/${GOOD}'$(touch pwned)'.cbm`;
    m.models[GOOD] = shadowModel(hostile);
    writeJson(join(dir, EXAMPLE_MANIFEST), m);
    runGit(dir, 'commit', '-qam', 'add a model');
    const r = await run(dir, ['promote', GOOD, '--no-sync', '--no-docs'], { MODELGOV_NOW: '2026-02-12T15:00:00Z' });
    expect(r.code, r.stderr).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.trim().startsWith('gcloud '))!.trim();
    const { argv, sideEffects } = runPrinted(line);
    expect(argv).toEqual(['run', 'services', 'update', 'prediction-worker', '--region=us-west2', '--project=nba-props-platform', `--update-env-vars=CATBOOST_V9_MODEL_PATH=${hostile}`]);
    expect(sideEffects).toEqual([]);
    const commit = r.stdout.split('\n').find((l) => l.startsWith('commit it: '))!.slice('commit it: '.length);
    expect(spawnSync('sh', ['-n', '-c', commit]).status).toBe(0);
  });

  it.each([
    ['gs://Bad_Bucket/model.cbm'],
    ['gs://b/model.cbm'],
    ['gs://bucket-name/'],
    ['gs://bucket-name'],
    ['gs://bucket-name/a\nb.cbm'],
    ['gs://googlebucket/x.cbm'],
    ['http://example.com/x.cbm'],
  ])('promote refuses gcs_path %j (exit 2 naming the model), the manifest byte-identical', async (bad) => {
    const dir = copyExample();
    const m = exampleManifest();
    m.models[GOOD] = shadowModel(bad);
    writeJson(join(dir, EXAMPLE_MANIFEST), m);
    const before = readFileSync(join(dir, EXAMPLE_MANIFEST));
    const r = await run(dir, ['promote', GOOD, '--no-sync', '--no-docs'], { MODELGOV_NOW: '2026-02-12T15:00:00Z' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`models.${GOOD}.gcs_path`);
    expect(r.stderr).toMatch(/gs:\/\/<bucket>\/<object>/);
    expect(readFileSync(join(dir, EXAMPLE_MANIFEST)).equals(before)).toBe(true);
  });
});
