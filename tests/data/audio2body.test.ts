/**
 * Sound -> body on real data: a one-epoch smoke training on two dances (twice, to prove same-seed reproducibility),
 * the shipped model's held-out metrics against its card, streaming == sequence and tensor hygiene on the shipped model.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSE_DIM } from '../../src/features/skeleton';
import { createAudio2Body, timeSteps, type Audio2BodyConfigV1 } from '../../src/models/audio2body/model';
import { PostureStage } from '../../src/models/audio2body/posture';
import { DEFAULT_DANCE_DIR, ROOT, loadDances } from '../../training/lib/dance-data';
import { acceptance, evalAudio2Body, type Audio2BodyMetrics } from '../../training/lib/eval-audio2body';
import { initTfNode } from '../../training/lib/tf-node';

const SHIPPED = join(ROOT, 'models', 'audio2body-dance');
/** Relative tolerance between the card's metrics and a recomputation (same code, same backend: deterministic). */
const CARD_RTOL = 1e-3;
const METRIC_KEYS = ['mpjpe_cm', 'baseline_mean_pose_mpjpe_cm', 'mpjpe_world_cm', 'speed_ratio', 'kinematic_beat_rate_ratio', 'motion_tempo_ratio', 'bas_pred', 'bas_real', 'bas_chance', 'onset_response_lag_frames'] as const;

let tmp = '';
beforeAll(async () => {
  await initTfNode();
  tmp = mkdtempSync(join(tmpdir(), 'a2b-data-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function smokeTrain(out: string): void {
  const r = spawnSync('npx', ['tsx', 'training/train-audio2body.ts', '--epochs', '1', '--dances', 'DANCE_C_4,DANCE_W_1', '--out', out, '--no-eval'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (r.status !== 0) throw new Error(`smoke training failed (${r.status}): ${r.stderr.slice(-2000)}`);
}

describe('audio2body on Dance with Melody', () => {
  it('one-epoch smoke training on two dances gives a loadable model, bit-identical when repeated with the same seed', async () => {
    const a = join(tmp, 'a');
    const b = join(tmp, 'b');
    smokeTrain(a);
    smokeTrain(b);
    for (const f of ['model.json', 'weights.bin', 'config.json', 'card.json']) expect(existsSync(join(a, f)), f).toBe(true);
    expect(readFileSync(join(a, 'weights.bin')).equals(readFileSync(join(b, 'weights.bin')))).toBe(true);
    expect(readFileSync(join(a, 'config.json'), 'utf8')).toBe(readFileSync(join(b, 'config.json'), 'utf8'));
    const card = JSON.parse(readFileSync(join(a, 'card.json'), 'utf8')) as { split: { train: string[] } };
    expect(card.split.train).toEqual(['DANCE_C_4', 'DANCE_W_1']);
    const m = createAudio2Body(a);
    await m.load();
    const out = new Float32Array(POSE_DIM);
    m.step(new Float32Array(m.config.featureNorm.mean), out);
    expect(out.every(Number.isFinite)).toBe(true);
    m.dispose();
  });

  it('the shipped model reproduces its card metrics on the held-out dances', async () => {
    const card = JSON.parse(readFileSync(join(SHIPPED, 'card.json'), 'utf8')) as { metrics: Audio2BodyMetrics; acceptance: Record<string, boolean> };
    const m = await evalAudio2Body({ dataDir: DEFAULT_DANCE_DIR, modelDir: SHIPPED });
    expect(m.heldOut).toEqual(card.metrics.heldOut);
    for (const k of METRIC_KEYS) {
      const want = card.metrics[k];
      expect(Math.abs(m[k] - want), `${k}: ${m[k]} vs card ${want}`).toBeLessThanOrEqual(CARD_RTOL * Math.abs(want) + 1e-9);
    }
    expect(acceptance(m)).toEqual(card.acceptance);
  });

  it('the shipped model meets the motion criteria of the issue on the held-out dances (per the card)', () => {
    const card = JSON.parse(readFileSync(join(SHIPPED, 'card.json'), 'utf8')) as { metrics: Audio2BodyMetrics };
    const acc = acceptance(card.metrics);
    for (const k of ['speed_ratio_in_0_7_1_4', 'kinematic_beat_rate_ratio_in_0_7_1_4', 'motion_tempo_ratio_in_0_5_2', 'bas_pred_ge_chance']) {
      expect(acc[k], k).toBe(true);
    }
    // Not met yet (see the model card): mpjpe_cm <= 0.95 x the mean-pose baseline. With the posture stage the model
    // beats the mean pose (20.24 cm against 20.76 cm, 0.975 x); guard that.
    expect(card.metrics.mpjpe_cm).toBeLessThan(card.metrics.baseline_mean_pose_mpjpe_cm);
  });

  it('the shipped posture stage recognizes each held-out dance\'s family (Latin / Standard) from the music alone', async () => {
    const cfg = JSON.parse(readFileSync(join(SHIPPED, 'config.json'), 'utf8')) as Audio2BodyConfigV1;
    const posture = cfg.posture;
    if (!posture) throw new Error('the shipped model has no posture stage');
    const dim = cfg.featureNorm.mean.length;
    const held = await loadDances(DEFAULT_DANCE_DIR, ['DANCE_C_2', 'DANCE_R_3', 'DANCE_R_7', 'DANCE_W_10', 'DANCE_W_21', 'DANCE_W_5']);
    const z = new Float32Array(dim);
    const pose = new Float32Array(POSE_DIM);
    for (const d of held) {
      const st = new PostureStage(posture, dim, cfg.fps);
      let latin = 0;
      for (let t = 0; t < d.numFrames; t++) {
        for (let i = 0; i < dim; i++) z[i] = (d.features[t * dim + i] - cfg.featureNorm.mean[i]) / cfg.featureNorm.std[i];
        st.apply(z, pose);
        latin += st.probs[posture.classes.indexOf('latin')] / d.numFrames;
      }
      const isLatin = /^DANCE_[CR]_/.test(d.name);
      expect(isLatin ? latin : 1 - latin, `${d.name}: mean Latin probability ${latin.toFixed(3)}`).toBeGreaterThan(0.5);
    }
  });

  it('the shipped model answers a sound within its lookahead (the timing the app and the bench assume, src/app/latency.ts)', () => {
    const card = JSON.parse(readFileSync(join(SHIPPED, 'card.json'), 'utf8')) as { metrics: Audio2BodyMetrics };
    expect(card.metrics.onset_response_lag_frames).toBeGreaterThanOrEqual(0);
    expect(card.metrics.onset_response_lag_frames).toBeLessThanOrEqual(card.metrics.lookahead);
    expect(card.metrics.lookahead).toBeLessThanOrEqual(2);
  });

  it('shipped model: streaming steps equal predictSequence on real music, no tensor leaks, fast steps', async () => {
    const [d] = await loadDances(DEFAULT_DANCE_DIR, ['DANCE_W_10']);
    const before = tf.memory().numTensors;
    const model = createAudio2Body(SHIPPED);
    await model.load();
    const loaded = tf.memory().numTensors;
    const n = 600;
    const seq = model.predictSequence(d.features, n);
    const out = new Float32Array(POSE_DIM);
    let maxDiff = 0;
    for (let t = 0; t < n; t++) {
      model.step(d.features.subarray(t * d.featureDim, (t + 1) * d.featureDim), out);
      for (let k = 0; k < POSE_DIM; k++) maxDiff = Math.max(maxDiff, Math.abs(out[k] - seq[t * POSE_DIM + k]));
    }
    expect(maxDiff).toBeLessThan(1e-4);
    expect(tf.memory().numTensors).toBe(loaded);
    const timing = timeSteps(model, 2000);
    console.log(`audio2body step in Node (wasm build, JS step): ${JSON.stringify(timing)}`);
    expect(timing.medianMs).toBeLessThan(1); // p95 in Node on the shared 2-core machine is noisy (measured 1.9 ms under load)
    model.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
