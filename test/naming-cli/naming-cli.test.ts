import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { BIN, run } from '../helpers/cli.js';
import { copyExample, runGit } from '../helpers/example.js';

const GOOD = 'catboost_v9_33f_train20251102-20260108_20260208_144749.cbm';

describe('modelgov name', () => {
  let dir: string;
  beforeAll(async () => {
    dir = copyExample({ git: false });
  });

  it('prints the conventional name with the variants in order and the system extension', async () => {
    const r = await run(dir, ['name', '--system', 'catboost_v9', '--features', '33', '--train-start', '2025-11-02', '--train-end', '2026-01-31', '--variant', 'q0.43', '--variant', 'noveg', '--at', '2026-02-10T10:10:10Z']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('catboost_v9_33f_q0.43_noveg_train20251102-20260131_20260210_101010.cbm\n');
  });

  it('--at needs a zone (a time without one, or a bare date, is exit 2); offsets convert to UTC; --ext overrides', async () => {
    const args = ['name', '--system', 'catboost_v9', '--features', '33', '--train-start', '2025-11-02', '--train-end', '2026-01-08'];
    expect((await run(dir, [...args, '--at', '2026-02-08T14:47:49'])).code).toBe(2);
    expect((await run(dir, [...args, '--at', '2026-02-08'])).code).toBe(2);
    expect((await run(dir, [...args, '--at', '2026-02-08T15:47:49+01:00'])).stdout.trim()).toBe(GOOD);
    expect((await run(dir, [...args, '--at', '2026-02-08T14:47:49Z', '--ext', 'json'])).stdout.trim()).toBe(GOOD.replace('.cbm', '.json'));
  });

  it('defaults --at to now, in UTC', async () => {
    const before = new Date();
    const r = await run(dir, ['name', '--system', 'catboost_v9', '--features', '33', '--train-start', '2025-11-02', '--train-end', '2026-01-08']);
    const after = new Date();
    expect(r.code, r.stderr).toBe(0);
    const m = /_(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})\.cbm\n$/.exec(r.stdout);
    expect(m).not.toBeNull();
    const at = Date.UTC(+m![1], +m![2] - 1, +m![3], +m![4], +m![5], +m![6]);
    expect(at).toBeGreaterThanOrEqual(Math.floor(before.getTime() / 1000) * 1000);
    expect(at).toBeLessThanOrEqual(after.getTime());
  });

  it('--json prints the name as JSON and nothing else on stdout', async () => {
    const r = await run(dir, ['--json', 'name', '--system', 'catboost_v9', '--features', '33', '--train-start', '2025-11-02', '--train-end', '2026-01-08', '--at', '2026-02-08T14:47:49Z']);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, name: GOOD, system: 'catboost_v9' });
  });

  it('an unknown system, a bad date or a bad feature count exits 2 with the fix', async () => {
    const base = ['--features', '33', '--train-start', '2025-11-02', '--train-end', '2026-01-08'];
    const unknown = await run(dir, ['name', '--system', 'xgboost_v1', ...base]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown system "xgboost_v1"');
    expect(unknown.stderr).toContain('catboost_v9');
    const badDate = await run(dir, ['name', '--system', 'catboost_v9', '--features', '33', '--train-start', '2025-11-02', '--train-end', '2026-02-30']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('not a calendar date');
    const badFeatures = await run(dir, ['name', '--system', 'catboost_v9', '--features', '33.5', '--train-start', '2025-11-02', '--train-end', '2026-01-08']);
    expect(badFeatures.code).toBe(2);
    const afterCreation = await run(dir, ['name', '--system', 'catboost_v9', ...base, '--at', '2026-01-01T00:00:00Z']);
    expect(afterCreation.code).toBe(2);
    expect(afterCreation.stderr).toContain('end after creation');
  });

  it('the default extension is the system\'s first configured one', async () => {
    const configFile = join(dir, 'modelgov.config.json');
    const original = readFileSync(configFile, 'utf8');
    const config = JSON.parse(original);
    config.systems[0].artifacts.extensions = ['.pkl', '.cbm'];
    writeFileSync(configFile, JSON.stringify(config));
    try {
      const r = await run(dir, ['name', '--system', 'catboost_v9', '--features', '33', '--train-start', '2025-11-02', '--train-end', '2026-01-08', '--at', '2026-02-08T14:47:49Z']);
      expect(r.stdout.trim()).toBe(GOOD.replace('.cbm', '.pkl'));
    } finally {
      writeFileSync(configFile, original);
    }
  });
});

describe('modelgov lint-names', () => {
  it('--stdin reads any number of paths (one per line, or NUL-separated with -z) in one process', async () => {
    const dir = copyExample({ git: false });
    const good = 'catboost_v9_33f_train20251102-20260108_20260208_144749.cbm';
    const paths = Array.from({ length: 30_000 }, (_, i) => `models/batch${i}/${good}`);
    paths.push('models/catboost_v9_2026_2.cbm', 'README.md');
    // A real pipe into a real process: ~1.8 MB arrives in many chunks (a pipe holds 64 KB).
    const lines = spawnSync(process.execPath, [BIN, 'lint-names', '--stdin', '--json'], { cwd: dir, input: paths.join('\n') + '\n', encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(lines.status).toBe(1);
    const report = JSON.parse(lines.stdout);
    expect(report).toMatchObject({ checked: 30_001, ignored: 1 });
    expect(report.violations.map((v: { path: string }) => v.path)).toEqual(['models/catboost_v9_2026_2.cbm']);
    const nul = await run(dir, ['lint-names', '--stdin', '-z', '--json'], {}, `a dir/${good}\0`);
    expect(nul.code).toBe(0);
    expect(JSON.parse(nul.stdout)).toMatchObject({ ok: true, checked: 1 });
  });

  it('judges the given paths: legacy and conventional names pass, other extensions are ignored', async () => {
    const dir = copyExample({ git: false });
    const r = await run(dir, ['lint-names', 'models/catboost_v9/artifacts/catboost_v9_feb_02_retrain.cbm', `x/${GOOD}`, 'README.md']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('names ok: 2 model file(s) checked, 1 other file(s) ignored.');
  });

  it('a name that disagrees with its manifest model exits 1 quoting both values and the correct name', async () => {
    const dir = copyExample({ git: false });
    const wrong = 'catboost_v9_33f_train20251102-20260131_20260201_011018.cbm';
    const manifestFile = join(dir, 'models/catboost_v9/manifest.json');
    const m = JSON.parse(readFileSync(manifestFile, 'utf8'));
    m.models.catboost_v9_33features_20260201_011018.gcs_path = `gs://nba-props-platform-models/catboost/v9/${wrong}`;
    writeFileSync(manifestFile, JSON.stringify(m, null, 2));
    const r = await run(dir, ['lint-names', `artifacts/${wrong}`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('training_end: name says 2026-01-31, manifest says 2026-01-08');
    expect(r.stdout).toContain('correct name: catboost_v9_33f_train20251102-20260108_20260201_011018.cbm');

    const json = await run(dir, ['--json', 'lint-names', `artifacts/${wrong}`]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      checked: 1,
      violations: [{ path: `artifacts/${wrong}`, expected: 'catboost_v9_33f_train20251102-20260108_20260201_011018.cbm' }],
    });
  });

  it('without paths it judges the staged model files only (added or modified, not deleted, not unstaged)', async () => {
    const dir = copyExample();
    const none = await run(dir, ['lint-names']);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('names ok: 0 model file(s) checked');

    writeFileSync(join(dir, 'catboost_v9_retrain_final.cbm'), 'x');
    writeFileSync(join(dir, 'unstaged_bad.cbm'), 'x');
    writeFileSync(join(dir, GOOD), 'x');
    // A staged file that is no model file is not even handed to the rules (so not "ignored").
    writeFileSync(join(dir, 'notes.txt'), 'x');
    runGit(dir, 'add', 'catboost_v9_retrain_final.cbm', GOOD, 'notes.txt');
    runGit(dir, 'rm', '-q', '--cached', 'models/catboost_v9/artifacts/catboost_v9_2026_02.cbm');
    const r = await run(dir, ['--json', 'lint-names']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.checked).toBe(2);
    expect(out.ignored).toBe(0);
    expect(out.violations.map((v: { path: string }) => v.path)).toEqual(['catboost_v9_retrain_final.cbm']);
    expect(out.violations[0].reason).toContain('old format');
  });

  it('an unreadable gs:// manifest only costs its facts: a warning, names still judged', async () => {
    const dir = copyExample({ git: false });
    const configFile = join(dir, 'modelgov.config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    config.systems[0].manifest = 'gs://nba-props-platform-models/catboost/v9/manifest.json';
    config.timeoutMs = 2000;
    writeFileSync(configFile, JSON.stringify(config));
    const r = await run(dir, ['lint-names', GOOD, 'catboost_v9_bad.cbm'], { MODELGOV_GCS_ENDPOINT: 'http://127.0.0.1:9' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('checked without its manifest facts');
    expect(r.stdout).toContain('catboost_v9_bad.cbm: old format');
  });
});
