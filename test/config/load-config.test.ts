import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfig, loadConfig, parseConfig } from '../../src/config/load-config.js';
import { ModelgovError } from '../../src/errors.js';

const base = { systems: [{ id: 'catboost_v9', manifest: 'models/catboost_v9/manifest.json' }] };
const check = (c: unknown) => parseConfig(JSON.stringify(c), 'modelgov.config.json');

describe('config', () => {
  it('defaults the registry to the embedded DuckDB file', () => {
    expect(check(base).value?.registry).toBe('duckdb:.modelgov/registry.duckdb');
  });

  it('rejects an unknown key, naming it and suggesting the right one', () => {
    const r = check({ ...base, registy: 'duckdb:x' });
    expect(r.errors[0]).toMatch(/^modelgov\.config\.json: registy: unknown key "registy" \(did you mean "registry"\?\)/);
    const r2 = check({ systems: [{ ...base.systems[0], doc: ['CLAUDE.md'] }] });
    expect(r2.errors[0]).toContain('systems[0].doc: unknown key "doc" (did you mean "docs"?)');
  });

  it('rejects an unknown registry scheme with the allowed forms', () => {
    const r = check({ ...base, registry: 'postgres://db/x' });
    expect(r.errors[0]).toContain('registry: "postgres://db/x" does not match');
    expect(r.errors[0]).toContain('use duckdb:<path>[#table] or bigquery:<project>.<dataset>.<table>');
  });

  it('accepts cloud locations', () => {
    const r = check({
      registry: 'bigquery:nba-props-platform.nba_predictions.model_registry',
      systems: [{ id: 'catboost_v9', manifest: 'gs://nba-props-platform-models/catboost/v9/manifest.json', deployment: { service: 'cloudrun:nba-props-platform/us-west2/prediction-worker', env: 'CATBOOST_V9_MODEL_PATH' } }],
    });
    expect(r.errors).toEqual([]);
  });

  it('rejects an unknown manifest scheme and duplicate system ids', () => {
    expect(check({ systems: [{ id: 'a', manifest: 's3://b/m.json' }] }).errors[0]).toContain('systems[0].manifest: unknown location scheme');
    expect(check({ systems: [base.systems[0], base.systems[0]] }).errors[0]).toContain('systems[1].id: duplicate system id "catboost_v9"');
  });

  it('rejects a gate with no threshold', () => {
    expect(check({ ...base, gates: [{ id: 'g', metric: 'mae' }] }).errors[0]).toContain('gates[0]: gate "g" has no threshold');
  });

  it('is found walking up, but not past the git root', () => {
    const top = mkdtempSync(join(tmpdir(), 'mg-cfg-'));
    writeFileSync(join(top, 'modelgov.config.json'), JSON.stringify(base));
    const repo = join(top, 'repo');
    mkdirSync(join(repo, '.git'), { recursive: true });
    mkdirSync(join(repo, 'a', 'b'), { recursive: true });
    expect(findConfig(join(repo, 'a', 'b'))).toBeUndefined();
    writeFileSync(join(repo, 'modelgov.config.json'), JSON.stringify(base));
    expect(findConfig(join(repo, 'a', 'b'))).toBe(join(repo, 'modelgov.config.json'));
  });

  it('throws CONFIG_NOT_FOUND telling the user to run init', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-cfg-'));
    mkdirSync(join(dir, '.git'));
    try {
      loadConfig({ cwd: dir });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ModelgovError);
      expect((e as ModelgovError).code).toBe('CONFIG_NOT_FOUND');
      expect((e as ModelgovError).fix).toContain('modelgov init');
    }
  });
});
