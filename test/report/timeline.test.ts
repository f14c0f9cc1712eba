import { describe, expect, it } from 'vitest';
import { renderSection } from '../../src/docs/index.js';
import type { Manifest, ModelEntry } from '../../src/manifest/types.js';
import type { HistoryEvent } from '../../src/ports.js';
import { buildTimeline } from '../../src/timeline/build-timeline.js';
import { ganttText, timelineMermaid } from '../../src/timeline/mermaid-gantt.js';
import { exampleManifest, PROD_ID } from '../helpers/example.js';

const model = (over: Partial<ModelEntry>): ModelEntry => ({
  gcs_path: 'gs://b/m.cbm',
  training_start: '2025-11-01',
  training_end: '2026-01-01',
  status: 'active',
  ...over,
});

let seq = 0;
const promote = (to: string, at: string, details: Record<string, unknown> = {}, system = 'sys'): HistoryEvent => ({
  event_id: `e${++seq}`,
  event_type: 'promote',
  system_id: system,
  model_id: to,
  field: null,
  old_value: null,
  new_value: to,
  changed_at: at,
  changed_by: 'ana@example.com',
  git_commit: null,
  details_json: JSON.stringify({ to, forced: false, reason: null, ...details }),
});

describe('buildTimeline', () => {
  it('orders rows newest first and draws the example: one training window per model, production from production_since', () => {
    const t = buildTimeline('catboost_v9', exampleManifest());
    expect(t.rows.map((r) => r.id)).toEqual(['catboost_v9_2026_02', 'catboost_v9_feb_02_retrain', PROD_ID]);
    expect(t.rows.map((r) => r.retired)).toEqual([false, true, false]);
    expect(t.rows[2]).toMatchObject({ current: true, training: { start: '2025-11-02', end: '2026-01-08' }, periods: [{ start: '2026-02-08', end: null, source: 'manifest' }] });
    // Ongoing periods are drawn to a day derived from the data, not from the clock.
    expect(t.horizon).toBe('2026-02-15');
    expect(t.omitted).toBe(0);
  });

  it('takes production periods from promotions, each lasting until the next, with the manifest for the time before', () => {
    const models = {
      a: model({ status: 'deprecated', production_since: '2025-06-01', production_end_date: '2025-09-01' }),
      b: model({ status: 'active', training_end: '2026-01-02', production_since: '2025-09-01' }),
      c: model({ status: 'production', training_end: '2026-01-03', production_since: '2026-02-10' }),
    };
    const events = [promote('c', '2026-02-10T09:00:00Z', { forced: true, reason: 'hotfix' }), promote('b', '2026-01-05T12:00:00Z')];
    const t = buildTimeline('sys', { production_model: 'c', models }, events);
    const byId = Object.fromEntries(t.rows.map((r) => [r.id, r.periods]));
    expect(byId.a).toEqual([{ start: '2025-06-01', end: '2025-09-01', source: 'manifest' }]);
    // b: production_since (before any promotion) runs into its recorded re-promotion as one period.
    expect(byId.b).toEqual([{ start: '2025-09-01', end: '2026-02-10', source: 'manifest' }]);
    expect(byId.c).toEqual([
      { start: '2026-02-10', end: null, source: 'history', promotion: { by: 'ana@example.com', forced: true, reason: 'hotfix', at: '2026-02-10T09:00:00Z' } },
    ]);
  });

  it('ignores promotions of other systems and of unknown models; a model promoted twice has two periods', () => {
    const models = { a: model({}), b: model({ training_end: '2026-01-02' }) };
    const events = [
      promote('a', '2026-02-01T00:00:00Z'),
      promote('b', '2026-02-05T00:00:00Z'),
      promote('a', '2026-02-09T00:00:00Z'),
      promote('b', '2026-02-07T00:00:00Z', {}, 'other-system'),
      promote('ghost', '2026-02-08T00:00:00Z'),
    ];
    const t = buildTimeline('sys', { production_model: 'a', models }, events);
    const a = t.rows.find((r) => r.id === 'a')!;
    expect(a.periods.map((p) => [p.start, p.end])).toEqual([
      ['2026-02-01', '2026-02-05'],
      ['2026-02-09', null],
    ]);
    expect(t.rows.find((r) => r.id === 'b')!.periods.map((p) => [p.start, p.end])).toEqual([['2026-02-05', '2026-02-09']]);
  });

  it('is bounded: at most `limit` rows, newest first, the production model always among them, the rest counted', () => {
    const models: Record<string, ModelEntry> = { old_prod: model({ status: 'production', training_end: '2025-01-01', production_since: '2025-02-01' }) };
    for (let i = 1; i <= 30; i++) models[`m${String(i).padStart(2, '0')}`] = model({ training_end: `2025-12-${String(i).padStart(2, '0')}` });
    const t = buildTimeline('sys', { production_model: 'old_prod', models }, [], { limit: 5 });
    expect(t.rows.map((r) => r.id)).toEqual(['m30', 'm29', 'm28', 'm27', 'old_prod']);
    expect(t.omitted).toBe(26);
    const text = timelineMermaid(t);
    expect(text).toContain('_26 older models not shown (limit 5)._');
    expect(text.match(/^ {4}section /gm)).toHaveLength(5);
  });

  it('is deterministic: the order of manifest keys and events does not change the bytes', () => {
    const m = exampleManifest();
    const reversed: Manifest = { ...m, models: Object.fromEntries(Object.entries(m.models).reverse()) };
    const events = [promote(PROD_ID, '2026-02-08T10:00:00Z', {}, 'catboost_v9'), promote('catboost_v9_2026_02', '2026-02-03T10:00:00Z', {}, 'catboost_v9')];
    const a = timelineMermaid(buildTimeline('catboost_v9', m, events));
    const b = timelineMermaid(buildTimeline('catboost_v9', reversed, [...events].reverse()));
    expect(a).toBe(b);
  });
});

describe('timelineMermaid', () => {
  it('writes a gantt block: one compact section per model, training bars (retired: done), production bars (crit)', () => {
    expect(timelineMermaid(buildTimeline('catboost_v9', exampleManifest()))).toBe(
      [
        '```mermaid',
        '---',
        'displayMode: compact',
        'config:',
        '  gantt:',
        '    leftPadding: 298',
        '---',
        'gantt',
        '    title catboost_v9 models, newest first (training window, production periods)',
        '    dateFormat YYYY-MM-DD',
        '    axisFormat %Y-%m-%d',
        '    section catboost_v9_2026_02',
        '        training :t1, 2025-11-02, 2026-02-01',
        '    section catboost_v9_feb_02_retrain',
        '        training :done, t2, 2025-11-02, 2026-02-01',
        `    section ${PROD_ID}`,
        '        training :t3, 2025-11-02, 2026-01-09',
        '        production (serving) :crit, p3_1, 2026-02-08, 2026-02-15',
        '```',
      ].join('\n'),
    );
  });

  it('escapes what would break a gantt line as Mermaid entity codes, and keeps every line one line', () => {
    expect(ganttText('a:b#c;d%e<f>&"\'`{}\\')).toBe('a#58;b#35;c#59;d#37;e#60;f#62;#38;#34;#39;#96;#123;#125;#92;');
    expect(ganttText('two\nlines\r\nhere\u2028x')).toBe('two lines here x');
    const t = buildTimeline('sys:1', { production_model: 'p', models: { 'p': model({ status: 'production' }), 'id:with#all;\n```%%': model({}) } });
    const text = timelineMermaid(t);
    expect(text).toContain('section id#58;with#35;all#59; #96;#96;#96;#37;#37;');
    expect(text).toContain('title sys#58;1 models');
    // Only the fences start with backquotes; no user text reaches a task's data.
    expect(text.split('\n').filter((l) => l.startsWith('```'))).toEqual(['```mermaid', '```']);
  });
});

describe('{{timeline}} in docs templates', () => {
  it('is opt-in: the default section has no timeline', () => {
    const section = renderSection({ system: 'catboost_v9', manifest: exampleManifest(), manifestLocation: 'm.json' });
    expect(section).not.toContain('mermaid');
  });

  it('prints the gantt block unescaped where a template puts it, with promotions from the events', () => {
    const section = renderSection({
      system: 'catboost_v9',
      manifest: exampleManifest(),
      manifestLocation: 'm.json',
      template: { text: '## Timeline\n\n{{timeline}}\n', file: 'tmpl.md' },
      events: [promote('catboost_v9_2026_02', '2026-02-20T10:00:00Z', {}, 'catboost_v9')],
    });
    expect(section.startsWith('## Timeline\n\n```mermaid\n')).toBe(true);
    expect(section).toContain('production :crit, p3_1, 2026-02-08, 2026-02-20');
    expect(section).toContain('production (serving) :crit, p1_1, 2026-02-20, 2026-02-27');
    expect(section.endsWith('```')).toBe(true);
  });
});
