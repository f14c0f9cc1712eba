import { describe, expect, it } from 'vitest';
import { stagedModelFiles } from '../../src/hooks/staged-model-files.js';
import { hasModelExtension, loadModelFiles, modelExtensions } from '../../src/config/model-files.js';
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

  it('keeps added, modified and type-changed files with a model extension, in any case; drops the rest', async () => {
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
    expect(stagedModelFiles(changes, await loadModelFiles(systems))).toEqual(['models/x.cbm', 'models/Y.CBM', 'm.onnx']);
    expect(stagedModelFiles(changes, await loadModelFiles([systems[0]]))).toEqual(['models/x.cbm', 'models/Y.CBM']);
  });

  it('with include globs only matching paths are model files: requirements.txt is not a LightGBM model', async () => {
    const lgbm: SystemConfig = { id: 'lgbm_v1', manifest: 'l.json', artifacts: { include: ['models/lgbm/**/*.txt'] } };
    const files = await loadModelFiles([systems[0], lgbm]);
    const changes = [
      { status: 'A', path: 'requirements.txt' },
      { status: 'A', path: 'models/lgbm/v1/lgbm_v1_40f_train20251102-20260108_20260205_120000.txt' },
      { status: 'A', path: 'models/lgbm/notes/readme.md' },
      { status: 'A', path: 'models/x.cbm' },
    ];
    expect(stagedModelFiles(changes, files)).toEqual(['models/lgbm/v1/lgbm_v1_40f_train20251102-20260108_20260205_120000.txt', 'models/x.cbm']);
    expect(files.systemsOf('models/lgbm/a/b.txt')).toEqual(['lgbm_v1']);
    expect(files.systemsOf('models\\lgbm\\a.txt')).toEqual(['lgbm_v1']);
    // A config in a subdirectory: globs are relative to it.
    expect(stagedModelFiles([{ status: 'A', path: 'ml/models/lgbm/a.txt' }, { status: 'A', path: 'models/lgbm/a.txt' }], files, 'ml')).toEqual(['ml/models/lgbm/a.txt']);
    // include + extensions: both must hold; the extensions a glob implies name the files.
    const both = await loadModelFiles([{ id: 'x', manifest: 'x.json', artifacts: { include: ['models/**'], extensions: ['.bin'] } }]);
    expect([both.isModelFile('models/a.bin'), both.isModelFile('models/a.txt'), both.isModelFile('other/a.bin')]).toEqual([true, false, false]);
    expect(modelExtensions([lgbm])).toEqual(['.txt']);
    // Built for the staged paths only (the hook's way): still right for those paths.
    const hinted = await loadModelFiles([systems[0], lgbm], { only: changes.map((c) => c.path) });
    expect(stagedModelFiles(changes, hinted)).toEqual(stagedModelFiles(changes, files));
    const noTxt = await loadModelFiles([systems[0], lgbm], { only: ['models/x.cbm'] });
    expect(noTxt.systemsOf('models/x.cbm')).toEqual(['a']);
  });

  it('looks at the basename only', () => {
    expect(hasModelExtension('a.cbm/b', ['.cbm'])).toBe(false);
    expect(hasModelExtension('a/b.cbm', ['.cbm'])).toBe(true);
  });
});
