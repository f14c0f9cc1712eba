/**
 * The docs layer: find modelgov markers in markdown, render the generated section of a system
 * from its manifest, splice it into the original text by offset, and diff the result. Pure: no
 * file IO, no clock; unified/remark load lazily on the first document that mentions `modelgov:`.
 */
export { findMarkers, type MarkerPair } from './find-markers.js';
export { renderSection, DEFAULT_TEMPLATE_FILE, type SectionInput } from './render-section.js';
export { updateDocs, type DocsUpdate } from './update-docs.js';
export { docsDiff } from './docs-diff.js';
export { markerBlock, MARKER_HINT } from './marker-block.js';
export { DEFAULT_TEMPLATE } from './default-template.js';
export { TEMPLATE_FIELDS, MODEL_FIELDS, LIST_FIELDS, type TemplateField } from './template-fields.js';
export { renderTemplate, compileTemplate } from './render-template.js';
export { TEMPLATE_HELPERS, type TemplateHelper } from './template-helpers.js';
export { buildTemplateContext, type TemplateContext, type ModelView } from './build-template-context.js';
