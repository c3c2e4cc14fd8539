/**
 * The shipped Sound -> pianist model (models/audio2body-piano) on the virtual pianist dataset's held-out pieces
 * (.cache/pianist, `npm run data:pianist`): `npm run eval`'s scorer reproduces the card's metrics, and the issue's
 * acceptance criteria hold (wrist error <= 0.5 x the mean-pose baseline, wrist_x_pitch_corr >= 0.8).
 * Skipped when the dataset or the model folder is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../training/lib/dance-data';
import { acceptancePiano, evalAudio2BodyPiano } from '../../training/lib/eval-audio2body-piano';
import { defaultDatasetDir, readManifest } from '../../training/pianist/dataset';

const DATA = defaultDatasetDir(ROOT);
const MODEL = join(ROOT, 'models', 'audio2body-piano');
const have = existsSync(join(DATA, 'manifest.json')) && existsSync(join(MODEL, 'card.json'));

describe.skipIf(!have)('audio2body-piano on held-out pieces', () => {
  it('reproduces the card metrics and meets the acceptance criteria', async () => {
    const card = JSON.parse(readFileSync(join(MODEL, 'card.json'), 'utf8'));
    const manifest = readManifest(DATA);
    // The card was made on this dataset (same seed and held-out excerpts).
    expect(manifest.seed).toBe(card.data.seed);
    expect(manifest.excerpts.filter((e) => e.split === 'test').map((e) => e.id)).toEqual(card.split.heldOut);
    const m = await evalAudio2BodyPiano({ dataDir: DATA, modelDir: MODEL });
    console.log('audio2body-piano held-out', JSON.stringify({ ...m, perExcerpt: undefined }));
    for (const k of ['wrist_error_cm', 'fingertip_error_cm', 'keypoint_error_cm', 'baseline_mean_pose_wrist_error_cm', 'baseline_mean_pose_fingertip_error_cm', 'wrist_x_pitch_corr', 'real_wrist_x_pitch_corr'] as const) {
      expect(m[k], k).toBeCloseTo(card.metrics[k], 3);
    }
    expect(m.frames).toBe(card.metrics.frames);
    const acc = acceptancePiano(m);
    expect(acc, JSON.stringify({ wrist: m.wrist_error_cm, baseline: m.baseline_mean_pose_wrist_error_cm, corr: m.wrist_x_pitch_corr })).toEqual({ wrist_error_le_0_5_baseline: true, wrist_x_pitch_corr_ge_0_8: true });
  });
});
