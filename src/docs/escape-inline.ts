/**
 * Makes a manifest value safe to print inside a markdown line or table cell: line breaks become
 * spaces (a value never adds lines), `|` is escaped (it would split a table cell) and a `<` that
 * could open HTML (`<!--`, `<div`, `</x`, `<?`) becomes `&lt;` so that no value can start a
 * comment, HTML block or marker. Everything else, markdown emphasis included, is kept.
 */
export function escapeInline(value: string): string {
  return value
    .replace(/\r\n?|\n/g, ' ')
    .replace(/\|/g, '\\|')
    .replace(/<(?=[A-Za-z/!?])/g, '&lt;');
}
