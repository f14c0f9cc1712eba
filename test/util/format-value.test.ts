import { describe, expect, it } from 'vitest';
import type { ReportData } from '../../src/app/report.js';
import { renderReportHtml } from '../../src/report/render-html.js';
import { formatMetric, formatValue } from '../../src/util/format-metric.js';

/** One way a value reads to people: the CLI tables, the docs section and the HTML report agree. */
describe('values read the same everywhere', () => {
  it('formats absent values, objects and hit rates one way', () => {
    expect([undefined, null, ''].map(formatValue)).toEqual(['—', '—', '—']);
    expect(formatValue({ a: 1 })).toBe('{"a":1}');
    expect(formatValue(0)).toBe('0');
    expect(formatMetric('evaluation_hit_rate_edge_3plus', 79)).toBe('79.0%');
    expect(formatMetric('mae', 4.12)).toBe('4.12');
  });

  it('the report prints a whole-number hit rate as 79.0%, as the CLI does, and objects as JSON', () => {
    const data = {
      config: 'modelgov.config.json',
      systems: [
        {
          id: 'sys',
          manifest: 'manifest.json',
          production: 'm1',
          timeline: { bars: [], omitted: 0 },
          promotions: [],
          models: [
            {
              id: 'm1',
              status: 'production',
              training: { start: '2025-11-02', end: '2026-01-08' },
              production_since: null,
              production_end_date: null,
              evaluation: { hit_rate_3plus: 79, mae: 4.1, notes: { a: 1 } },
              gates: [],
            },
          ],
        },
      ],
      drift: { findings: [], unreachable: [], checked: [] },
      unreachable: [],
    } as unknown as ReportData;
    const html = renderReportHtml(data, new Map(), { generatedAt: '2026-11-29T00:00:00Z' });
    expect(html).toContain('<td>79.0%</td>');
    expect(html).toContain('<td>4.1</td>');
    expect(html).not.toContain('[object Object]');
  });
});
