import type { SystemConfig } from './types.js';

/** Docs files of the given systems, each with the ids of the systems that list it (a file may serve several). */
export function docsFiles(systems: SystemConfig[]): Map<string, string[]> {
  const files = new Map<string, string[]>();
  for (const s of systems) for (const f of s.docs ?? []) files.set(f, [...(files.get(f) ?? []), s.id]);
  return files;
}
