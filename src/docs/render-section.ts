import type { Manifest } from '../manifest/types.js';
import type { HistoryEvent } from '../ports.js';
import { buildTemplateContext } from './build-template-context.js';
import { DEFAULT_TEMPLATE } from './default-template.js';
import { renderTemplate } from './render-template.js';

/** What one generated section is made from. */
export interface SectionInput {
  /** System id, as in the markers and modelgov.config.json. */
  system: string;
  manifest: Manifest;
  /** Manifest location as configured, shown in the generated comment. */
  manifestLocation: string;
  /** A repo's own template (see TEMPLATE_FIELDS); DEFAULT_TEMPLATE when absent. */
  template?: { text: string; file: string };
  /** Extra statuses the config declares: a model whose status means retired is not listed among the others. */
  statuses?: Readonly<Record<string, string>>;
  /** History events of the system; the timeline draws production periods from its promotions. */
  events?: readonly HistoryEvent[];
}

/** Name used in error messages about the built-in template. */
export const DEFAULT_TEMPLATE_FILE = '<modelgov default template>';

/**
 * Renders the generated section of one system: LF line endings only, no leading or trailing
 * line break, no trailing whitespace. Deterministic: no clock, no locale, models sorted by id.
 *
 * @throws ModelgovError('TEMPLATE_INVALID') for a template error, naming template file and line.
 * @throws ModelgovError('MANIFEST_INVALID') when production_model is not among the models.
 */
export function renderSection(input: SectionInput): string {
  const context = buildTemplateContext(input.system, input.manifest, input.manifestLocation, input.events, input.statuses);
  const template = input.template ?? { text: DEFAULT_TEMPLATE, file: DEFAULT_TEMPLATE_FILE };
  return renderTemplate(template.text, context, template.file)
    .replace(/\r\n?/g, '\n')
    .replace(/^\n+/, '')
    .replace(/\s+$/, '');
}
