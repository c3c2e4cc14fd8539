import { describe, expect, it } from 'vitest';
import { J, POSE_DIM, facingYaw, normalizePose } from '../../src/features/skeleton';
import { addCrossCorrelation, beatAlignmentScore, dominantFrequency, gaussianSmooth, geometricMean, jointSpeed, kinematicBeats, mpjpePerFrame, peakLag, unrotateYaw } from './motion-metrics';

describe('motion metrics', () => {
  it('mpjpe: every joint off by (3, 4, 0) is 5 units, times the scale', () => {
    const a = new Float32Array(2 * POSE_DIM);
    const b = new Float32Array(2 * POSE_DIM);
    for (let i = 0; i < b.length; i += 3) {
      b[i] = 3;
      b[i + 1] = 4;
    }
    expect(Array.from(mpjpePerFrame(a, b, 2, 2))).toEqual([10, 10]);
  });

  it('joint speed of a body translating 1 unit per frame is 1', () => {
    const n = 5;
    const p = new Float32Array(n * POSE_DIM);
    for (let t = 0; t < n; t++) for (let j = 0; j < 23; j++) p[t * POSE_DIM + j * 3] = t + j;
    const v = jointSpeed(p, n);
    for (const x of v) expect(x).toBeCloseTo(1, 6);
  });

  it('gaussian smoothing: golden impulse response and constants preserved', () => {
    const x = new Float64Array(21);
    x[10] = 1;
    const s = gaussianSmooth(x, 1);
    expect(s[10]).toBeCloseTo(0.39905, 5) // 1 / sum of exp(-i^2/2), |i| <= 3;
    expect(s[11]).toBeCloseTo(0.242036, 5);
    const c = gaussianSmooth(new Float64Array(9).fill(2), 2);
    for (const v of c) expect(v).toBeCloseTo(2, 12);
  });

  it('kinematic beats are the minima of the speed curve', () => {
    const sp = Array.from({ length: 50 }, (_, t) => 1 + Math.cos((2 * Math.PI * t) / 10));
    expect(kinematicBeats(sp, 0)).toEqual([5, 15, 25, 35, 45]);
    expect(kinematicBeats(sp, 1)).toEqual([5, 15, 25, 35, 45]);
  });

  it('dominant frequency of a 1.2 Hz sine', () => {
    const x = Array.from({ length: 750 }, (_, t) => Math.sin((2 * Math.PI * 1.2 * t) / 25) + 0.3 * Math.sin((2 * Math.PI * 3.1 * t) / 25));
    expect(Math.abs(dominantFrequency(x, 25) - 1.2)).toBeLessThan(0.01);
  });

  it('beat alignment score: golden value', () => {
    expect(beatAlignmentScore([10, 20], [10, 23], 3)).toBeCloseTo((1 + Math.exp(-0.5)) / 2, 10);
    expect(beatAlignmentScore([10, 20], [], 3)).toBe(0);
    expect(beatAlignmentScore([], [1], 3)).toBeNaN();
    expect(beatAlignmentScore([0, 100], [50], 3)).toBeCloseTo(0, 10);
  });

  it('unrotateYaw undoes the body-facing rotation of normalizePose', () => {
    const pose = new Float32Array(POSE_DIM);
    for (let i = 0; i < POSE_DIM; i++) pose[i] = Math.sin(i * 1.7) * 30;
    pose[J.l_hip * 3] = 10;
    pose[J.l_hip * 3 + 2] = 7;
    pose[J.r_hip * 3] = -4;
    pose[J.r_hip * 3 + 2] = -9;
    const facing = normalizePose(pose, new Float32Array(POSE_DIM), { scale: 1, bodyFacing: true });
    const world = normalizePose(pose, new Float32Array(POSE_DIM), { scale: 1, bodyFacing: false });
    // Hips of the facing pose lie along x.
    expect(facing[J.l_hip * 3 + 2] - facing[J.r_hip * 3 + 2]).toBeCloseTo(0, 4);
    const back = unrotateYaw(facing, facingYaw(pose), new Float32Array(POSE_DIM));
    for (let i = 0; i < POSE_DIM; i++) expect(back[i]).toBeCloseTo(world[i], 4);
  });

  it('geometric mean', () => {
    expect(geometricMean([0.5, 2])).toBeCloseTo(1, 12);
    expect(geometricMean([])).toBeNaN();
  });
});

describe('cross-correlation lag', () => {
  it('finds the delay of a delayed copy (golden: 3 frames late, 2 frames early)', () => {
    const n = 200;
    const x = Float64Array.from({ length: n }, (_, t) => (t % 17 === 0 ? 1 : 0) + (t % 29 === 0 ? 0.5 : 0));
    for (const d of [3, -2]) {
      const y = Float64Array.from({ length: n }, (_, t) => (t - d >= 0 && t - d < n ? 2 * x[t - d] : 0));
      const acc = new Float64Array(2 * 8 + 1);
      addCrossCorrelation(x, y, n, 8, acc);
      expect(peakLag(acc, 8)).toBe(d);
      expect(Math.max(...acc)).toBeCloseTo(1, 9);
    }
  });
});
