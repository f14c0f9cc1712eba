import { COMMAND_SPECS } from '../src/cli/command-specs.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { templateFieldsMarkdown } from '../scripts/template-fields-md.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README stays true', () => {
  it('documents every docs template field (regenerate with `npx tsx scripts/template-fields-md.ts`)', () => {
    const between = /<!-- template-fields:start -->\n([\s\S]*?)\n<!-- template-fields:end -->/.exec(readme);
    expect(between?.[1]).toBe(templateFieldsMarkdown());
  });

  it('has the two-command quick start', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test ');
  });

  it('lists the same exit codes as --help', () => {
    for (const line of EXIT_CODES_HELP.trim().split('\n').slice(1)) {
      const [, code, text] = /^\s+(\d)\s+(.*)$/.exec(line)!;
      expect(readme).toContain(`| ${code} | ${text} |`);
    }
  });

  it('documents every command of the CLI', async () => {
    const commands = Object.keys(COMMAND_SPECS);
    expect(commands.length).toBeGreaterThan(10);
    for (const c of commands) expect(readme).toContain(`\`${c.split(' ')[0]}`);
  });
});
