import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ModelgovError } from '../../errors.js';
import { packageRoot } from '../../util/package-root.js';
import type { InitStep } from './init-context.js';

/** modelgov's own package.json. */
export function ownPackage(): Record<string, any> {
  return JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8'));
}

export const HOOK_TOOLS = ['modelgov', 'husky'] as const;
export type HookTool = (typeof HOOK_TOOLS)[number];

/** The versions init writes into a repo's devDependencies: what this package itself pins. */
export function pinnedToolVersions(): Record<HookTool, string> {
  const pkg = ownPackage();
  return {
    modelgov: pkg.version,
    husky: pkg.devDependencies?.husky ?? pkg.dependencies?.husky ?? '9.1.7',
  };
}

/** A directory name as a system id: lowercase letters, digits and underscores, starting with a letter or digit. */
export function sanitizeSystemId(name: string): string {
  const id = name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  return id || 'model';
}

export function eolOf(text: string): string {
  return /\r\n|\n|\r/.exec(text)?.[0] ?? '\n';
}

/** Serialises JSON the way the file was written: its indent, its line ending, a final newline. */
export function jsonLike(original: string | undefined, value: unknown): string {
  const indentMatch = original === undefined ? undefined : /^([ \t]+)"/m.exec(original);
  const indent = indentMatch ? indentMatch[1] : 2;
  const eol = original === undefined ? '\n' : eolOf(original);
  const text = JSON.stringify(value, null, indent) + '\n';
  return eol === '\n' ? text : text.replace(/\n/g, eol);
}

export function parseJsonFile(file: string, text: string): Record<string, any> {
  try {
    const value = JSON.parse(text.replace(/^\uFEFF/, ''));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch {
    // reported below
  }
  throw new ModelgovError('CONFIG_INVALID', `${file} is not a JSON object; init changed nothing`, { file, fix: `Fix the JSON in ${file} and run \`modelgov init\` again.` });
}

/**
 * The repository's package.json as init edits it: read once (planned content first), changed in
 * memory by the manager steps, planned for writing by `save`. A Python repo without one gets a
 * minimal private package.json, only when a route needs npm (husky, lefthook, simple-git-hooks).
 */
export class PackageJson {
  readonly file: string;
  readonly original: string | undefined;
  readonly value: Record<string, any>;
  readonly changes: string[] = [];

  constructor(private readonly step: InitStep) {
    this.file = join(step.root, 'package.json');
    this.original = step.pending.read(this.file);
    this.value = this.original === undefined ? { name: sanitizeSystemId(basename(step.root)).replace(/_/g, '-'), version: '0.0.0', private: true } : parseJsonFile('package.json', this.original);
  }

  get created(): boolean {
    return this.original === undefined;
  }

  /** Adds the tools as devDependencies, pinned to what this modelgov uses, when absent. */
  ensureDevDependencies(tools: readonly HookTool[]): void {
    const versions = pinnedToolVersions();
    for (const tool of tools) {
      if (this.value.devDependencies?.[tool] === undefined && this.value.dependencies?.[tool] === undefined) {
        this.value.devDependencies = { ...(this.value.devDependencies ?? {}), [tool]: versions[tool] };
        this.changes.push(`devDependencies.${tool}`);
      }
    }
  }

  save(): void {
    if (this.original !== undefined && this.changes.length === 0) {
      this.step.unchanged('package.json');
      return;
    }
    this.step.pending.write(this.file, jsonLike(this.original, this.value));
    this.step.changed(this.created ? `package.json (private, for the hook tools: ${this.changes.join(', ')})` : `package.json (${this.changes.join(', ')})`);
  }
}
