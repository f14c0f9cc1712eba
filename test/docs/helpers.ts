import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SectionInput } from '../../src/docs/index.js';
import type { Manifest } from '../../src/manifest/types.js';

export const HERE = fileURLToPath(new URL('.', import.meta.url));
export const FIXTURES = join(HERE, 'fixtures');
export const CORPUS = join(HERE, 'corpus');
export const SYSTEM = 'catboost_v9';
export const MANIFEST_LOCATION = 'models/catboost_v9/manifest.json';

/** Reads a file as a JS string; Node keeps a leading BOM and every \r. */
export function read(path: string): string {
  return readFileSync(path, 'utf8');
}

export function loadManifest(name = 'manifest.json'): Manifest {
  return JSON.parse(read(join(FIXTURES, name))) as Manifest;
}

/** The real case: catboost_v9 with its production model and two other models. */
export function realInput(overrides: Partial<SectionInput> = {}): SectionInput {
  return { system: SYSTEM, manifest: loadManifest(), manifestLocation: MANIFEST_LOCATION, ...overrides };
}

export function sectionsOf(...inputs: SectionInput[]): Map<string, SectionInput> {
  return new Map(inputs.map((input) => [input.system, input]));
}

/** `case.json` of a fixture directory: which systems, manifests and templates it uses. */
export interface CaseConfig {
  systems?: { id: string; manifest?: string; location?: string; template?: string }[];
  expect?: { hasMarkers?: boolean; systems?: string[] };
}

export function sectionsForCase(dir: string, config: CaseConfig): Map<string, SectionInput> {
  const systems = config.systems ?? [{ id: SYSTEM }];
  return sectionsOf(
    ...systems.map((s) => ({
      system: s.id,
      manifest: loadManifest(s.manifest ?? 'manifest.json'),
      manifestLocation: s.location ?? MANIFEST_LOCATION,
      template: s.template === undefined ? undefined : { text: read(join(dir, s.template)), file: s.template },
    })),
  );
}

/** Every line ending of a text, in order. */
export function lineEndings(text: string): string[] {
  return text.match(/\r\n|\r|\n/g) ?? [];
}
