import { percent } from '../util/format-metric.js';

/**
 * Helpers a docs template can call, besides Handlebars' own (`if`, `unless`, `each`, `with`,
 * `lookup`, …). A helper's result is escaped for inline markdown like any value; a missing value
 * prints `—`. Adding one is one entry here (and a line in the README's helper list).
 */
export interface TemplateHelper {
  /** How it is called, for the README and error messages. */
  usage: string;
  description: string;
  fn: (...args: unknown[]) => unknown;
}

const text = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));

export const TEMPLATE_HELPERS: Readonly<Record<string, TemplateHelper>> = {
  percent: {
    usage: '{{percent production.evaluation.<metric>}}',
    description: 'A rate stored as a percentage, with at least one decimal and never rounded (79 → 79.0%), as hit_rate_3plus prints.',
    fn: (value) => percent(value),
  },
  window: {
    usage: '{{window training_start training_end}}',
    description: 'Two days as a window (2025-11-02 → 2026-01-08), as training_window prints.',
    fn: (start, end) => (text(start) === undefined && text(end) === undefined ? undefined : `${String(start)} → ${String(end)}`),
  },
  short: {
    usage: '{{short production.sha256}} or {{short production.sha256 8}}',
    description: 'The first 12 (or N) characters, as sha256_short prints.',
    fn: (value, length) => text(value)?.slice(0, typeof length === 'number' ? length : 12),
  },
  basename: {
    usage: '{{basename production.gcs_path}}',
    description: 'The last path segment, as file_name prints.',
    fn: (value) => {
      const t = text(value);
      return t?.slice(t.lastIndexOf('/') + 1);
    },
  },
};
