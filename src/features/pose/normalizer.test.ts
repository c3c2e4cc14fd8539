import { describe, expect, it } from 'vitest';
import { bodyScale, facingYaw, J, normalizePose, POSE_DIM } from '../skeleton';
import { mapBlazePoseTo23 } from './mapping';
import { createPoseNormalizer, DEFAULT_POSE_NORMALIZER_OPTIONS } from './normalizer';
import { DATASET_BONE_LENGTHS, measureBoneLengths, NUM_RETARGET_BONES, retargetPose } from './retarget';

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
    expect(DEFAULT_POSE_NORMALIZER_OPTIONS.boneLengths).toBe('dataset');
    expect(DEFAULT_POSE_NORMALIZER_OPTIONS.boneWindow).toBe(75);
    expect(Object.isFrozen(createPoseNormalizer().options)).toBe(true);
    expect(() => createPoseNormalizer({ scaleWindow: 0 })).toThrow(/scaleWindow must be an integer number of frames in 1\.\.10000/);
    expect(() => createPoseNormalizer({ bodyFacing: 'yes' as unknown as boolean })).toThrow(/bodyFacing must be true or false/);
    expect(() => createPoseNormalizer({ boneLengths: 'rigid' as never })).toThrow(/boneLengths must be one of dataset, median, off \(got rigid\)/);
    expect(() => createPoseNormalizer({ boneWindow: 2.5 })).toThrow(/boneWindow must be an integer number of frames in 1\.\.10000/);
  });

  it('normalizes exactly like features/skeleton normalizePose with the running median scale', () => {
    const n = createPoseNormalizer({ scaleWindow: 3, boneLengths: 'off' });
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
    const n = createPoseNormalizer({ scaleWindow: 5, boneLengths: 'off' });
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

  /** pose(1) with r_wrist -> r_hand stretched 2.5x along its direction (not a body-scale bone), the hand tip following. */
  function stretchedHand(): Float32Array {
    const p = pose(1);
    const d = [0, 1, 2].map((c) => 1.5 * (p[J.r_hand * 3 + c] - p[J.r_wrist * 3 + c]));
    for (const j of [J.r_hand, J.r_hand_tip]) for (let c = 0; c < 3; c++) p[j * 3 + c] += d[c];
    return p;
  }

  function lengths(p: Float32Array): Float64Array {
    return measureBoneLengths(p, new Float64Array(NUM_RETARGET_BONES));
  }

  it('retargets to the dataset proportions: a stretched bone gets the dataset length and keeps its direction', () => {
    const n = createPoseNormalizer({ bodyFacing: false });
    const out = new Float32Array(POSE_DIM);
    for (let i = 0; i < 3; i++) n.normalize(pose(1), out);
    const plain = Float32Array.from(out);
    const s = pose(1);
    const p = stretchedHand();
    n.normalize(p, out);
    // Golden: every bone has the training skeleton's length in body scales (r_wrist -> r_hand 0.5179).
    const l = lengths(out);
    expect(l[5]).toBeCloseTo(0.5179, 5);
    for (let b = 0; b < NUM_RETARGET_BONES; b++) expect(l[b], `bone ${b}`).toBeCloseTo(DATASET_BONE_LENGTHS[b], 5);
    // Same pose as without the stretch, and every joint bone keeps its input direction (no turn: bodyFacing false).
    for (let i = 0; i < POSE_DIM; i++) expect(out[i], `value ${i}`).toBeCloseTo(plain[i], 5);
    for (const [a, b] of [[J.r_elbow, J.r_wrist], [J.r_wrist, J.r_hand], [J.l_knee, J.l_ankle], [J.l_wrist, J.l_hand_tip]]) {
      const u = [0, 1, 2].map((c) => p[b * 3 + c] - p[a * 3 + c]);
      const w = [0, 1, 2].map((c) => out[b * 3 + c] - out[a * 3 + c]);
      expect((u[0] * w[0] + u[1] * w[1] + u[2] * w[2]) / (Math.hypot(...u) * Math.hypot(...w)), `bone ${a}-${b}`).toBeCloseTo(1, 5);
    }
    expect(n.scale).toBeCloseTo(bodyScale(s), 6); // the stretched bone is not a body-scale bone
  });

  it('leaves a pose that already has the dataset proportions unchanged (up to position, size and facing)', () => {
    // o: pelvis at the origin, dataset bone lengths, hips along x.
    const o = createPoseNormalizer().normalize(pose(1), new Float32Array(POSE_DIM));
    expect(Math.abs(facingYaw(o))).toBeLessThan(1e-6);
    // The same pose 1.7 times larger, turned 0.6 rad about y and moved.
    const c = Math.cos(0.6);
    const sn = Math.sin(0.6);
    const moved = new Float32Array(POSE_DIM);
    for (let j = 0; j < 23; j++) {
      const [x, y, z] = [o[j * 3], o[j * 3 + 1], o[j * 3 + 2]];
      moved.set([1.7 * (x * c + z * sn) + 0.3, 1.7 * y - 0.2, 1.7 * (-x * sn + z * c) + 2], j * 3);
    }
    const back = createPoseNormalizer().normalize(moved, new Float32Array(POSE_DIM));
    for (let i = 0; i < POSE_DIM; i++) expect(back[i], `value ${i}`).toBeCloseTo(o[i], 5);
  });

  it('keeps the training frame after retargeting: pelvis at the origin, hips along +x; out may alias the input', () => {
    const p = stretchedHand();
    const out = createPoseNormalizer().normalize(p, new Float32Array(POSE_DIM));
    expect(Math.abs(out[J.pelvis * 3]) + Math.abs(out[J.pelvis * 3 + 1]) + Math.abs(out[J.pelvis * 3 + 2])).toBeLessThan(1e-6);
    expect(out[J.l_hip * 3 + 2] - out[J.r_hip * 3 + 2]).toBeCloseTo(0, 6);
    expect(out[J.l_hip * 3]).toBeGreaterThan(out[J.r_hip * 3]);
    const same = createPoseNormalizer().normalize(p, p);
    expect(same).toBe(p);
    expect(Array.from(same)).toEqual(Array.from(out));
  });

  it('median mode: steady bones pass unchanged, a one-frame stretch gets the median length, reset forgets', () => {
    const n = createPoseNormalizer({ boneLengths: 'median', boneWindow: 5 });
    const out = new Float32Array(POSE_DIM);
    const plain = normalizePose(pose(1), new Float32Array(POSE_DIM), { scale: bodyScale(pose(1)), bodyFacing: true });
    for (let i = 0; i < 3; i++) n.normalize(pose(1), out);
    for (let i = 0; i < POSE_DIM; i++) expect(out[i], `value ${i}`).toBeCloseTo(plain[i], 5);
    n.normalize(stretchedHand(), out);
    for (let i = 0; i < POSE_DIM; i++) expect(out[i], `value ${i}`).toBeCloseTo(plain[i], 5);
    // Five stretched frames make the stretch the median ...
    for (let i = 0; i < 5; i++) n.normalize(stretchedHand(), out);
    const stretched = lengths(normalizePose(stretchedHand(), new Float32Array(POSE_DIM), { scale: bodyScale(pose(1)), bodyFacing: true }));
    n.normalize(pose(1), out);
    expect(lengths(out)[5]).toBeCloseTo(stretched[5], 5);
    expect(stretched[5] / lengths(plain)[5]).toBeCloseTo(2.5, 4);
    // ... until reset: then the next pose keeps its own lengths.
    n.reset();
    expect(Number.isNaN(n.scale)).toBe(true);
    n.normalize(pose(1), out);
    for (let i = 0; i < POSE_DIM; i++) expect(out[i], `value ${i}`).toBeCloseTo(plain[i], 5);
  });

  it('off mode is plain normalizePose with the running median scale', () => {
    const p = stretchedHand();
    const out = createPoseNormalizer({ boneLengths: 'off' }).normalize(p, new Float32Array(POSE_DIM));
    expect(Array.from(out)).toEqual(Array.from(normalizePose(p, new Float32Array(POSE_DIM), { scale: bodyScale(p), bodyFacing: true })));
  });

  it('refuses a degenerate first pose with a clear error', () => {
    expect(() => createPoseNormalizer().normalize(new Float32Array(POSE_DIM), new Float32Array(POSE_DIM))).toThrow(/no valid body scale/);
  });
});
