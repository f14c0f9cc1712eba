/**
 * The one quoting function for every command modelgov prints for a user to paste (the gcloud
 * fixes of `drift` and `promote`, the git commands in findings). Values come from the manifest,
 * the config and the service, so they are data: each is quoted for POSIX sh, never trusted.
 */

/** Characters that never need quoting in a POSIX sh word (no globbing, expansion or splitting). */
const PLAIN = /^[A-Za-z0-9_\-.,:/@%+=]+$/;

/**
 * `value` as one POSIX sh word: unchanged when it is plainly safe, else in single quotes with
 * each `'` written as `'\''` (inside single quotes sh expands nothing: `$(…)`, backticks, `"`,
 * `;` and newlines stay literal). The empty string is `''`.
 */
export function shq(value: string): string {
  if (value !== '' && PLAIN.test(value) && !value.startsWith('=')) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Words quoted and joined with spaces: `shCommand(['git', 'log', sha])`. */
export function shCommand(words: readonly string[]): string {
  return words.map(shq).join(' ');
}
