import { describe, expect, it } from 'vitest';
import { hasModelExtension, modelExtensions } from '../../src/config/model-extensions.js';
import { stagedModelFiles } from '../../src/hooks/staged-model-files.js';
import type { SystemConfig } from '../../src/config/types.js';

// The one filter behind `hook pre-commit` and `lint-names` without paths: if it widened or
// narrowed, both would judge the wrong files while their end-to-end tests could still pass.
describe('stagedModelFiles', () => {
  const systems: SystemConfig[] = [
    { id: 'a', manifest: 'a.json' }, // no extensions configured: .cbm
    { id: 'b', manifest: 'b.json', artifacts: { extensions: ['ONNX', ''] } }, // no dot, any case, empty ignored
  ];

  it('normalises the configured extensions (dot, lower case, default .cbm)', () => {
    expect(modelExtensions(systems).sort()).toEqual(['.cbm', '.onnx']);
    expect(modelExtensions([{ id: 'c', manifest: 'c.json', artifacts: { extensions: [] } }])).toEqual(['.cbm']);
  });

  it('keeps added, modified and type-changed files with a model extension, in any case; drops the rest', () => {
    const changes = [
      { status: 'A', path: 'models/x.cbm' },
      { status: 'M', path: 'models/Y.CBM' },
      { status: 'T', path: 'm.onnx' },
      { status: 'D', path: 'deleted.cbm' },
      { status: 'U', path: 'conflicted.cbm' },
      { status: 'A', path: 'notes.txt' },
      { status: 'A', path: 'dir.cbm/readme.md' },
      { status: 'A', path: 'models/.cbm' }, // only the extension: not a model file
    ];
    expect(stagedModelFiles(changes, systems)).toEqual(['models/x.cbm', 'models/Y.CBM', 'm.onnx']);
    expect(stagedModelFiles(changes, [systems[0]])).toEqual(['models/x.cbm', 'models/Y.CBM']);
  });

  it('looks at the basename only', () => {
    expect(hasModelExtension('a.cbm/b', ['.cbm'])).toBe(false);
    expect(hasModelExtension('a/b.cbm', ['.cbm'])).toBe(true);
  });
});
