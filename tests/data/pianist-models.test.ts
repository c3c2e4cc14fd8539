/**
 * The shipped pianist models on the virtual pianist dataset's held-out pieces (.cache/pianist, `npm run data:pianist`,
 * which .ci/run generates): `npm run eval` reproduces both cards' metrics, and the issue's criteria are checked.
 * - audio2body-piano: wrist_error_cm <= 0.5 x the mean-pose baseline and wrist_x_pitch_corr >= 0.8 (both met).
 * - body2music-piano: onset_f1 above the geometric baseline (met); onset_f1 >= 0.8 is NOT met (see the card): guarded
 *   at 0.9 x the card's figure.
 * Skipped when the dataset is absent (npm test never needs it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../training/lib/dance-data';
import { acceptancePiano } from '../../training/lib/eval-audio2body-piano';
import { defaultDatasetDir, readManifest } from '../../training/pianist/dataset';

const DATA = defaultDatasetDir(ROOT);
const A2B = join(ROOT, 'models', 'audio2body-piano');
const B2M = join(ROOT, 'models', 'body2music-piano');
const have = existsSync(join(DATA, 'manifest.json'));
const tmp = mkdtempSync(join(tmpdir(), 'duet-pianist-eval-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!have)('pianist models on held-out pieces (npm run eval)', () => {
  let report: Record<string, any> = {};
  it('npm run eval scores both pianist models on the dataset the cards were made on', () => {
    const out = join(tmp, 'report.json');
    execFileSync('npm', ['run', '--silent', 'eval', '--', '--out', out], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.audio2bodyPiano).not.toBeNull();
    expect(report.body2musicPiano).not.toBeNull();
    const manifest = readManifest(DATA);
    const card = JSON.parse(readFileSync(join(A2B, 'card.json'), 'utf8'));
    expect(manifest.seed).toBe(card.data.seed);
    expect(manifest.excerpts.filter((e) => e.split === 'test').map((e) => e.id)).toEqual(card.split.heldOut);
  });

  it('audio2body-piano reproduces its card and meets both criteria', () => {
    const card = JSON.parse(readFileSync(join(A2B, 'card.json'), 'utf8'));
    const m = report.audio2bodyPiano;
    console.log('audio2body-piano held-out', JSON.stringify({ ...m, perExcerpt: undefined }));
    for (const k of ['wrist_error_cm', 'fingertip_error_cm', 'keypoint_error_cm', 'baseline_mean_pose_wrist_error_cm', 'baseline_mean_pose_fingertip_error_cm', 'wrist_x_pitch_corr', 'real_wrist_x_pitch_corr']) {
      expect(m[k], k).toBeCloseTo(card.metrics[k], 3);
    }
    expect(m.frames).toBe(card.metrics.frames);
    expect(acceptancePiano(m)).toEqual({ wrist_error_le_0_5_baseline: true, wrist_x_pitch_corr_ge_0_8: true });
  });

  it('body2music-piano reproduces its card and beats the geometric baseline', () => {
    const card = JSON.parse(readFileSync(join(B2M, 'card.json'), 'utf8'));
    const m = report.body2musicPiano;
    console.log('body2music-piano held-out', JSON.stringify({ ...m, per_excerpt: undefined }));
    for (const k of ['frame_f1', 'onset_f1', 'baseline_geometric_onset_f1']) expect(m[k], k).toBeCloseTo(card.metrics[k], 3);
    expect(m.onset_f1).toBeGreaterThan(m.baseline_geometric_onset_f1);
    expect(m.onset_f1).toBeGreaterThan(0.9 * card.metrics.onset_f1);
  });
});
