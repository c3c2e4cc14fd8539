import { describe, expect, it } from 'vitest';
import { bodyScale, J, normalizePose, POSE_DIM } from '../skeleton';
import { mapBlazePoseTo23 } from './mapping';
import { createPoseNormalizer, DEFAULT_POSE_NORMALIZER_OPTIONS } from './normalizer';

/** A deterministic, non-degenerate 23-joint pose (metres-like), scaled by `s` and shifted. */
function pose(s: number, shift = 0): Float32Array {
  const p = new Float32Array(POSE_DIM);
  for (let i = 0; i < POSE_DIM; i++) p[i] = shift + s * Math.sin(1.7 * i + 0.3) * 0.5;
  // Hips apart along x so the facing turn is defined.
  p.set([-0.1 * s + shift, shift, shift], J.r_hip * 3);
  p.set([0.1 * s + shift, shift, 0.05 * s + shift], J.l_hip * 3);
  return p;
}

describe('pose normalizer', () => {
  it('has frozen defaults and checks options', () => {
    expect(Object.isFrozen(DEFAULT_POSE_NORMALIZER_OPTIONS)).toBe(true);
    expect(DEFAULT_POSE_NORMALIZER_OPTIONS.bodyFacing).toBe(true);
    expect(() => createPoseNormalizer({ scaleWindow: 0 })).toThrow(/scaleWindow must be an integer number of frames in 1\.\.10000/);
    expect(() => createPoseNormalizer({ bodyFacing: 'yes' as unknown as boolean })).toThrow(/bodyFacing must be true or false/);
  });

  it('normalizes exactly like features/skeleton normalizePose with the running median scale', () => {
    const n = createPoseNormalizer({ scaleWindow: 3 });
    expect(Number.isNaN(n.scale)).toBe(true);
    const s1 = bodyScale(pose(1));
    const out = new Float32Array(POSE_DIM);
    n.normalize(pose(1), out);
    expect(n.scale).toBeCloseTo(s1, 6);
    const want = normalizePose(pose(1), new Float32Array(POSE_DIM), { scale: s1, bodyFacing: true });
    expect(Array.from(out)).toEqual(Array.from(want));
    // Pelvis at the origin, hips along x (facing +z).
    expect(Math.abs(out[J.pelvis * 3]) + Math.abs(out[J.pelvis * 3 + 1]) + Math.abs(out[J.pelvis * 3 + 2])).toBeLessThan(1e-6);
    expect(out[J.l_hip * 3 + 2] - out[J.r_hip * 3 + 2]).toBeCloseTo(0, 6);
  });

  it('ignores a one-frame outlier in body scale (median of the window)', () => {
    const n = createPoseNormalizer({ scaleWindow: 5 });
    const out = new Float32Array(POSE_DIM);
    n.normalize(pose(1, 0.3), out);
    n.normalize(pose(1, -0.2), out);
    n.normalize(pose(3), out); // a bad frame three times too large
    expect(n.scale).toBeCloseTo(bodyScale(pose(1)), 5);
    // ... whose own output is divided by the median scale, not its own.
    const want = normalizePose(pose(3), new Float32Array(POSE_DIM), { scale: bodyScale(pose(1)), bodyFacing: true });
    for (let i = 0; i < POSE_DIM; i++) expect(out[i]).toBeCloseTo(want[i], 5);
  });

  it('follows a new scale once it fills half the window, and forgets on reset', () => {
    const n = createPoseNormalizer({ scaleWindow: 4 });
    const out = new Float32Array(POSE_DIM);
    for (let i = 0; i < 4; i++) n.normalize(pose(1), out);
    for (let i = 0; i < 3; i++) n.normalize(pose(2), out);
    expect(n.scale).toBeCloseTo(bodyScale(pose(2)), 5);
    n.reset();
    expect(Number.isNaN(n.scale)).toBe(true);
    n.normalize(pose(0.5), out);
    expect(n.scale).toBeCloseTo(bodyScale(pose(0.5)), 6);
  });

  it('gives the same normalized pose for a performer at any size (scale invariance of the camera pipeline)', () => {
    const w = new Float32Array(99);
    for (let i = 0; i < 99; i++) w[i] = Math.cos(0.9 * i) * 0.4;
    const a = createPoseNormalizer().normalize(mapBlazePoseTo23(w, new Float32Array(POSE_DIM)), new Float32Array(POSE_DIM));
    const big = w.map((v) => v * 1.8);
    const b = createPoseNormalizer().normalize(mapBlazePoseTo23(big, new Float32Array(POSE_DIM)), new Float32Array(POSE_DIM));
    for (let i = 0; i < POSE_DIM; i++) expect(b[i]).toBeCloseTo(a[i], 5);
  });

  it('refuses a degenerate first pose with a clear error', () => {
    expect(() => createPoseNormalizer().normalize(new Float32Array(POSE_DIM), new Float32Array(POSE_DIM))).toThrow(/no valid body scale/);
  });
});
