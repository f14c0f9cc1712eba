/**
 * How a metric reads to people, the same in the docs section, the CLI tables and the report.
 * Hit rates are stored as percentages (71.2): whole numbers keep one decimal (JSON `79.0`
 * parses as 79 and should still read 79.0%); other values print exactly as stored, never rounded.
 */
export function percent(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return `${Number.isInteger(value) ? value.toFixed(1) : String(value)}%`;
  }
  if (typeof value === 'string' && value !== '') return value.endsWith('%') ? value : `${value}%`;
  return undefined;
}

/** Metrics whose values are percentages, by the manifest's and the registry's key names. */
const PERCENT_KEY = /hit_rate/;

/** Absent in every display: no value, null or the empty string. */
export function isAbsent(value: unknown): value is null | undefined | '' {
  return value === null || value === undefined || value === '';
}

/**
 * Any value as text for people, the same in the CLI, the docs section and the report: `—` when
 * absent, objects and arrays as JSON, everything else as JavaScript prints it.
 */
export function formatValue(value: unknown): string {
  if (isAbsent(value)) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A metric value for a table cell or a line of text: a percentage by its key, `—` when absent. */
export function formatMetric(key: string, value: unknown): string {
  if (!isAbsent(value) && PERCENT_KEY.test(key)) return percent(value) ?? String(value);
  return formatValue(value);
}
