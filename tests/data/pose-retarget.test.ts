/**
 * The pose normalizer's retargeting table (src/features/pose/retarget.ts DATASET_BONE_LENGTHS) recomputed from the
 * Dance with Melody training skeletons: per training dance the median of each bone's length over frames divided by
 * the dance's median body scale, then the mean over the dances.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASET_BONE_LENGTHS, medianBoneLengths, NUM_RETARGET_BONES } from '../../src/features/pose/retarget';
import { medianBodyScale, POSE_DIM } from '../../src/features/skeleton';
import { DEFAULT_DANCE_DIR, listDances, splitDances } from '../../training/lib/dance-data';

describe('pose retargeting table', () => {
  it('DATASET_BONE_LENGTHS are the training skeletons\' bone lengths in body scales (4 decimals)', () => {
    const { train } = splitDances(listDances(DEFAULT_DANCE_DIR));
    expect(train.length).toBe(33);
    const mean = new Float64Array(NUM_RETARGET_BONES);
    for (const d of train) {
      const sk = JSON.parse(readFileSync(join(DEFAULT_DANCE_DIR, d, 'skeletons.json'), 'utf8')) as { skeletons: number[][][] };
      const n = sk.skeletons.length;
      const poses = new Float32Array(n * POSE_DIM);
      sk.skeletons.forEach((f, i) => poses.set(f.flat(), i * POSE_DIM));
      const m = medianBoneLengths(poses, n, medianBodyScale(poses, n));
      for (let b = 0; b < NUM_RETARGET_BONES; b++) mean[b] += m[b] / train.length;
    }
    console.log(JSON.stringify({ datasetBoneLengths: Array.from(mean, (v) => +v.toFixed(4)) }));
    for (let b = 0; b < NUM_RETARGET_BONES; b++) expect(DATASET_BONE_LENGTHS[b], `bone ${b}`).toBeCloseTo(mean[b], 4);
  });
});
