import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsed, run } from '../helpers/cli.js';
import { copyExample, PROD_ID } from '../helpers/example.js';
import { BROWSER_MISSING, openBrowser, type Browser } from './browser.js';

const UNTESTED = 'catboost_v9_2026_02';
const RETRAIN = 'catboost_v9_feb_02_retrain';

/** The example after three recorded promotions: the untested model forced in, the old one back, the untested one again. */
async function exampleWithPromotions(): Promise<string> {
  const dir = copyExample();
  const steps: [string[], string][] = [
    [['sync'], '2026-02-10T09:00:00Z'],
    [['promote', UNTESTED, '--force', '--reason', 'hotfix for the Feb slate', '--by', 'ana@example.com'], '2026-02-12T15:00:00Z'],
    [['promote', PROD_ID, '--by', 'bo@example.com'], '2026-02-20T08:30:00Z'],
    [['promote', UNTESTED, '--force', '--reason', 'second try', '--by', 'ana@example.com'], '2026-02-25T10:00:00Z'],
  ];
  for (const [args, now] of steps) {
    const r = await run(dir, args, { MODELGOV_NOW: now });
    expect(r.code, `${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
  }
  return dir;
}

interface Seen {
  training: { label: string; x: number }[];
  production: { label: string; x: number; width: number }[];
  scripts: number;
  external: string[];
  models: string[];
  promotions: string[][];
  unreachable: string[];
  driftText: string;
}

describe.skipIf(BROWSER_MISSING !== null)('modelgov report, opened in headless chromium from file://', { timeout: 180_000 }, () => {
  let browser: Browser;
  let dir: string;
  let page: string;
  let seen: Seen;

  beforeAll(async () => {
    dir = await exampleWithPromotions();
    const r = await run(dir, ['report', '--out', 'report.html']);
    expect(r.code, r.stderr).toBe(0);
    page = join(dir, 'report.html');
    expect(r.stdout).toContain(`wrote ${page}`);
    browser = await openBrowser();
    await browser.page.goto(pathToFileURL(page).href);
    seen = await browser.page.evaluate(() => {
      const bars = (group: string) =>
        [...document.querySelectorAll(`.chart svg g.${group} path[aria-label]`)].map((p) => {
          const box = p.getBoundingClientRect();
          return { label: p.getAttribute('aria-label') ?? '', x: box.x, width: box.width };
        });
      const cells = (row: Element) => [...row.querySelectorAll('td')].map((td) => td.textContent ?? '');
      return {
        training: bars('training_marks'),
        production: bars('production_marks'),
        scripts: document.querySelectorAll('script').length,
        external: [...document.querySelectorAll('[src],[href]')].map((e) => e.getAttribute('src') ?? e.getAttribute('href') ?? ''),
        models: [...document.querySelectorAll('table.models tbody tr')].map((tr) => cells(tr)[0]),
        promotions: [...document.querySelectorAll('table.promotions tbody tr')].map(cells),
        unreachable: [...document.querySelectorAll('ul.unreachable li')].map((li) => li.textContent ?? ''),
        driftText: document.querySelector('table.drift')?.textContent ?? '',
      };
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('draws one training bar per model (Vega SVG), and a screenshot of the page can be taken', async () => {
    const shot = join(mkdtempSync(join(tmpdir(), 'modelgov-shot-')), 'report.png');
    await browser.page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    const trained = seen.training.map((b) => b.label.replace(/^training (\S+): .*$/, '$1'));
    expect(trained.sort()).toEqual([PROD_ID, RETRAIN, UNTESTED].sort());
    expect(seen.training.every((b) => b.x > 0)).toBe(true);
  });

  it('draws the production periods in order: left to right as they happened, from the promotions', () => {
    // Rows newest first (the untested model was trained later); bars in time order within a row.
    expect(seen.production.map((b) => b.label)).toEqual([
      `production ${UNTESTED}: 2026-02-12 → 2026-02-19`,
      `production ${UNTESTED}: 2026-02-25 → serving`,
      `production ${PROD_ID}: 2026-02-20 → 2026-02-24`,
    ]);
    const byStart = [...seen.production].sort((a, b) => a.label.split(': ')[1].localeCompare(b.label.split(': ')[1]));
    const xs = byStart.map((b) => b.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(new Set(xs).size).toBe(3);
    expect(seen.production.every((b) => b.width > 0)).toBe(true);
  });

  it('is self-contained: no script, no external resource, no request left the page', () => {
    expect(seen.scripts).toBe(0);
    expect(seen.external).toEqual([]);
    expect(browser.blocked).toEqual([]);
    const html = readFileSync(page, 'utf8');
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/)/);
  });

  it('lists the models with gate results and the promotions with who, when, forced and why', () => {
    expect(seen.models).toEqual([UNTESTED, PROD_ID, RETRAIN]);
    expect(seen.promotions.map((p) => [p[0], p[1], p[2], p[3].startsWith('yes'), p[4]])).toEqual([
      ['2026-02-25 10:00:00 UTC', 'ana@example.com', `${PROD_ID} → ${UNTESTED}`, true, 'second try'],
      ['2026-02-20 08:30:00 UTC', 'bo@example.com', `${UNTESTED} → ${PROD_ID}`, false, '—'],
      ['2026-02-12 15:00:00 UTC', 'ana@example.com', `${PROD_ID} → ${UNTESTED}`, true, 'hotfix for the Feb slate'],
    ]);
    expect(seen.promotions[2][3]).toContain('vegas-bias');
    const html = readFileSync(page, 'utf8');
    expect(html).toMatch(/<td class="fail"[^>]*>✘ [^<]*vegas-bias/);
    // The service still serves the model the last promotion replaced: drift, with the exact fix.
    expect(seen.driftText).toContain('deployment-model');
    expect(seen.driftText).toContain('gcloud run services update prediction-worker');
    expect(seen.unreachable).toEqual([]);
  });
});

describe('modelgov report without a browser', { timeout: 120_000 }, () => {
  it('lists a source it cannot read as unreachable, and still writes the page (exit 0)', async () => {
    const dir = copyExample();
    rmSync(join(dir, 'deploy', 'prediction-worker.yaml'));
    const r = await run(dir, ['--json', 'report', '--out', 'r.html']);
    expect(r.code, r.stderr).toBe(0);
    const out = parsed(r);
    expect(out.unreachable.map((u: { source: string }) => u.source)).toContain('deploy/prediction-worker.yaml');
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(html).toMatch(/<h3>Unreachable — not checked<\/h3>\s*<ul class="unreachable">\s*<li><code>deploy\/prediction-worker\.yaml<\/code>/);
  });

  it('bad input exits 2 naming the fix, and writes nothing', async () => {
    const dir = copyExample();
    const noDir = await run(dir, ['report', '--out', 'missing-dir/r.html']);
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toMatch(/missing-dir does not exist[\s\S]*fix: Create/);
    const noSystem = await run(dir, ['report', '--system', 'nope']);
    expect(noSystem.code).toBe(2);
    expect(noSystem.stderr).toContain('unknown system "nope"');
    expect(() => statSync(join(dir, 'modelgov-report.html'))).toThrow();
  });

  it('escapes hostile model ids in the page and the chart', async () => {
    const dir = copyExample();
    const file = join(dir, 'models/catboost_v9/manifest.json');
    const m = JSON.parse(readFileSync(file, 'utf8'));
    m.models['x<script>alert(1)</script>'] = { ...m.models[UNTESTED] };
    writeFileSync(file, JSON.stringify(m, null, 2));
    const r = await run(dir, ['report', '--out', 'r.html']);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(html).not.toContain('<script>');
    expect(html).toContain('x&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
