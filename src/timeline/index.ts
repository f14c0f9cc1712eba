/**
 * Model timelines: which model was trained on which window and served when. Pure: the docs
 * layer prints it as a Mermaid gantt block (`{{timeline}}`), `modelgov report` draws it as SVG.
 */
export { buildTimeline, productionPeriods, addDays, DEFAULT_TIMELINE_LIMIT, DRAW_AHEAD_DAYS, type Timeline, type TimelineRow, type ProductionPeriod, type TimelineOptions } from './build-timeline.js';
export { timelineMermaid, ganttText } from './mermaid-gantt.js';
