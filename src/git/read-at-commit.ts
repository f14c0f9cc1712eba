import { gitBytes } from './git.js';

/**
 * Files as a commit holds them, read from git objects in one `git cat-file --batch` call: what the
 * pre-push hook judges instead of the working tree (uncommitted edits never change its verdict).
 *
 * @param paths repo-relative, `/`-separated
 * @returns each path's bytes, or undefined when the commit has no such file
 */
export async function readAtCommit(root: string, commit: string, paths: string[]): Promise<Map<string, Buffer | undefined>> {
  const files = new Map<string, Buffer | undefined>();
  const unique = [...new Set(paths)].filter((p) => !/[\n\0]/.test(p));
  if (unique.length === 0) return files;
  const out = await gitBytes(root, ['cat-file', '--batch'], unique.map((p) => `${commit}:${p}`).join('\n') + '\n');
  let pos = 0;
  for (const path of unique) {
    const eol = out.indexOf(0x0a, pos);
    if (eol < 0) break;
    const header = out.subarray(pos, eol).toString('utf8');
    const m = /^[0-9a-f]{40,64} (\w+) (\d+)$/.exec(header);
    if (!m) {
      // `<spec> missing` (or ambiguous): nothing follows the header line
      files.set(path, undefined);
      pos = eol + 1;
      continue;
    }
    const size = Number(m[2]);
    files.set(path, m[1] === 'blob' ? out.subarray(eol + 1, eol + 1 + size) : undefined);
    pos = eol + 1 + size + 1;
  }
  return files;
}
