import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TEMPLATE, MODEL_FIELDS, type SectionInput } from '../../src/docs/index.js';
import type { Manifest } from '../../src/manifest/types.js';
import { EXAMPLE_DIR, EXAMPLE_MANIFEST, PROD_ID } from '../helpers/example.js';

/**
 * The cases of the byte-identity test (test/libraries/handlebars-templates.test.ts): every
 * template × every manifest. test/libraries/fixtures/template-golden.json holds what the
 * hand-written template engine rendered for each (written once, before the move to
 * Handlebars, by `npx tsx test/libraries/template-cases.ts --write`).
 */
const example = (): Manifest => JSON.parse(readFileSync(join(EXAMPLE_DIR, EXAMPLE_MANIFEST), 'utf8'));
const custom = readFileSync(new URL('../docs/fixtures/custom-template/template.md', import.meta.url), 'utf8');

/** Every field, in and out of `{{#each}}`, ifs with else, a CRLF template with a BOM. */
const everyField = [
  '{{generated_comment}}',
  '{{system}} {{manifest_location}}',
  ...MODEL_FIELDS.map((f) => `${f.name}={{production.${f.name.replace('<metric>', 'mae')}}}`),
  '{{#each models}}',
  `- ${MODEL_FIELDS.map((f) => `{{${f.name.replace('<metric>', 'vegas_bias')}}}`).join(' | ')} @{{system}}`,
  '  {{#if production_since}}',
  '  since {{production_since}}',
  '  {{else}}',
  '  never production',
  '  {{/if}}',
  '{{/each}}',
  'inline: {{#if others}}[{{#each others}}{{id}};{{/each}}]{{else}}none{{/if}} {{#if production.evaluation.vegas_bias}}bias{{/if}}',
  '{{production.evaluation.constructor}} {{production.evaluation.auc}} {{ production.id }}',
  '',
].join('\n');

export const TEMPLATES: Record<string, string> = {
  default: DEFAULT_TEMPLATE,
  'docs fixture custom-template': custom,
  'every field': everyField,
  'every field, CRLF with a BOM': '\uFEFF' + everyField.replace(/\n/g, '\r\n'),
};

export const MANIFESTS: Record<string, () => Manifest> = {
  'the example': example,
  'no sha256, no production_since, no note, no others': () => {
    const m = example();
    m.models[PROD_ID].sha256 = null;
    m.models[PROD_ID].production_since = null;
    delete m.models[PROD_ID].evaluation!.note;
    for (const id of Object.keys(m.models)) if (id !== PROD_ID) m.models[id].status = 'archived';
    return m;
  },
  'zeros, whole-number rates, strings and odd values': () => {
    const m = example();
    m.models[PROD_ID].evaluation = {
      high_edge_hit_rate_3plus: 60,
      high_edge_hit_rate_5plus: '71.5',
      vegas_bias: 0,
      mae: 0,
      graded_edge_3plus: 212,
      note: 'a | b\n```\n<!-- modelgov:end catboost_v9 --> <div> 3 < 5 **bold** _x_ `code`',
    };
    m.models[PROD_ID].feature_count = 0;
    (m.models[PROD_ID] as any).model_type = null;
    m.models[PROD_ID].created_by = 'Ana <ana@example.com>';
    m.models.zz_shadow = { ...m.models.catboost_v9_2026_02, status: 'shadow', deprecation_reason: 'x|y' };
    return m;
  },
};

export function caseInput(template: string, manifest: string): SectionInput {
  return {
    system: 'catboost_v9',
    manifest: MANIFESTS[manifest](),
    manifestLocation: 'models/catboost_v9/manifest.json',
    template: { text: TEMPLATES[template], file: `${template}.md` },
  };
}

export const GOLDEN = new URL('./fixtures/template-golden.json', import.meta.url);

if (process.argv.includes('--write')) {
  const { writeFileSync } = await import('node:fs');
  const { renderSection } = await import('../../src/docs/index.js');
  const out: Record<string, string> = {};
  for (const t of Object.keys(TEMPLATES)) for (const m of Object.keys(MANIFESTS)) out[`${t} × ${m}`] = renderSection(caseInput(t, m));
  writeFileSync(GOLDEN, JSON.stringify(out, null, 2) + '\n');
  console.log(`wrote ${Object.keys(out).length} cases`);
}
