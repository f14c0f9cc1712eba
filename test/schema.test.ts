import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILES } from '../scripts/gen-schema.js';

describe('shipped JSON Schema files', () => {
  for (const [file, schema] of Object.entries(SCHEMA_FILES)) {
    it(`${file} matches the schema in src (run \`npm run schema\` if this fails)`, () => {
      const shipped = JSON.parse(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8'));
      expect(shipped).toEqual(JSON.parse(JSON.stringify(schema)));
    });
  }
});
