import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTfNode, saveLayersModel } from '../../../training/lib/tf-node';
import { JOINT_NAMES, POSE_DIM } from '../../features/skeleton';
import { STYLES } from '../../types';
import { INPUT_DIM, MotionBeat } from './features';
import { OUT, buildPose2RollNetwork } from './network';
import { BODY2MUSIC_CONFIG_VERSION, createPose2Roll, decodeOutput, emptyRoll, type Pose2RollConfig } from './pose2roll';

const WINDOW = 16;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

function config(extra: Partial<Record<keyof Pose2RollConfig, unknown>> = {}): Record<string, unknown> {
  const r = lcg(5);
  return {
    kind: 'body2music',
    version: BODY2MUSIC_CONFIG_VERSION,
    fps: 25,
    joints: [...JOINT_NAMES],
    bodyFacing: true,
    window: WINDOW,
    inputNorm: { mean: Array.from({ length: INPUT_DIM }, () => r() - 0.5), std: Array.from({ length: INPUT_DIM }, () => 0.5 + r()) },
    medianBpm: 88,
    styles: [...STYLES],
    styleBpm: [125, 91, 126, 88],
    activityStill: 0.15,
    activityFull: 0.9,
    beatSource: 'motion',
    ...extra,
  };
}

/** Writes a small randomly initialised (untrained) model folder. */
async function writeRandomModel(dir: string, extra: Partial<Record<keyof Pose2RollConfig, unknown>> = {}): Promise<void> {
  const net = buildPose2RollNetwork(WINDOW, INPUT_DIM, 3, 8);
  await saveLayersModel(net, dir);
  net.dispose();
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config(extra)));
}

/** A body swinging its limbs: joint j moves by amp * sin(2 pi f t + j). */
function swingingPoses(n: number, amp: number, f = 1.5): Float32Array {
  const out = new Float32Array(n * POSE_DIM);
  for (let t = 0; t < n; t++) {
    for (let j = 1; j < 23; j++) {
      if (j === 2) continue; // pelvis stays at the origin
      out[t * POSE_DIM + j * 3] = 0.1 * j + amp * Math.sin((2 * Math.PI * f * t) / 25 + j);
      out[t * POSE_DIM + j * 3 + 1] = 0.05 * j + amp * Math.cos((2 * Math.PI * f * t) / 25 + j);
    }
  }
  return out;
}

let root = '';
let good = '';
beforeAll(async () => {
  await initTfNode('wasm');
  root = mkdtempSync(join(tmpdir(), 'b2m-unit-'));
  good = join(root, 'good');
  await writeRandomModel(good);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('pose2roll', () => {
  it('does no I/O in the constructor and explains a missing folder on load', async () => {
    const m = createPose2Roll(join(root, 'missing'));
    await expect(m.load()).rejects.toThrow(/cannot read config.json/);
    m.dispose();
  });

  it('rejects configs that do not match the code', async () => {
    const cases: [Partial<Record<keyof Pose2RollConfig, unknown>>, RegExp][] = [
      [{ kind: 'audio2body' }, /kind is audio2body, expected 'body2music'/],
      [{ fps: 30 }, /fps is 30, the code runs at 25/],
      [{ joints: JOINT_NAMES.slice(1) }, /joints differ/],
      [{ window: 32 }, /network maps \[16x138\].*expected \[32x138\]/],
      [{ beatSource: 'audio' }, /beatSource is audio, expected one of network, motion/],
    ];
    for (const [extra, msg] of cases) {
      const dir = join(root, `bad-${Object.keys(extra)[0]}`);
      await writeRandomModel(dir, extra);
      const m = createPose2Roll(dir);
      await expect(m.load()).rejects.toThrow(msg);
      m.dispose();
    }
  });

  it('streams rolls in range, equal to predictSequence; null gives activity 0; no tensor leaks', async () => {
    const before = tf.memory().numTensors;
    const m = createPose2Roll(good);
    await m.load();
    const n = 60;
    const poses = swingingPoses(n, 0.3);
    const seq = m.predictSequence(poses, n);
    const out = emptyRoll();
    for (let t = 0; t < n; t++) {
      m.step(poses.subarray(t * POSE_DIM, (t + 1) * POSE_DIM), out);
      expect(out.beat).toBeGreaterThanOrEqual(0);
      expect(out.beat).toBeLessThanOrEqual(1);
      expect(out.energy).toBeGreaterThan(0);
      expect(out.energy).toBeLessThan(1);
      expect(out.tempo).toBeGreaterThan(0);
      expect(out.style.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(out.beat).toBeCloseTo(seq[t].beat, 5);
      expect(out.energy).toBeCloseTo(seq[t].energy, 5);
      expect(out.activity).toBeCloseTo(seq[t].activity, 5);
    }
    // Limbs swinging 0.3 body scales at 1.5 Hz move ~2.8 scales/s: full activity.
    expect(out.activity).toBe(1);
    m.step(null, out);
    expect(out.activity).toBe(0);
    expect(out.beat).toBe(0);
    m.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a still body has activity 0; stride 2 keeps beat and activity', async () => {
    const m = createPose2Roll(good);
    const m2 = createPose2Roll(good, { stride: 2 });
    await m.load();
    await m2.load();
    const still = swingingPoses(1, 0.3);
    const out = emptyRoll();
    for (let t = 0; t < 30; t++) m.step(still, out);
    expect(out.activity).toBe(0);
    m.reset();
    const poses = swingingPoses(40, 0.2);
    const a = emptyRoll();
    const b = emptyRoll();
    for (let t = 0; t < 40; t++) {
      m.step(poses.subarray(t * POSE_DIM, (t + 1) * POSE_DIM), a);
      m2.step(poses.subarray(t * POSE_DIM, (t + 1) * POSE_DIM), b);
      expect(b.beat).toBeCloseTo(a.beat, 6);
      expect(b.activity).toBeCloseTo(a.activity, 6);
    }
    m.dispose();
    m2.dispose();
    expect(() => createPose2Roll(good, { stride: 0 })).toThrow(/stride must be an integer in 1..8/);
  });

  it("beatSource 'network' takes roll.beat from the network's beat output (config or option), 'motion' from MotionBeat", async () => {
    const net = join(root, 'net-beat');
    await writeRandomModel(net, { beatSource: 'network' });
    const byConfig = createPose2Roll(net);
    const byOption = createPose2Roll(good, { beatSource: 'network' });
    const motion = createPose2Roll(net, { beatSource: 'motion' });
    const plain = createPose2Roll(good);
    for (const m of [byConfig, byOption, motion, plain]) await m.load();
    const n = 40;
    const poses = swingingPoses(n, 0.2);
    const a = byConfig.predictSequence(poses, n);
    const b = byOption.predictSequence(poses, n);
    const c = motion.predictSequence(poses, n);
    const d = plain.predictSequence(poses, n);
    let differ = 0;
    for (let t = 0; t < n; t++) {
      expect(a[t].beat).toBeGreaterThan(0); // a sigmoid: never exactly 0 or 1
      expect(a[t].beat).toBeLessThan(1);
      expect(b[t].beat).toBeCloseTo(a[t].beat, 6);
      expect(c[t].beat).toBeCloseTo(d[t].beat, 6);
      if (Math.abs(a[t].beat - c[t].beat) > 1e-3) differ++;
    }
    expect(differ).toBeGreaterThan(n / 2);
    for (const m of [byConfig, byOption, motion, plain]) m.dispose();
    expect(() => createPose2Roll(good, { beatSource: 'audio' as never })).toThrow(/beatSource must be null or one of network, motion/);
  });

  it('decodes raw outputs: sigmoid energy and beat, tempo 100 * 2^x, softmax style', () => {
    const raw = new Float32Array(OUT.size);
    raw[OUT.energy] = 0;
    raw[OUT.tempo] = -0.5;
    raw[OUT.style + 3] = Math.log(3);
    raw[OUT.beat] = Math.log(4); // sigmoid = 4 / 5
    const r = decodeOutput(raw, 0, emptyRoll());
    expect(r.energy).toBeCloseTo(0.5, 6);
    expect(r.tempo).toBeCloseTo(100 / Math.SQRT2, 4);
    expect(r.beat).toBeCloseTo(0.8, 6);
    expect(Array.from(r.style).map((v) => +v.toFixed(6))).toEqual([1 / 6, 1 / 6, 1 / 6, 0.5].map((v) => +v.toFixed(6)));
  });
});

describe('MotionBeat', () => {
  it('peaks at the minima of a periodic speed', () => {
    const mb = new MotionBeat(25);
    const values: number[] = [];
    // Speed 1 + 0.8 cos(2 pi t / 20 frames): minima at frames 10, 30, 50, ...
    for (let t = 0; t < 200; t++) values.push(mb.update(1 + 0.8 * Math.cos((2 * Math.PI * t) / 20)));
    for (let k = 5; k < 9; k++) {
      let arg = k * 20;
      for (let t = k * 20; t < (k + 1) * 20; t++) if (values[t] > values[arg]) arg = t;
      // The short average adds about one frame of delay.
      expect(arg - (k * 20 + 10)).toBeGreaterThanOrEqual(0);
      expect(arg - (k * 20 + 10)).toBeLessThanOrEqual(2);
      expect(values[k * 20]).toBe(0); // at a speed maximum
    }
  });
});
