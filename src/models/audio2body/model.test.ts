import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTfNode, saveLayersModel } from '../../../training/lib/tf-node';
import { DEFAULT_FEATURE_SPEC } from '../../features/spec';
import { JOINT_NAMES, POSE_DIM } from '../../features/skeleton';
import { AUDIO2BODY_CONFIG_VERSION, createAudio2Body, timeSteps, type Audio2BodyConfigV1 } from './model';
import { buildAudio2BodyNetwork } from './network';

const DIM = DEFAULT_FEATURE_SPEC.names.length;
const H = 24;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** Writes a randomly initialised (untrained) model folder with random normalization stats. */
async function writeRandomModel(dir: string, extra: Partial<Audio2BodyConfigV1> = {}): Promise<Audio2BodyConfigV1> {
  const net = buildAudio2BodyNetwork(DIM, H, 7);
  // Bigger random weights than the initializer so that the state saturates and drifts (a harder equality test).
  net.setWeights(net.getWeights().map((w, i) => tf.tidy(() => w.mul(i === 1 ? 1.5 : 2))));
  await saveLayersModel(net, dir);
  net.dispose();
  const r = lcg(3);
  const cfg: Audio2BodyConfigV1 = {
    kind: 'audio2body',
    version: AUDIO2BODY_CONFIG_VERSION,
    fps: DEFAULT_FEATURE_SPEC.fps,
    joints: [...JOINT_NAMES],
    bodyFacing: true,
    featureSpec: DEFAULT_FEATURE_SPEC,
    featureNorm: { mean: Array.from({ length: DIM }, () => r() * 4 - 2), std: Array.from({ length: DIM }, () => 0.5 + r()) },
    poseNorm: { mean: Array.from({ length: POSE_DIM }, () => r() - 0.5), std: Array.from({ length: POSE_DIM }, () => 0.1 + r() * 0.3) },
    lookahead: 2,
    hiddenUnits: H,
    ...extra,
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg));
  return cfg;
}

/** A two-class posture block with random weights and postures (see ./posture.ts). */
function randomPosture(seed: number): NonNullable<Audio2BodyConfigV1['posture']> {
  const r = lcg(seed);
  return {
    tauFrames: 50,
    classes: ['a', 'b'],
    weights: [0, 1].map(() => Array.from({ length: 2 * DIM + 1 }, () => (r() - 0.5) * 2)),
    poses: [0, 1].map(() => Array.from({ length: POSE_DIM }, () => r() - 0.5)),
    highpassHz: 0.4,
  };
}

function randomFeatures(n: number, seed: number): Float32Array {
  const r = lcg(seed);
  return Float32Array.from({ length: n * DIM }, () => (r() - 0.5) * 6);
}

let root = '';
beforeAll(async () => {
  await initTfNode('wasm');
  root = mkdtempSync(join(tmpdir(), 'a2b-unit-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('audio2body model', () => {
  for (const [smoothing, posture] of [[0, false], [0.6, false], [0.6, true]] as const) {
    it(`streaming steps equal predictSequence within 1e-4 (outputSmoothing ${smoothing}${posture ? ', posture stage' : ''})`, async () => {
      const dir = join(root, `m${smoothing}${posture}`);
      await writeRandomModel(dir, { outputSmoothing: smoothing, ...(posture ? { posture: randomPosture(9) } : {}) });
      const m = createAudio2Body(dir);
      await m.load();
      const n = 400;
      const feats = randomFeatures(n, 11);
      const seq = m.predictSequence(feats, n);
      const out = new Float32Array(POSE_DIM);
      let maxDiff = 0;
      let spread = 0;
      for (let t = 0; t < n; t++) {
        m.step(feats.subarray(t * DIM, (t + 1) * DIM), out);
        for (let k = 0; k < POSE_DIM; k++) {
          maxDiff = Math.max(maxDiff, Math.abs(out[k] - seq[t * POSE_DIM + k]));
          spread = Math.max(spread, Math.abs(seq[t * POSE_DIM + k] - seq[k]));
        }
      }
      expect(maxDiff).toBeLessThan(1e-4);
      expect(spread).toBeGreaterThan(0.05); // the output really moves, so equality is not trivial
      // reset() restarts the stream: the first step equals the first sequence frame again.
      m.reset();
      m.step(feats.subarray(0, DIM), out);
      for (let k = 0; k < POSE_DIM; k++) expect(Math.abs(out[k] - seq[k])).toBeLessThan(1e-4);
      m.dispose();
    });
  }

  it('leaks no tensors in step, predictSequence and dispose (twice)', async () => {
    const dir = join(root, 'leak');
    await writeRandomModel(dir);
    const before = tf.memory().numTensors;
    const m = createAudio2Body(dir);
    await m.load();
    const loaded = tf.memory().numTensors;
    const feats = randomFeatures(50, 5);
    const out = new Float32Array(POSE_DIM);
    for (let i = 0; i < 1000; i++) m.step(feats.subarray((i % 50) * DIM, ((i % 50) + 1) * DIM), out);
    m.predictSequence(feats, 50);
    expect(tf.memory().numTensors).toBe(loaded);
    m.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => m.step(feats.subarray(0, DIM), out)).toThrow(/load\(\)/);
  });

  it('times steps', async () => {
    const dir = join(root, 'time');
    await writeRandomModel(dir);
    const m = createAudio2Body(dir);
    await m.load();
    const t = timeSteps(m, 200);
    expect(t.medianMs).toBeGreaterThanOrEqual(0);
    expect(t.p95Ms).toBeGreaterThanOrEqual(t.medianMs);
    expect(t.maxMs).toBeGreaterThanOrEqual(t.p95Ms);
    m.dispose();
  });

  it('gives clear errors for missing, mismatched and corrupt models', async () => {
    const constructed = createAudio2Body(join(root, 'nothing-here'));
    expect(() => constructed.config).toThrow(/load\(\) first/);
    await expect(constructed.load()).rejects.toThrow(/cannot read config\.json/);

    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['kind', { kind: 'body2music' }, /kind is body2music/],
      ['spec', { featureSpec: { ...DEFAULT_FEATURE_SPEC, melBands: 64 } }, /melBands is 64/],
      ['fps', { fps: 30 }, /fps is 30/],
      ['joints', { joints: JOINT_NAMES.slice(0, 20) }, /joints differ/],
      ['norm', { poseNorm: { mean: [0], std: [1] } }, /poseNorm/],
      ['hidden', { hiddenUnits: H + 1 }, /weight shapes/],
      ['posture', { posture: { ...randomPosture(1), highpassHz: 20 } }, /posture\.highpassHz must be in \(0, 12\.5\)/],
    ];
    for (const [name, patch, re] of cases) {
      const dir = join(root, `bad-${name}`);
      await writeRandomModel(dir, patch as Partial<Audio2BodyConfigV1>);
      const before = tf.memory().numTensors;
      await expect(createAudio2Body(dir).load()).rejects.toThrow(re);
      expect(tf.memory().numTensors).toBe(before);
    }

    const dir = join(root, 'corrupt');
    await writeRandomModel(dir);
    const w = readFileSync(join(dir, 'weights.bin'));
    writeFileSync(join(dir, 'weights.bin'), w.subarray(0, w.length - 40));
    await expect(createAudio2Body(dir).load()).rejects.toThrow(/weights .* bytes|corrupt/);
    writeFileSync(join(dir, 'config.json'), '{ not json');
    await expect(createAudio2Body(dir).load()).rejects.toThrow(/not valid JSON/);
  });
});
