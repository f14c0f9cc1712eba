import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLE_MANIFEST, exampleManifest, runGit } from '../helpers/example.js';

export const GOOD = 'catboost_v9_33f_train20251102-20260205_20260211_090000';

/** Adds a model that passes every gate (own window, better MAE) and writes the manifest with 4-space indent and no final newline. */
export function addGoodModel(dir: string): string {
  const m = exampleManifest();
  m.models[GOOD] = {
    gcs_path: `gs://nba-props-platform-models/catboost/v9/${GOOD}.cbm`,
    model_type: 'catboost',
    model_version: 'v9',
    feature_count: 33,
    training_start: '2025-11-02',
    training_end: '2026-02-05',
    training_samples: 12400,
    status: 'shadow',
    evaluation: { mae: 4.7, high_edge_hit_rate_3plus: 68.4, vegas_bias: -0.5, graded_edge_3plus: 140, tier_bias_max: 3.1 },
    owner: 'ml-team',
  };
  const text = JSON.stringify(m, null, 4);
  writeFileSync(join(dir, EXAMPLE_MANIFEST), text);
  runGit(dir, 'commit', '-qam', 'add a good model');
  return text;
}
