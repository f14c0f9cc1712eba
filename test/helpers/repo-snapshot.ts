import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runGit } from './example.js';

/** Every file outside .git (bytes and mode), git's hooks directory, and the repo's local git config. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, skipGit: boolean) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (skipGit && e.name === '.git') continue;
      if (e.isDirectory()) walk(p, skipGit);
      else out[relative(dir, p)] = `${(statSync(p).mode & 0o777).toString(8)} ${readFileSync(p).toString('base64')}`;
    }
  };
  walk(dir, true);
  walk(join(dir, '.git', 'hooks'), false);
  out['<git config>'] = spawnSync('git', ['config', '--local', '--list'], { cwd: dir, encoding: 'utf8' }).stdout;
  return out;
}

/** A new empty git repository (branch main, fixed user) in a temp dir. */
export function newRepo(name: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'modelgov-init-')), name);
  mkdirSync(dir);
  runGit(dir, 'init', '-q', '-b', 'main');
  runGit(dir, 'config', 'user.name', 'modelgov test');
  runGit(dir, 'config', 'user.email', 'test@modelgov.example');
  return dir;
}
