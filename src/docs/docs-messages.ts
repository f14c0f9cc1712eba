import { ModelgovError } from '../errors.js';

/**
 * Every user-facing text of the docs layer, in one place (each message names the fix).
 * Messages start with `file:line:` (1-based line) so editors and terminals can jump to them.
 */

const START = (system: string): string => `<!-- modelgov:start ${system} -->`;
const END = (system: string): string => `<!-- modelgov:end ${system} -->`;

const TOP_LEVEL_FIX =
  'Put each marker on a line of its own at the top level of the document (not inside a list, ' +
  'block quote, table or paragraph), with the generated section between them.';

function markers(file: string, line: number, message: string, fix: string): ModelgovError {
  return new ModelgovError('MARKERS_INVALID', `${file}:${line}: ${message}`, { file, fix });
}

function template(file: string, line: number, message: string, fix: string): ModelgovError {
  return new ModelgovError('TEMPLATE_INVALID', `${file}:${line}: ${message}`, { file, fix });
}

/** Human words for the mdast container a marker was found in. */
export function describeContainer(type: string): string {
  switch (type) {
    case 'blockquote':
      return 'a block quote';
    case 'list':
    case 'listItem':
      return 'a list item';
    case 'paragraph':
      return 'a paragraph (the marker shares its line with text)';
    case 'table':
    case 'tableRow':
    case 'tableCell':
      return 'a table';
    case 'footnoteDefinition':
      return 'a footnote';
    case 'root':
      return 'the top level';
    default:
      return `a ${type} node`;
  }
}

/** Error constructors for the docs layer, keyed by situation. */
export const DOCS_MESSAGES = {
  missingEnd: (file: string, line: number, system: string) =>
    markers(
      file,
      line,
      `start marker for "${system}" has no matching end marker`,
      `Add ${END(system)} on a line of its own after the section, or remove the start marker.`,
    ),
  endWithoutStart: (file: string, line: number, system: string) =>
    markers(
      file,
      line,
      `end marker for "${system}" has no start marker before it`,
      `Add ${START(system)} on a line of its own above the section, or remove the end marker.`,
    ),
  startWhileOpen: (file: string, line: number, system: string, openLine: number) =>
    markers(
      file,
      line,
      `second start marker for "${system}" while the section started at line ${openLine} is still open (missing end marker?)`,
      `Close the section started at line ${openLine} with ${END(system)}, and keep one pair of markers per system.`,
    ),
  duplicate: (file: string, line: number, system: string, firstStart: number, firstEnd: number) =>
    markers(
      file,
      line,
      `duplicate markers for "${system}": a section for it already exists at lines ${firstStart}-${firstEnd}`,
      'Keep one pair of markers per system in a file; delete the other pair and the text between it.',
    ),
  nested: (file: string, line: number, system: string, outer: string, outerLine: number) =>
    markers(
      file,
      line,
      `nested markers: start marker for "${system}" inside the section for "${outer}" started at line ${outerLine}`,
      `Sections cannot nest: close the section for "${outer}" with ${END(outer)} before starting another one.`,
    ),
  mismatchedEnd: (file: string, line: number, system: string, open: string, openLine: number) =>
    markers(
      file,
      line,
      `end marker for "${system}" but the open section is "${open}" (started at line ${openLine})`,
      `End each section with its own system's end marker: ${END(open)}.`,
    ),
  notSiblings: (
    file: string,
    line: number,
    system: string,
    startLine: number,
    startIn: string,
    endIn: string,
  ) =>
    markers(
      file,
      line,
      `start marker (line ${startLine}) and end marker (line ${line}) for "${system}" are not siblings: ` +
        `the start is in ${describeContainer(startIn)}, the end in ${describeContainer(endIn)}`,
      TOP_LEVEL_FIX,
    ),
  notTopLevel: (file: string, line: number, system: string, container: string) =>
    markers(
      file,
      line,
      `markers for "${system}" are inside ${describeContainer(container)}; they must be at the top level of the document`,
      TOP_LEVEL_FIX,
    ),
  sharesBlock: (file: string, line: number, marker: string) =>
    markers(
      file,
      line,
      `marker ${marker} shares its HTML block with other content`,
      'Put the marker comment on a line of its own, with a blank line between it and other HTML.',
    ),
  malformed: (file: string, line: number, comment: string) =>
    markers(
      file,
      line,
      `malformed marker ${comment.replace(/\s+/g, ' ')}`,
      'Write markers as <!-- modelgov:start <system> --> and <!-- modelgov:end <system> -->, ' +
        'where <system> is a system id from modelgov.config.json.',
    ),
  unterminated: (file: string, line: number) =>
    markers(
      file,
      line,
      'marker comment is not closed with -->',
      'Close the comment: <!-- modelgov:start <system> -->.',
    ),
  unknownSystem: (file: string, line: number, system: string, known: string[]) =>
    markers(
      file,
      line,
      `marker for unknown system "${system}" (configured: ${known.length > 0 ? known.join(', ') : 'none'})`,
      `Use a system id from modelgov.config.json in the markers, or add "${system}" to its "systems" ` +
        `with this file in its "docs".`,
    ),

  unknownField: (file: string, line: number, tag: string, path: string) =>
    template(
      file,
      line,
      `unknown field "${path}" in ${tag}`,
      'Use one of the template fields listed in the README (TEMPLATE_FIELDS), e.g. {{production.id}}, ' +
        '{{production.training_window}}, {{production.evaluation.mae}}.',
    ),
  notAList: (file: string, line: number, tag: string, path: string, lists: string[]) =>
    template(
      file,
      line,
      `${tag}: "${path}" is not a list`,
      `{{#each}} works on the lists ${lists.join(', ')}.`,
    ),
  listAsValue: (file: string, line: number, tag: string, path: string) =>
    template(
      file,
      line,
      `${tag}: "${path}" is a list, not a value`,
      `Walk it with {{#each ${path}}}…{{/each}} and print item fields such as {{id}} inside.`,
    ),
  unclosedBlock: (file: string, line: number, tag: string, close: string) =>
    template(file, line, `${tag} is never closed`, `Add ${close} after the block's content.`),
  strayClose: (file: string, line: number, tag: string) =>
    template(file, line, `${tag} has no matching opening tag`, 'Remove it, or add the opening block tag before it.'),
  strayElse: (file: string, line: number) =>
    template(file, line, '{{else}} outside an {{#if …}} block', 'Use {{else}} only between {{#if field}} and {{/if}}.'),
  unclosedTag: (file: string, line: number) =>
    template(file, line, '"{{" is not closed with "}}" on the same line', 'Close the tag: {{field}}.'),
  badTag: (file: string, line: number, tag: string) =>
    template(
      file,
      line,
      `unrecognised tag ${tag}`,
      'Supported: {{field.path}}, {{helper field}} (README: Templates), {{#each list}}…{{/each}}, ' +
        '{{#if field}}…{{else}}…{{/if}}, {{#unless field}}, comments, and inline partials ({{#*inline "name"}}…{{/inline}}, {{> name}}).',
    ),
  renderFailed: (file: string, line: number, message: string) =>
    template(file, line, message, 'Check the fields and helpers the tag uses against the README (Templates).'),
  breaksMarkers: (file: string, system: string, docsFile: string) =>
    new ModelgovError(
      'TEMPLATE_INVALID',
      `${file}: the section rendered for "${system}" would change where the markers in ${docsFile} are found ` +
        '(it opens a code fence or HTML block that is never closed, contains a modelgov marker, or ends with a list ' +
        'that takes in an indented end marker)',
      {
        file,
        fix:
          'Close every code fence and HTML block the template (or a manifest value) opens, write no modelgov ' +
          'markers in it, and end it with a paragraph or table (or do not indent the end marker).',
      },
    ),
  productionMissing: (location: string, id: string) =>
    new ModelgovError('MANIFEST_INVALID', `${location}: production_model "${id}" is not one of its models`, {
      file: location,
      fix: 'Fix production_model in the manifest (or promote a model with `modelgov promote <id>`).',
    }),
  badSystemId: (system: string) =>
    new ModelgovError('USAGE', `"${system}" cannot be used in a modelgov marker`, {
      fix: 'System ids start with a letter or digit and contain only letters, digits, "_", "." and "-".',
    }),
} as const;
