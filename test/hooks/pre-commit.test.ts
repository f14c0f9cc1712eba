import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { EXAMPLE_DIR, EXAMPLE_MANIFEST, exampleManifest, runGit, writeJson } from '../helpers/example.js';
import { editManifestMae, exampleWithHook, gitRun, hermeticEnv, show, TRACE } from './helpers.js';

const SECTION_MAE = (mae: number) => `| MAE | ${mae} |`;

/** Writes `text` as the staged blob of `path`, as `git add -p` would, without touching the file. */
function stageText(dir: string, path: string, text: string): void {
  const sha = spawnSync('git', ['hash-object', '-w', '--stdin'], { cwd: dir, input: text, encoding: 'utf8' }).stdout.trim();
  const mode = runGit(dir, 'ls-files', '-s', '--', path).split(' ')[0] || '100644';
  runGit(dir, 'update-index', '--cacheinfo', `${mode},${sha},${path}`);
}

/** Every module the traced process loaded, with the text of those that are files. */
function tracedModules(traceFile: string): { url: string; text: string }[] {
  if (!existsSync(traceFile)) return [];
  return readFileSync(traceFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((url) => ({ url, text: url.startsWith('file:') ? readFileSync(new URL(url), 'utf8') : '' }));
}

/** Code that must not load on the fast path, recognised by what the bundle keeps of it. */
const HEAVY = [
  { what: 'remark/micromark', test: (m: { url: string; text: string }) => /micromark|remark-parse|mdast-util-from-markdown/.test(m.url + m.text) },
  { what: 'docs layer', test: (m: { text: string }) => /function (updateDocs|findMarkers|renderSection)\(/.test(m.text) },
  { what: 'naming', test: (m: { text: string }) => /function lintNames\(/.test(m.text) },
  { what: 'manifest validator', test: (m: { text: string }) => /function parseManifest\(/.test(m.text) },
  { what: 'app/docs', test: (m: { text: string }) => /function regenerateText\(/.test(m.text) },
  { what: 'DuckDB / Google SDKs', test: (m: { url: string }) => /@duckdb|@google-cloud|google-auth-library|google-gax/.test(m.url) },
  { what: 'yaml', test: (m: { url: string; text: string }) => /node_modules\/yaml\//.test(m.url) || /class YAMLMap\b/.test(m.text) },
  // The report's charting (Vega-Lite + Vega) belongs to `modelgov report` alone, also on a manifest commit.
  { what: 'vega', test: (m: { url: string; text: string }) => /node_modules\/vega/.test(m.url) || /function renderTimelineSvg\(|vega-lite|vega-scenegraph/.test(m.text) },
];

function heavyLoaded(traceFile: string): string[] {
  const mods = tracedModules(traceFile);
  return HEAVY.filter((h) => mods.some((m) => h.test(m))).map((h) => h.what);
}

describe('hook pre-commit: the staged blob and the working file are regenerated separately', () => {
  it('a manifest commit regenerates the committed section; an unstaged edit elsewhere in CLAUDE.md survives, unstaged', () => {
    const dir = exampleWithHook();
    editManifestMae(dir, 4.75);
    runGit(dir, 'add', EXAMPLE_MANIFEST);
    const claude = join(dir, 'CLAUDE.md');
    const unstaged = readFileSync(claude, 'utf8').replace('Read this before touching the prediction pipeline.', 'Read this twice before touching the prediction pipeline.');
    writeFileSync(claude, unstaged);

    const r = gitRun(dir, ['commit', '-m', 'manifest: new mae']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('modelgov: regenerated CLAUDE.md (staged) because models/catboost_v9/manifest.json is staged');
    expect(r.stderr).toContain('modelgov: regenerated CLAUDE.md (working tree)');

    const committed = show(dir, 'HEAD:CLAUDE.md');
    expect(committed).toContain(SECTION_MAE(4.75));
    expect(committed).not.toContain('Read this twice');
    const working = readFileSync(claude, 'utf8');
    expect(working).toContain(SECTION_MAE(4.75));
    expect(working).toContain('Read this twice');
    // The only difference left between the work tree and the commit is the user's own edit.
    expect(runGit(dir, 'diff', '--cached', '--name-only')).toBe('');
    const diff = runGit(dir, 'diff', '-U0', '--', 'CLAUDE.md');
    expect(diff.split('\n').filter((l) => /^[-+][^-+]/.test(l))).toEqual([
      '-Read this before touching the prediction pipeline.',
      '+Read this twice before touching the prediction pipeline.',
    ]);
  });

  it('a partially staged CLAUDE.md keeps its staged hunk staged and its unstaged hunk unstaged, in place; the mode is kept', () => {
    const dir = exampleWithHook();
    runGit(dir, 'update-index', '--chmod=+x', 'CLAUDE.md');
    runGit(dir, 'commit', '-q', '--no-verify', '-m', 'make CLAUDE.md executable (to see the mode kept)');
    const claude = join(dir, 'CLAUDE.md');
    const head = readFileSync(claude, 'utf8');
    const hunkA = head.replace('| `training` | training scripts', '| `training` | training scripts (staged hunk)');
    const both = hunkA.replace('2. Promote only through', '2. (unstaged hunk) Promote only through');
    writeFileSync(claude, both);
    stageText(dir, 'CLAUDE.md', hunkA); // what `git add -p` would stage: hunk A only
    editManifestMae(dir, 4.7);
    runGit(dir, 'add', EXAMPLE_MANIFEST);

    const r = gitRun(dir, ['commit', '-m', 'partial']);
    expect(r.code, r.stderr).toBe(0);

    const committed = show(dir, 'HEAD:CLAUDE.md');
    expect(committed).toContain('(staged hunk)');
    expect(committed).not.toContain('(unstaged hunk)');
    expect(committed).toContain(SECTION_MAE(4.7));
    expect(runGit(dir, 'ls-tree', 'HEAD', 'CLAUDE.md').split(' ')[0]).toBe('100755');

    const working = readFileSync(claude, 'utf8');
    expect(working).toContain('(staged hunk)');
    expect(working).toContain(SECTION_MAE(4.7));
    // The unstaged hunk is still unstaged and still right where the user put it.
    expect(working.split('\n').find((l) => l.includes('(unstaged hunk)'))).toBe('2. (unstaged hunk) Promote only through `modelgov promote`, which runs the gates.');
    expect(working).toBe(committed.replace('2. Promote only through', '2. (unstaged hunk) Promote only through'));
    expect(runGit(dir, 'diff', '--cached', '--name-only')).toBe('');
    expect(runGit(dir, 'diff', '--name-only')).toBe('CLAUDE.md');
  });

  it('the staged section comes from the STAGED manifest and the working section from the WORKING manifest', () => {
    const dir = exampleWithHook();
    editManifestMae(dir, 4.6);
    runGit(dir, 'add', EXAMPLE_MANIFEST);
    editManifestMae(dir, 4.5); // a later edit, not staged
    const r = gitRun(dir, ['commit', '-m', 'mae 4.6']);
    expect(r.code, r.stderr).toBe(0);
    expect(show(dir, 'HEAD:CLAUDE.md')).toContain(SECTION_MAE(4.6));
    expect(readFileSync(join(dir, 'CLAUDE.md'), 'utf8')).toContain(SECTION_MAE(4.5));
    expect(runGit(dir, 'diff', '--cached', '--name-only')).toBe('');
    expect(runGit(dir, 'diff', '--name-only').split('\n').sort()).toEqual(['CLAUDE.md', 'models/catboost_v9/manifest.json']);
  });

  it('an unrelated commit touches nothing and loads nothing heavy (module trace); a manifest commit does load the docs layer', () => {
    const dir = exampleWithHook();
    const claude = join(dir, 'CLAUDE.md');
    const before = { bytes: readFileSync(claude), mtime: statSync(claude).mtimeMs, blob: runGit(dir, 'rev-parse', ':CLAUDE.md') };
    writeFileSync(join(dir, 'notes.txt'), 'unrelated\n');
    runGit(dir, 'add', 'notes.txt');

    const trace = join(mkdtempSync(join(tmpdir(), 'modelgov-trace-')), 'modules.txt');
    const env = hermeticEnv({ NODE_OPTIONS: `--import=${TRACE}`, MODELGOV_TRACE_IMPORTS: trace });
    const r = gitRun(dir, ['commit', '-m', 'unrelated'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('modelgov:');
    expect(runGit(dir, 'show', '--name-only', '--format=', 'HEAD')).toBe('notes.txt');
    expect(readFileSync(claude).equals(before.bytes)).toBe(true);
    expect(statSync(claude).mtimeMs).toBe(before.mtime);
    expect(runGit(dir, 'rev-parse', ':CLAUDE.md')).toBe(before.blob);

    // The trace really ran the hook (the CLI entry and its command chunk are in it) ...
    const mods = tracedModules(trace);
    expect(mods.some((m) => m.url.endsWith('/dist/cli.js'))).toBe(true);
    expect(mods.some((m) => /function runPreCommit\(/.test(m.text))).toBe(true);
    // ... and none of the heavy code was loaded.
    expect(heavyLoaded(trace)).toEqual([]);

    // Control: the same trace on a manifest commit sees the docs layer and the parser, so the
    // check above is able to fail.
    editManifestMae(dir, 4.9);
    runGit(dir, 'add', EXAMPLE_MANIFEST);
    const trace2 = join(mkdtempSync(join(tmpdir(), 'modelgov-trace-')), 'modules.txt');
    const r2 = gitRun(dir, ['commit', '-m', 'manifest'], hermeticEnv({ NODE_OPTIONS: `--import=${TRACE}`, MODELGOV_TRACE_IMPORTS: trace2 }));
    expect(r2.code, r2.stderr).toBe(0);
    expect(heavyLoaded(trace2)).toEqual(expect.arrayContaining(['remark/micromark', 'docs layer', 'manifest validator', 'app/docs']));
    expect(heavyLoaded(trace2)).not.toContain('vega');
  });

  it('a section that went stale without its inputs being staged (manifest committed with --no-verify) is regenerated by the next commit', () => {
    const dir = exampleWithHook();
    editManifestMae(dir, 4.4);
    runGit(dir, 'commit', '-q', '--no-verify', '-am', 'manifest, hook skipped');
    expect(show(dir, 'HEAD:CLAUDE.md')).not.toContain(SECTION_MAE(4.4));
    writeFileSync(join(dir, 'notes.txt'), 'next\n');
    runGit(dir, 'add', 'notes.txt');
    const r = gitRun(dir, ['commit', '-m', 'next commit']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('modelgov: regenerated CLAUDE.md (staged) because the committed section was stale');
    expect(show(dir, 'HEAD:CLAUDE.md')).toContain(SECTION_MAE(4.4));
    expect(runGit(dir, 'status', '--porcelain')).toBe('');
    // Once checked, the following unrelated commit is quiet again.
    writeFileSync(join(dir, 'notes.txt'), 'again\n');
    const r2 = gitRun(dir, ['commit', '-am', 'again']);
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stderr).not.toContain('modelgov:');
  });

  it('an unstaged manifest edit makes the next unrelated commit check the staged section, but not rewrite the working CLAUDE.md', () => {
    const dir = exampleWithHook();
    editManifestMae(dir, 4.45); // not staged
    const claude = join(dir, 'CLAUDE.md');
    const bytes = readFileSync(claude);
    writeFileSync(join(dir, 'notes.txt'), 'unrelated\n');
    runGit(dir, 'add', 'notes.txt');
    const r = gitRun(dir, ['commit', '-m', 'unrelated']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('regenerated');
    expect(readFileSync(claude).equals(bytes)).toBe(true);
    expect(runGit(dir, 'show', '--name-only', '--format=', 'HEAD')).toBe('notes.txt');
    expect(runGit(dir, 'diff', '--name-only')).toBe('models/catboost_v9/manifest.json');
  });

  it('git commit -a (hooks see a temporary index) regenerates the committed section too', () => {
    const dir = exampleWithHook();
    editManifestMae(dir, 4.3);
    const r = gitRun(dir, ['commit', '-a', '-m', 'all']);
    expect(r.code, r.stderr).toBe(0);
    expect(show(dir, 'HEAD:CLAUDE.md')).toContain(SECTION_MAE(4.3));
    expect(runGit(dir, 'status', '--porcelain')).toBe('');
  });

  it('MODELGOV_SKIP=1 prints one notice and changes nothing', async () => {
    const dir = exampleWithHook();
    editManifestMae(dir, 4.2);
    runGit(dir, 'add', EXAMPLE_MANIFEST);
    const blob = runGit(dir, 'rev-parse', ':CLAUDE.md');
    const r = await run(dir, ['hook', 'pre-commit'], { MODELGOV_SKIP: '1' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('modelgov: skipped (MODELGOV_SKIP=1)\n');
    expect(runGit(dir, 'rev-parse', ':CLAUDE.md')).toBe(blob);
    const viaGit = gitRun(dir, ['commit', '-m', 'skipped'], hermeticEnv({ MODELGOV_SKIP: '1' }));
    expect(viaGit.code).toBe(0);
    expect(show(dir, 'HEAD:CLAUDE.md')).not.toContain(SECTION_MAE(4.2));
    // docs --staged honours it as well.
    expect((await run(dir, ['docs', '--staged'], { MODELGOV_SKIP: '1' })).stderr).toBe('modelgov: skipped (MODELGOV_SKIP=1)\n');
  });

  it('outside a git repo: a clear message and exit 0 (also with a config there)', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'modelgov-nogit-'));
    const r = await run(plain, ['hook', 'pre-commit']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/not inside a git work tree/);
    const withConfig = join(mkdtempSync(join(tmpdir(), 'modelgov-nogit-')), 'copy');
    cpSync(EXAMPLE_DIR, withConfig, { recursive: true });
    const r2 = await run(withConfig, ['docs', '--staged']);
    expect(r2.code).toBe(0);
    expect(r2.stderr).toMatch(/not inside a git work tree/);
    expect(readFileSync(join(withConfig, 'CLAUDE.md'), 'utf8')).toBe(readFileSync(join(EXAMPLE_DIR, 'CLAUDE.md'), 'utf8'));
  });

  it('a staged model file with a bad name refuses the commit and names the correct file', () => {
    const dir = exampleWithHook();
    // The training script wrote an old-style name; the manifest knows the model's facts.
    const m = exampleManifest();
    m.models.catboost_v9_new_retrain = {
      ...m.models.catboost_v9_2026_02,
      gcs_path: 'gs://nba-props-platform-models/catboost/v9/catboost_v9_new_retrain.cbm',
      training_start: '2025-11-02',
      training_end: '2026-02-01',
      feature_count: 33,
      created_at: '2026-02-10T10:10:10Z',
      status: 'untested',
    };
    writeJson(join(dir, EXAMPLE_MANIFEST), m);
    writeFileSync(join(dir, 'models/catboost_v9/artifacts/catboost_v9_new_retrain.cbm'), 'model bytes\n');
    runGit(dir, 'add', '-A');
    const blob = runGit(dir, 'rev-parse', ':CLAUDE.md');
    const head = runGit(dir, 'rev-parse', 'HEAD');

    const r = gitRun(dir, ['commit', '-m', 'new model']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('modelgov: bad model file name: models/catboost_v9/artifacts/catboost_v9_new_retrain.cbm');
    expect(r.stderr).toContain('rename to catboost_v9_33f_train20251102-20260201_20260210_101010.cbm');
    expect(r.stderr).toContain('git commit --no-verify');
    expect(runGit(dir, 'rev-parse', 'HEAD')).toBe(head);
    // Refused before anything was written: the index is as the user left it.
    expect(runGit(dir, 'rev-parse', ':CLAUDE.md')).toBe(blob);

    // Renamed as told: the commit goes through.
    runGit(dir, 'mv', 'models/catboost_v9/artifacts/catboost_v9_new_retrain.cbm', 'models/catboost_v9/artifacts/catboost_v9_33f_train20251102-20260201_20260210_101010.cbm');
    const ok = gitRun(dir, ['commit', '-m', 'new model, named']);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('--json reports what was regenerated; docs --staged regenerates without linting names', async () => {
    const dir = exampleWithHook();
    editManifestMae(dir, 4.1);
    runGit(dir, 'add', EXAMPLE_MANIFEST);
    writeFileSync(join(dir, 'bad_name.cbm'), 'x');
    runGit(dir, 'add', 'bad_name.cbm');
    const docsOnly = await run(dir, ['--json', 'docs', '--staged']);
    expect(docsOnly.code, docsOnly.stderr).toBe(0);
    expect(JSON.parse(docsOnly.stdout)).toMatchObject({
      ok: true,
      regenerated: [
        { file: 'CLAUDE.md', side: 'staged' },
        { file: 'CLAUDE.md', side: 'working tree' },
      ],
      violations: [],
    });
    expect(show(dir, ':CLAUDE.md')).toContain(SECTION_MAE(4.1));
    const hook = await run(dir, ['--json', 'hook', 'pre-commit']);
    expect(hook.code).toBe(1);
    expect(JSON.parse(hook.stdout)).toMatchObject({ ok: false, violations: [{ path: 'bad_name.cbm' }] });
  });

  it('a broken marker in the staged CLAUDE.md blocks the commit (exit 2) and writes nothing', async () => {
    const dir = exampleWithHook();
    const claude = join(dir, 'CLAUDE.md');
    writeFileSync(claude, readFileSync(claude, 'utf8').replace('<!-- modelgov:end catboost_v9 -->', ''));
    runGit(dir, 'add', 'CLAUDE.md');
    const blob = runGit(dir, 'rev-parse', ':CLAUDE.md');
    const bytes = readFileSync(claude);
    const r = await run(dir, ['hook', 'pre-commit']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CLAUDE\.md \(staged\):\d+:/);
    expect(runGit(dir, 'rev-parse', ':CLAUDE.md')).toBe(blob);
    expect(readFileSync(claude).equals(bytes)).toBe(true);
  });

  it('a CRLF CLAUDE.md with a BOM stays CRLF with its BOM, in the blob and in the file', () => {
    const dir = exampleWithHook();
    const claude = join(dir, 'CLAUDE.md');
    const crlf = '\uFEFF' + readFileSync(claude, 'utf8').replace(/\n/g, '\r\n');
    writeFileSync(claude, crlf);
    runGit(dir, 'add', 'CLAUDE.md');
    runGit(dir, 'commit', '-q', '--no-verify', '-m', 'crlf');
    editManifestMae(dir, 4.05);
    runGit(dir, 'add', EXAMPLE_MANIFEST);
    const r = gitRun(dir, ['commit', '-m', 'crlf manifest']);
    expect(r.code, r.stderr).toBe(0);
    for (const text of [show(dir, 'HEAD:CLAUDE.md'), readFileSync(claude, 'utf8')]) {
      expect(text.startsWith('\uFEFF# NBA Props Platform')).toBe(true);
      expect(text).toContain(SECTION_MAE(4.05) + '\r\n');
      expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    }
  });

  it('a gs:// manifest that cannot be reached: a warning, the section left alone, the commit goes through', () => {
    const dir = exampleWithHook();
    const configFile = join(dir, 'modelgov.config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    config.systems[0].manifest = 'gs://nba-props-platform-models/catboost/v9/manifest.json';
    config.timeoutMs = 2000;
    writeJson(configFile, config);
    const claude = join(dir, 'CLAUDE.md');
    writeFileSync(claude, readFileSync(claude, 'utf8') + '\nA staged note.\n');
    runGit(dir, 'add', '-A');
    const section = (text: string) => text.slice(text.indexOf('<!-- modelgov:start'), text.indexOf('<!-- modelgov:end'));
    const before = section(readFileSync(claude, 'utf8'));
    // A loopback port nobody listens on: unreachable, and no request leaves the machine.
    const r = gitRun(dir, ['commit', '-m', 'remote manifest'], hermeticEnv({ MODELGOV_GCS_ENDPOINT: 'http://127.0.0.1:9' }));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/modelgov: warning: gs:\/\/nba-props-platform-models\/catboost\/v9\/manifest\.json could not be read .*left as it is/);
    expect(section(show(dir, 'HEAD:CLAUDE.md'))).toBe(before);
    expect(show(dir, 'HEAD:CLAUDE.md')).toContain('A staged note.');
  });

  it('a repo without modelgov.config.json: nothing to do, exit 0', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'modelgov-noconf-')), 'r');
    mkdirSync(dir);
    cpSync(join(EXAMPLE_DIR, 'CLAUDE.md'), join(dir, 'CLAUDE.md'));
    runGit(dir, 'init', '-q', '-b', 'main');
    const r = await run(dir, ['hook', 'pre-commit']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/no modelgov\.config\.json.*modelgov init/);
  });
});
