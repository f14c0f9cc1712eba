// Renders the docs template fields as the markdown table the README shows between
// <!-- template-fields:start --> and <!-- template-fields:end -->; test/readme.test.ts keeps them equal.
import { MODEL_FIELDS, TEMPLATE_FIELDS } from '../src/docs/index.js';

export function templateFieldsMarkdown(): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const rows = TEMPLATE_FIELDS.filter((f) => !f.name.startsWith('production.')).map((f) => `| \`${f.name}\` | ${esc(f.description)} |`);
  const model = MODEL_FIELDS.map((f) => `| \`${f.name}\` | ${esc(f.description)} |`);
  return [
    'Top-level fields:',
    '',
    '| field | value |',
    '| --- | --- |',
    ...rows,
    '',
    'Model fields — as `production.<field>` anywhere, and bare inside `{{#each models}}` / `{{#each others}}`:',
    '',
    '| field | value |',
    '| --- | --- |',
    ...model,
  ].join('\n');
}

if (process.argv[1]?.endsWith('template-fields-md.ts')) console.log(templateFieldsMarkdown());
