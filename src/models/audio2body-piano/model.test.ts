import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTfNode, saveLayersModel } from '../../../training/lib/tf-node';
import { DEFAULT_FEATURE_SPEC } from '../../features/spec';
import { DEFAULT_PITCH_SPEC } from '../../features/pitch';
import { PIANIST_DIM, PIANIST_KEYPOINT_NAMES } from '../../features/piano/layout';
import { AUDIO2BODY_PIANO_CONFIG_VERSION, PIANO_FEATURE_DIM, PIANO_INPUT_DIM, PIANO_PITCH_DIM, createAudio2BodyPiano, type Audio2BodyPianoConfig } from './model';
import { buildAudio2BodyPianoNetwork } from './network';

const H = 16;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** Writes a randomly initialised (untrained) model folder with random normalization stats. */
async function writeRandomModel(dir: string, extra: Record<string, unknown> = {}): Promise<void> {
  const net = buildAudio2BodyPianoNetwork(PIANO_INPUT_DIM, H, PIANIST_DIM, 5);
  // Bigger random weights than the initializer so that the state saturates and drifts (a harder equality test).
  net.setWeights(net.getWeights().map((w, i) => tf.tidy(() => w.mul(i === 1 ? 1.5 : 2))));
  await saveLayersModel(net, dir);
  net.dispose();
  const r = lcg(9);
  const cfg: Audio2BodyPianoConfig = {
    kind: 'audio2body-piano',
    version: AUDIO2BODY_PIANO_CONFIG_VERSION,
    fps: 25,
    featureSpec: DEFAULT_FEATURE_SPEC,
    pitchSpec: DEFAULT_PITCH_SPEC,
    keypoints: [...PIANIST_KEYPOINT_NAMES],
    inputNorm: { mean: Array.from({ length: PIANO_INPUT_DIM }, () => r() * 4 - 2), std: Array.from({ length: PIANO_INPUT_DIM }, () => 0.5 + r()) },
    outputNorm: { mean: Array.from({ length: PIANIST_DIM }, () => (r() - 0.5) * 40), std: Array.from({ length: PIANIST_DIM }, () => 1 + r() * 5) },
    lookahead: 2,
    hiddenUnits: H,
    ...extra,
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg));
}

function random(n: number, seed: number): Float32Array {
  const r = lcg(seed);
  return Float32Array.from({ length: n }, () => (r() - 0.5) * 6);
}

let root = '';
beforeAll(async () => {
  await initTfNode('wasm');
  root = mkdtempSync(join(tmpdir(), 'a2bp-unit-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('audio2body-piano model', () => {
  for (const smoothing of [0, 0.5]) {
    it(`streaming steps equal predictSequence within 1e-4 (outputSmoothing ${smoothing})`, async () => {
      const dir = join(root, `m${smoothing}`);
      await writeRandomModel(dir, { outputSmoothing: smoothing });
      const m = createAudio2BodyPiano(dir);
      await m.load();
      expect(m.delayFrames).toBe(smoothing === 0 ? 2 : 3);
      const n = 300;
      const feats = random(n * PIANO_FEATURE_DIM, 11);
      const pitch = random(n * PIANO_PITCH_DIM, 12);
      const seq = m.predictSequence(feats, pitch, n);
      const out = new Float32Array(PIANIST_DIM);
      let maxDiff = 0;
      let spread = 0;
      for (let t = 0; t < n; t++) {
        m.step(feats.subarray(t * PIANO_FEATURE_DIM, (t + 1) * PIANO_FEATURE_DIM), pitch.subarray(t * PIANO_PITCH_DIM, (t + 1) * PIANO_PITCH_DIM), out);
        for (let k = 0; k < PIANIST_DIM; k++) {
          maxDiff = Math.max(maxDiff, Math.abs(out[k] - seq[t * PIANIST_DIM + k]));
          spread = Math.max(spread, Math.abs(seq[t * PIANIST_DIM + k] - seq[k]));
        }
      }
      expect(maxDiff).toBeLessThan(1e-4);
      expect(spread).toBeGreaterThan(0.5); // the output really moves, so equality is not trivial
      m.reset();
      m.step(feats.subarray(0, PIANO_FEATURE_DIM), pitch.subarray(0, PIANO_PITCH_DIM), out);
      for (let k = 0; k < PIANIST_DIM; k++) expect(Math.abs(out[k] - seq[k])).toBeLessThan(1e-4);
      m.dispose();
    });
  }

  it('the pitch bands reach the output (changing only pitch changes the keypoints)', async () => {
    const dir = join(root, 'pitch');
    await writeRandomModel(dir);
    const m = createAudio2BodyPiano(dir);
    await m.load();
    const feats = random(PIANO_FEATURE_DIM, 1);
    const a = m.predictSequence(feats, random(PIANO_PITCH_DIM, 2), 1);
    const b = m.predictSequence(feats, random(PIANO_PITCH_DIM, 3), 1);
    let d = 0;
    for (let k = 0; k < PIANIST_DIM; k++) d = Math.max(d, Math.abs(a[k] - b[k]));
    expect(d).toBeGreaterThan(0.1);
    m.dispose();
  });

  it('leaks no tensors in step, predictSequence and dispose (twice)', async () => {
    const dir = join(root, 'leak');
    await writeRandomModel(dir);
    const before = tf.memory().numTensors;
    const m = createAudio2BodyPiano(dir);
    await m.load();
    const loaded = tf.memory().numTensors;
    const f = random(PIANO_FEATURE_DIM * 20, 5);
    const p = random(PIANO_PITCH_DIM * 20, 6);
    const out = new Float32Array(PIANIST_DIM);
    for (let i = 0; i < 200; i++) m.step(f.subarray(0, PIANO_FEATURE_DIM), p.subarray(0, PIANO_PITCH_DIM), out);
    m.predictSequence(f, p, 20);
    expect(tf.memory().numTensors).toBe(loaded);
    m.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => m.step(f.subarray(0, PIANO_FEATURE_DIM), p.subarray(0, PIANO_PITCH_DIM), out)).toThrow(/load\(\)/);
  });

  it('gives clear errors for missing and mismatched models', async () => {
    const constructed = createAudio2BodyPiano(join(root, 'nothing-here'));
    expect(() => constructed.config).toThrow(/load\(\) first/);
    await expect(constructed.load()).rejects.toThrow(/cannot read config\.json/);
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['kind', { kind: 'audio2body' }, /kind is audio2body/],
      ['pitch', { pitchSpec: { ...DEFAULT_PITCH_SPEC, frameSize: 2048 } }, /frameSize is 2048/],
      ['keypoints', { keypoints: PIANIST_KEYPOINT_NAMES.slice(0, 40) }, /keypoints differ/],
      ['norm', { inputNorm: { mean: [0], std: [1] } }, /inputNorm/],
      ['hidden', { hiddenUnits: H + 1 }, /weight shapes/],
    ];
    for (const [name, patch, re] of cases) {
      const dir = join(root, `bad-${name}`);
      await writeRandomModel(dir, patch);
      const before = tf.memory().numTensors;
      await expect(createAudio2BodyPiano(dir).load()).rejects.toThrow(re);
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});
