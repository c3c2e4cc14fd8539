/**
 * Body -> music on the real data: a one-epoch smoke training gives a loadable model, and the shipped model's held-out
 * metrics recomputed by evalBody2Music match its card.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSE_DIM } from '../../src/features/skeleton';
import { createPose2Roll, emptyRoll } from '../../src/models/body2music/pose2roll';
import { DEFAULT_DANCE_DIR, HELD_OUT, ROOT, loadDances } from '../../training/lib/dance-data';
import { evalBody2Music, prepareDance } from '../../training/lib/eval-body2music';
import { initTfNode } from '../../training/lib/tf-node';

const MODEL = resolve(ROOT, 'models', 'body2music-dance');
/** Metrics are recomputed on the same backend with the same code: they must agree to rounding. */
const TOLERANCE = 0.005;

let tmp = '';
beforeAll(async () => {
  if (!existsSync(DEFAULT_DANCE_DIR)) throw new Error(`data suite needs ${DEFAULT_DANCE_DIR}`);
  await initTfNode('wasm');
  tmp = mkdtempSync(join(tmpdir(), 'b2m-data-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('body2music on real data', () => {
  it('smoke training (1 epoch, 2 dances) writes a loadable model that runs without leaking tensors', async () => {
    const out = join(tmp, 'smoke');
    execFileSync('npx', ['tsx', 'training/train-body2music.ts', '--epochs', '1', '--dances', 'DANCE_C_4,DANCE_W_1', '--out', out], { cwd: ROOT, stdio: 'pipe', timeout: 600_000 });
    for (const f of ['model.json', 'weights.bin', 'config.json', 'card.json']) expect(existsSync(join(out, f))).toBe(true);
    const card = JSON.parse(readFileSync(join(out, 'card.json'), 'utf8'));
    expect(card.data.train).toEqual(['DANCE_C_4', 'DANCE_W_1']);
    expect(card.training.epochs).toBe(1);
    const before = tf.memory().numTensors;
    const m = createPose2Roll(out);
    await m.load();
    const [d] = await loadDances(DEFAULT_DANCE_DIR, ['DANCE_W_1']);
    const p = prepareDance(d);
    const roll = emptyRoll();
    let active = 0;
    for (let t = 0; t < 100; t++) {
      m.step(p.poses.subarray(t * POSE_DIM, (t + 1) * POSE_DIM), roll);
      if (roll.activity > 0.5) active++;
    }
    expect(active).toBeGreaterThan(50); // a dancing body is active
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it(`the shipped model's held-out metrics match card.json within ${TOLERANCE}`, async () => {
    const card = JSON.parse(readFileSync(join(MODEL, 'card.json'), 'utf8'));
    expect(card.data.heldOut).toEqual([...HELD_OUT].sort());
    const before = tf.memory().numTensors;
    const m = await evalBody2Music({ dataDir: DEFAULT_DANCE_DIR, names: card.data.heldOut, modelDir: MODEL });
    expect(tf.memory().numTensors).toBe(before);
    for (const k of ['beat_f1', 'style_accuracy', 'tempo_accuracy'] as const) expect(Math.abs(m[k] - card.metrics[k])).toBeLessThanOrEqual(TOLERANCE);
    for (const k of ['baseline_metronome_beat_f1', 'baseline_motion_peaks_beat_f1'] as const) expect(Math.abs(m[k] - card.baselines[k])).toBeLessThanOrEqual(TOLERANCE);
    // Acceptance of the style head: at least half of the held-out dances get their style.
    expect(m.style_accuracy).toBeGreaterThanOrEqual(0.5);
  });
});
