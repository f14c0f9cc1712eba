import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSection, TEMPLATE_HELPERS } from '../../src/docs/index.js';
import { GOLDEN, MANIFESTS, TEMPLATES, caseInput } from './template-cases.js';

// Docs templates run on Handlebars. What the hand-written engine rendered before the move is
// kept in fixtures/template-golden.json; every template × manifest must still give those bytes
// (the default template over the example's manifest is what the example's CLAUDE.md gets).
const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, string>;

describe('Handlebars renders the existing templates byte for byte', () => {
  const cases = Object.keys(TEMPLATES).flatMap((t) => Object.keys(MANIFESTS).map((m) => [t, m] as const));
  it('has a golden output for every case', () => {
    expect(Object.keys(golden).sort()).toEqual(cases.map(([t, m]) => `${t} × ${m}`).sort());
  });

  it.each(cases)('%s × %s', (t, m) => {
    expect(renderSection(caseInput(t, m))).toBe(golden[`${t} × ${m}`]);
  });
});

describe('what Handlebars adds for template authors', () => {
  const render = (text: string) => renderSection({ ...caseInput('default', 'the example'), template: { text, file: 't.md' } });

  it('helpers format any metric like the built-in fields, escaped, — when missing', () => {
    expect(render('{{percent production.evaluation.high_edge_hit_rate_5plus}} {{percent production.evaluation.nope}}')).toBe('79.0% —');
    expect(render('{{window production.training_start production.training_end}} = {{production.training_window}}')).toBe(
      '2025-11-02 → 2026-01-08 = 2025-11-02 → 2026-01-08',
    );
    expect(render('{{short production.sha256 8}} {{basename production.gcs_path}}')).toMatch(/^[0-9a-f]{8} catboost_v9_33features_20260201_011018\.cbm$/);
    expect(render('{{#each models}}{{short id 3}}|{{/each}}')).toBe('cat|cat|cat|');
  });

  it('every registered helper is documented with its usage', () => {
    for (const [name, h] of Object.entries(TEMPLATE_HELPERS)) {
      expect(h.usage).toContain(`{{${name} `);
      expect(h.description.length).toBeGreaterThan(10);
    }
  });

  it('comments, inline partials, @index and @root work; the partial sees the item', () => {
    const text = [
      '{{!-- a comment line is dropped --}}',
      '{{#*inline "row"}}',
      '| {{id}} | {{status}} |',
      '{{/inline}}',
      '{{#each models}}',
      '{{> row}}',
      '{{/each}}',
      '{{#each others}}{{@index}}:{{id}}@{{@root.system}}{{/each}}',
    ].join('\n');
    expect(render(text)).toBe(
      [
        '| catboost_v9_2026_02 | untested |',
        '| catboost_v9_33features_20260201_011018 | production |',
        '| catboost_v9_feb_02_retrain | deprecated |',
        '0:catboost_v9_2026_02@catboost_v9',
      ].join('\n'),
    );
  });

  it('{{{triple}}} prints a value unescaped; {{#unless}} works with 0 as a value', () => {
    const r = renderSection({
      ...caseInput('default', 'zeros, whole-number rates, strings and odd values'),
      template: { text: '{{{production.created_by}}} {{production.created_by}} {{#unless production.evaluation.mae}}no mae{{else}}mae {{production.evaluation.mae}}{{/unless}}', file: 't.md' },
    });
    expect(r).toBe('Ana <ana@example.com> Ana &lt;ana@example.com> mae 0');
  });

  const failures: [string, string, string][] = [
    ['an unknown helper', '{{shout production.id}}', 't.md:1: unrecognised tag {{shout production.id}}'],
    ['an unknown field as a helper argument', 'x\n{{percent production.evaluation.mae}}{{percent production.nope}}', 't.md:2: unknown field "production.nope" in {{percent production.nope}}'],
    ['a partial that is not defined', '{{> row}}', 't.md:1: unrecognised tag {{> row}}'],
    ['a parent path', '{{#each models}}{{../system}}{{/each}}', 't.md:1: unknown field "../system" in {{../system}}'],
    ['an unknown field in an unless', '{{#unless production.nope}}x{{/unless}}', 't.md:1: unknown field "production.nope" in {{#unless production.nope}}'],
    ['a block helper that is not supported', '{{#with production}}{{id}}{{/with}}', 't.md:1: unrecognised tag {{#with production}}'],
  ];
  it.each(failures)('TEMPLATE_INVALID: %s', (_name, text, message) => {
    expect(() => render(text)).toThrowError(expect.objectContaining({ code: 'TEMPLATE_INVALID', message, file: 't.md', fix: expect.any(String) }));
  });
});
