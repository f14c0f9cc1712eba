import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLocation } from '../../src/config/location.js';
import { run } from '../helpers/cli.js';
import { copyExample, EXAMPLE_MANIFEST } from '../helpers/example.js';
import { editConfig, outsideDir } from './helpers.js';

/** Runs `args` and checks: exit 2, the key named, every file of `watch` byte-identical. */
async function refused(dir: string, args: string[], key: string, watch: string[] = []): Promise<string> {
  const before = watch.map((f) => (existsSync(f) ? readFileSync(f) : undefined));
  const r = await run(dir, args);
  expect(r.code, r.stdout + r.stderr).toBe(2);
  expect(r.stderr).toContain(key);
  expect(r.stderr).not.toMatch(/internal error/);
  watch.forEach((f, i) => expect(existsSync(f) ? readFileSync(f) : undefined).toEqual(before[i]));
  return r.stderr;
}

describe('issue 10 item 8: every configured local path stays inside the repository', () => {
  it('docs: ["../x.md"] is refused naming systems[0].docs[0]; the outside file is untouched', async () => {
    const dir = copyExample();
    const outside = join(dir, '..', 'x.md');
    writeFileSync(outside, '# outside\n<!-- modelgov:start catboost_v9 -->\n<!-- modelgov:end catboost_v9 -->\n');
    editConfig(dir, (c) => c.systems[0].docs.push('../x.md'));
    await refused(dir, ['docs'], 'systems[0].docs[1]', [outside]);
  });

  it('an absolute docsTemplate (a secret elsewhere) is refused before it is read', async () => {
    const dir = copyExample();
    const secret = join(outsideDir(), 'secret.md');
    writeFileSync(secret, 'TOKEN=hunter2\n');
    editConfig(dir, (c) => (c.systems[0].docsTemplate = secret));
    const err = await refused(dir, ['docs'], 'systems[0].docsTemplate', [join(dir, 'CLAUDE.md')]);
    expect(err).not.toContain('hunter2');
    expect(readFileSync(join(dir, 'CLAUDE.md'), 'utf8')).not.toContain('hunter2');
  });

  it('a docs file that is a symlink to a file outside is refused; one to a file inside is fine', async () => {
    const dir = copyExample();
    const outside = join(outsideDir(), 'AGENTS.md');
    writeFileSync(outside, readFileSync(join(dir, 'CLAUDE.md')));
    symlinkSync(outside, join(dir, 'AGENTS.md'));
    editConfig(dir, (c) => c.systems[0].docs.push('AGENTS.md'));
    await refused(dir, ['docs'], 'systems[0].docs[1]', [outside]);

    const ok = copyExample();
    symlinkSync('CLAUDE.md', join(ok, 'AGENTS.md'));
    editConfig(ok, (c) => c.systems[0].docs.push('AGENTS.md'));
    expect((await run(ok, ['docs', '--check'])).code).toBe(1); // stale, but checked
  });

  it.each(['duckdb:../../registry.duckdb', 'duckdb:~/registry.duckdb', 'duckdb:file:///tmp/registry.duckdb', 'duckdb:s3://bucket/registry.duckdb', 'duckdb:http://example.com/r.duckdb', 'duckdb:/dev/stdout', 'duckdb:/tmp/registry.duckdb'])(
    'registry %s is refused naming registry; nothing is created',
    async (registry) => {
      const dir = copyExample();
      editConfig(dir, (c) => (c.registry = registry));
      const parentBefore = readdirSync(join(dir, '..')).sort();
      await refused(dir, ['sync'], 'registry');
      expect(readdirSync(join(dir, '..')).sort()).toEqual(parentBefore);
      expect(existsSync(join(dir, '~'))).toBe(false);
    },
  );

  it('a manifest at ../ or symlinked outside the repository is refused naming systems[0].manifest', async () => {
    const dir = copyExample();
    const outside = join(dir, '..', 'manifest.json');
    writeFileSync(outside, readFileSync(join(dir, EXAMPLE_MANIFEST)));
    editConfig(dir, (c) => (c.systems[0].manifest = '../manifest.json'));
    await refused(dir, ['sync'], 'systems[0].manifest');

    const linked = copyExample();
    const elsewhere = join(outsideDir(), 'manifest.json');
    renameSync(join(linked, EXAMPLE_MANIFEST), elsewhere);
    symlinkSync(elsewhere, join(linked, EXAMPLE_MANIFEST));
    await refused(linked, ['sync'], 'systems[0].manifest', [elsewhere]);
    // A directory symlink on the way counts too.
    const viaDir = copyExample();
    const outDir = outsideDir();
    mkdirSync(join(outDir, 'm'));
    editConfig(viaDir, (c) => (c.systems[0].artifacts.dir = 'link/m'));
    symlinkSync(outDir, join(viaDir, 'link'));
    await refused(viaDir, ['validate'], 'systems[0].artifacts.dir');
  });

  it('service YAML and sourceDirs outside are refused naming their keys', async () => {
    const dir = copyExample();
    editConfig(dir, (c) => (c.systems[0].deployment.service = '/etc/passwd'));
    await refused(dir, ['drift'], 'systems[0].deployment.service');
    const dirs = copyExample();
    editConfig(dirs, (c) => (c.systems[0].deployment.sourceDirs = ['predictions/worker', '../..']));
    await refused(dirs, ['drift'], 'systems[0].deployment.sourceDirs[1]');
  });

  it('parseLocation gives typed values and refuses unknown schemes', () => {
    expect(parseLocation('registry', 'duckdb:.modelgov/r.duckdb#t', ['duckdb', 'bigquery'], '/repo')).toEqual({ kind: 'duckdb', raw: 'duckdb:.modelgov/r.duckdb#t', path: '/repo/.modelgov/r.duckdb', table: 't' });
    expect(parseLocation('m', 'gs://my-models/a/b.json', ['local', 'gcs'], '/repo')).toEqual({ kind: 'gcs', raw: 'gs://my-models/a/b.json', bucket: 'my-models', object: 'a/b.json' });
    expect(parseLocation('s', 'cloudrun:my-project/us-west2/svc', ['local', 'cloudrun'], '/repo')).toMatchObject({ kind: 'cloudrun', project: 'my-project', region: 'us-west2', service: 'svc' });
    expect(parseLocation('r', 'bigquery:my-project.ml.registry', ['duckdb', 'bigquery'], '/repo')).toMatchObject({ kind: 'bigquery', project: 'my-project', dataset: 'ml', table: 'registry' });
    expect(() => parseLocation('m', 's3://b/m.json', ['local', 'gcs'], '/repo')).toThrow(/unknown location scheme/);
    expect(() => parseLocation('m', '~/m.json', ['local'], '/repo')).toThrow(/~/);
  });
});
