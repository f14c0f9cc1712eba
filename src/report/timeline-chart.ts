import { addDays, type Timeline } from '../timeline/build-timeline.js';

/** One bar of the chart: a training window or a production period of one model. */
export interface ChartBar {
  model: string;
  kind: 'training' | 'training (retired)' | 'production';
  /** First day, YYYY-MM-DD. */
  start: string;
  /** Day after the last (exclusive), YYYY-MM-DD. */
  end: string;
  /** What a screen reader says and the SVG's aria-label holds: `training <id>: <start> → <last day>`. */
  label: string;
}

/** The bars of a timeline, row by row (newest model first), training bar before production bars. */
export function chartBars(timeline: Timeline): ChartBar[] {
  const bars: ChartBar[] = [];
  for (const row of timeline.rows) {
    bars.push({
      model: row.id,
      kind: row.retired ? 'training (retired)' : 'training',
      start: row.training.start,
      end: addDays(row.training.end, 1),
      label: `training ${row.id}: ${row.training.start} → ${row.training.end}`,
    });
    for (const p of row.periods) {
      const end = p.end ?? timeline.horizon;
      bars.push({
        model: row.id,
        kind: 'production',
        start: p.start,
        end,
        label: `production ${row.id}: ${p.start} → ${p.end === null ? 'serving' : addDays(p.end, -1)}`,
      });
    }
  }
  return bars;
}

/**
 * The chart as a Vega-Lite spec: a bar per training window and per production period, one row
 * per model in the timeline's order, on a UTC day axis (no local time zone, so every machine
 * draws the same picture). Two named layers, so the SVG groups read `training_marks` and
 * `production_marks`.
 */
export function timelineSpec(bars: ChartBar[]): Record<string, unknown> {
  const y = { field: 'model', type: 'nominal', sort: null, title: null, axis: { labelLimit: 360 } };
  const x = { field: 'start', type: 'temporal', scale: { type: 'utc' }, title: null, axis: { format: '%Y-%m-%d', labelAngle: 0, grid: true } };
  const color = {
    field: 'kind',
    type: 'nominal',
    title: null,
    scale: { domain: ['training', 'training (retired)', 'production'], range: ['#4c78a8', '#bab0ac', '#e45756'] },
    legend: { orient: 'top' },
  };
  const encoding = { y, x, x2: { field: 'end' }, color, description: { field: 'label' } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 900,
    height: { step: 22 },
    background: 'white',
    data: { values: bars },
    layer: [
      { name: 'training', transform: [{ filter: "datum.kind !== 'production'" }], mark: { type: 'bar', height: 14 }, encoding },
      { name: 'production', transform: [{ filter: "datum.kind === 'production'" }], mark: { type: 'bar', height: 8 }, encoding },
    ],
    config: { font: 'sans-serif', view: { stroke: null } },
  };
}

/**
 * Renders the timeline as SVG text with Vega-Lite and Vega, headless (no canvas, no DOM, no
 * network). Both are imported here, on first use, so only `modelgov report` loads them.
 */
export async function renderTimelineSvg(timeline: Timeline): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile(timelineSpec(chartBars(timeline)) as never).spec;
  // A loader that refuses every URL: the spec carries its data inline and must never fetch.
  const loader = vega.loader();
  loader.load = async (uri: string) => {
    throw new Error(`modelgov report does not load ${uri}`);
  };
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
