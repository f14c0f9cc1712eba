// Writes the shipped JSON Schema files from the schemas in src (the single source of truth).
// test/schema.test.ts fails when they are out of date: run `npm run schema`.
import { writeFileSync } from 'node:fs';
import { CONFIG_SCHEMA } from '../src/config/schema.js';
import { MANIFEST_SCHEMA } from '../src/manifest/schema.js';

export const SCHEMA_FILES = { 'schema/manifest.schema.json': MANIFEST_SCHEMA, 'schema/config.schema.json': CONFIG_SCHEMA };

if (process.argv[1]?.endsWith('gen-schema.ts')) {
  for (const [file, schema] of Object.entries(SCHEMA_FILES)) {
    writeFileSync(new URL(`../${file}`, import.meta.url), JSON.stringify(schema, null, 2) + '\n');
    console.log(`wrote ${file}`);
  }
}
