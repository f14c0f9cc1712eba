import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ModelgovError } from '../../errors.js';
import type { InitStep } from './init-context.js';
import { eolOf } from './package-json.js';

export interface DocsMarkerOptions {
  /** `--docs`: a docs file init may create. */
  docs?: string;
  /** `--docs-heading`: the heading whose section gets the markers. */
  docsHeading?: string;
}

/**
 * Adds each system's marker pair to its docs files. The markers go at the end of the section
 * under the heading that already is about the system (or about models) — `--docs-heading`
 * chooses another — and only a file without such a heading gets a new `## ML Model - <id>`
 * heading at its end. Every byte outside the inserted lines stays (BOM, CRLF).
 */
export async function planDocsMarkers(step: InitStep, opts: DocsMarkerOptions): Promise<void> {
  const { findMarkers, markerBlock, findHeadings, matchHeading } = await import('../../docs/index.js');
  const wanted = opts.docsHeading?.replace(/^\s*#+\s*/, '').trim().toLowerCase();
  for (const s of step.loaded.config.systems) {
    for (const docsFile of s.docs ?? []) {
      const abs = resolve(step.loaded.root, docsFile);
      let text = step.pending.read(abs);
      if (text === undefined && docsFile !== opts.docs) {
        step.note(`${docsFile} (docs of ${s.id}) does not exist; create it, or run \`modelgov init --docs ${docsFile}\`.`);
        continue;
      }
      const raw = existsSync(abs) ? readFileSync(abs) : undefined;
      if (raw && !Buffer.from(raw.toString('utf8'), 'utf8').equals(raw)) {
        step.note(`${docsFile} is not valid UTF-8; add the markers for ${s.id} by hand.`);
        continue;
      }
      text ??= '';
      if ((await findMarkers(text, docsFile)).some((p) => p.system === s.id)) {
        step.unchanged(`${docsFile} (markers of ${s.id})`);
        continue;
      }
      const eol = eolOf(text);
      const headings = await findHeadings(text);
      const target = wanted === undefined ? matchHeading(headings, s.id) : headings.find((h) => h.text.toLowerCase() === wanted);
      if (wanted !== undefined && !target) {
        throw new ModelgovError('USAGE', `${docsFile} has no heading "${opts.docsHeading}"; init changed nothing`, {
          file: abs,
          fix: headings.length > 0 ? `Pass one of its headings to --docs-heading: ${headings.map((h) => JSON.stringify(h.text)).join(', ')}.` : `${docsFile} has no headings; run init without --docs-heading to add one.`,
        });
      }
      if (target) {
        const before = text.slice(0, target.sectionEnd);
        const after = text.slice(target.sectionEnd);
        const lead = before.endsWith(eol + eol) ? '' : before.endsWith(eol) ? eol : eol + eol;
        step.pending.write(abs, before + lead + markerBlock(s.id, eol) + (after ? eol : '') + after);
        step.changed(`${docsFile} (markers of ${s.id} at the end of the section "${target.text}", line ${target.line}${wanted === undefined ? '; --docs-heading picks another' : ''})`);
      } else {
        const body = text.replace(/^\uFEFF/, '');
        const sep = body.length === 0 ? '' : /(\r\n|\n|\r)$/.test(text) ? eol : eol + eol;
        step.pending.write(abs, text + sep + `## ML Model - ${s.id}` + eol + markerBlock(s.id, eol));
        step.changed(`${docsFile} (markers of ${s.id} appended under "## ML Model - ${s.id}")`);
      }
      step.note(`run \`modelgov docs\` to generate the ${s.id} section in ${docsFile}.`);
    }
  }
}
