// Prototype of the proposed `modelgov lint-names --stdin`: one process reads newline-separated
// paths from stdin and runs the bundled lintNames on them with the repo's config and manifest
// (plain JSON, no validation). Prints `checked ignored violations`; exit 1 on violations. Used by
// the lint-names figure to show what one process costs for 100,000 paths.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, configFile] = process.argv.slice(2);
const dir = join(root, 'dist', 'chunks');
const chunk = readdirSync(dir).find((f) => f.endsWith('.js') && /export\s*{[^}]*\blintNames\b/.test(readFileSync(join(dir, f), 'utf8')));
if (!chunk) {
  process.stderr.write('no dist chunk exports lintNames\n');
  process.exit(2);
}
const { lintNames } = await import(pathToFileURL(join(dir, chunk)).href);
const config = JSON.parse(readFileSync(configFile, 'utf8'));
const manifests = new Map(config.systems.map((s) => [s.id, JSON.parse(readFileSync(join(configFile, '..', s.manifest), 'utf8'))]));
const paths = readFileSync(0, 'utf8').split('\n').filter(Boolean);
const result = lintNames(paths, { systems: config.systems, manifests });
const lines = result.violations.map((v) => `${v.path}: ${v.reason}${v.expected ? `\n  correct name: ${v.expected}` : ''}`);
process.stdout.write(lines.join('\n') + `\n${result.checked} ${result.ignored} ${result.violations.length}\n`);
process.exitCode = result.violations.length ? 1 : 0;
