import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { AJV_OPTIONS } from '../../scripts/gen-validators.mjs';
import { formats } from '../../src/schema/formats.js';
import { parsed, run } from '../helpers/cli.js';
import { EXAMPLE_MANIFEST, PROD_ID, copyExample, exampleManifest } from '../helpers/example.js';

// The shipped JSON Schema files (what editors and CI tools validate with) and the CLI must give
// the same verdict on every file. Here the shipped schema/*.json are compiled by Ajv at TEST time
// and the CLI runs its build-time validators; each fixture is judged by both.
const root = new URL('../../', import.meta.url);
const shipped = (name: string) => JSON.parse(readFileSync(new URL(`schema/${name}.schema.json`, root), 'utf8'));
const ajv = new Ajv2020({ ...AJV_OPTIONS, formats, logger: false });
const configValid = ajv.compile(shipped('config'));
const manifestValid = ajv.compile(shipped('manifest'));

const CONFIG = 'modelgov.config.json';
let repo: string;
let baseConfig: any;
beforeAll(() => {
  repo = copyExample({ git: false });
  baseConfig = JSON.parse(readFileSync(join(repo, CONFIG), 'utf8'));
});

/** The CLI's verdict: does `docs --check` reject the file as invalid (exit 2, *_INVALID)? */
async function cliRejects(file: string, text: string, code: 'CONFIG_INVALID' | 'MANIFEST_INVALID'): Promise<{ rejected: boolean; message: string }> {
  const path = join(repo, file);
  const before = readFileSync(path, 'utf8');
  writeFileSync(path, text);
  try {
    const r = await run(repo, ['docs', '--check', '--json']);
    const out = r.code === 2 ? parsed(r) : undefined;
    return { rejected: r.code === 2 && out?.error?.code === code, message: out?.error?.message ?? `exit ${r.code}` };
  } finally {
    writeFileSync(path, before);
  }
}

type Fixture = [name: string, edit: (x: any) => void];

const configFixtures: Fixture[] = [
  ['the example as it is', () => {}],
  ['unknown top-level key', (c) => (c.registy = 'duckdb:x')],
  ['unknown key "__proto__"', () => {}], // written as text below: JSON.stringify drops it
  ['unknown key "constructor" in a system', (c) => (c.systems[0].constructor = 'x')],
  ['unknown key "toString" in a gate', (c) => (c.gates[0].toString = 'x')],
  ['registry with an unknown scheme', (c) => (c.registry = 'postgres://db/x')],
  ['bigquery registry', (c) => (c.registry = 'bigquery:nba-props-platform.ml.model_registry')],
  ['empty systems', (c) => (c.systems = [])],
  ['system id with capitals', (c) => (c.systems[0].id = 'CatBoost')],
  ['extension without its dot', (c) => (c.systems[0].artifacts.extensions = ['cbm'])],
  ['timeoutMs 0', (c) => (c.timeoutMs = 0)],
  ['timeoutMs 1.5', (c) => (c.timeoutMs = 1.5)],
  ['offline "maybe"', (c) => (c.offline = 'maybe')],
  ['deployment without env', (c) => delete c.systems[0].deployment.env],
  ['gate without metric', (c) => delete c.gates[0].metric],
  ['gate min as a string', (c) => (c.gates[0].min = '60')],
  ['promote.sync false', (c) => (c.promote = { sync: false })],
  ['docs not an array', (c) => (c.systems[0].docs = 'CLAUDE.md')],
];

const manifestFixtures: Fixture[] = [
  ['the example as it is', () => {}],
  ['2026-02-30', (m) => (m.models[PROD_ID].training_end = '2026-02-30')],
  ['leap day 2024-02-29', (m) => (m.models[PROD_ID].training_start = '2024-02-29')],
  ['short sha256', (m) => (m.models[PROD_ID].sha256 = '5b3a187b1b6d')],
  ['feature_count "33"', (m) => (m.models[PROD_ID].feature_count = '33')],
  ['feature_count 0', (m) => (m.models[PROD_ID].feature_count = 0)],
  ['feature_count null', (m) => (m.models[PROD_ID].feature_count = null)],
  ['created_at not a date-time', (m) => (m.models[PROD_ID].created_at = 'yesterday')],
  ['missing gcs_path', (m) => delete m.models.catboost_v9_2026_02.gcs_path],
  ['empty gcs_path', (m) => (m.models.catboost_v9_2026_02.gcs_path = '')],
  ['evaluation with an object value', (m) => (m.models[PROD_ID].evaluation.extra = { a: 1 })],
  ['unknown keys kept (top level and model)', (m) => ((m.team = 'ml'), (m.models[PROD_ID].calibration = { method: 'x' }))],
  ['a model named "toString" without its required keys', (m) => (m.models.toString = { status: 'archived' })],
  ['models not an object', (m) => (m.models = [])],
];

describe('shipped schema and CLI agree', () => {
  it.each(configFixtures)('config: %s', async (name, edit) => {
    const config = structuredClone(baseConfig);
    edit(config);
    let text = JSON.stringify(config, null, 2);
    if (name.includes('__proto__')) text = text.replace('{\n', '{\n  "__proto__": {},\n');
    const schemaSays = configValid(JSON.parse(text));
    const cliSays = await cliRejects(CONFIG, text, 'CONFIG_INVALID');
    // Cross-field rules the schema cannot express (duplicate ids, a gate with no threshold) are
    // not among these fixtures, so the verdicts must be equal.
    expect({ rejected: cliSays.rejected, schemaRejects: !schemaSays, message: cliSays.message }).toMatchObject({ rejected: !schemaSays });
  });

  it.each(manifestFixtures)('manifest: %s', async (_name, edit) => {
    const manifest = exampleManifest() as any;
    edit(manifest);
    const text = JSON.stringify(manifest, null, 2) + '\n';
    const schemaSays = manifestValid(JSON.parse(text));
    const cliSays = await cliRejects(EXAMPLE_MANIFEST, text, 'MANIFEST_INVALID');
    expect({ rejected: cliSays.rejected, message: cliSays.message }).toMatchObject({ rejected: !schemaSays });
  });

  it('the fixtures cover both verdicts', () => {
    const verdicts = configFixtures.map(([name, edit]) => {
      const c = structuredClone(baseConfig);
      edit(c);
      return name.includes('__proto__') ? false : configValid(c);
    });
    expect(verdicts).toContain(true);
    expect(verdicts).toContain(false);
  });
});
