import { describe, expect, it } from 'vitest';
import { BONES, J, JOINT_NAMES, NUM_JOINTS, POSE_DIM, bodyScale, boneEndPosition, facingYaw, medianBodyScale, normalizePose } from './skeleton';

/** A T-pose facing +z: left side at +x, y up, pelvis at (10, 100, -5) cm. */
function tPose(): Float32Array {
  const p = new Float32Array(POSE_DIM);
  const set = (j: number, x: number, y: number, z: number) => p.set([x + 10, y + 100, z - 5], j * 3);
  set(J.pelvis, 0, 0, 0);
  set(J.head_low, 0, 55, 2); set(J.head_top, 0, 65, 0);
  for (const [side, s] of [['l', 1], ['r', -1]] as const) {
    set(J[`${side}_shoulder`], 18 * s, 45, 0); set(J[`${side}_elbow`], 48 * s, 45, 0);
    set(J[`${side}_wrist`], 73 * s, 45, 0); set(J[`${side}_hand`], 80 * s, 45, 0);
    set(J[`${side}_hip`], 10 * s, 0, 0); set(J[`${side}_knee`], 10 * s, -45, 0); set(J[`${side}_ankle`], 10 * s, -88, 0);
    set(J[`${side}_heel`], 10 * s, -95, -4); set(J[`${side}_toe`], 10 * s, -95, 14);
    set(J[`${side}_hand_tip`], 86 * s, 45, 0);
  }
  return p;
}

describe('23-joint layout', () => {
  it('names 23 joints and draws bones between valid ends', () => {
    expect(JOINT_NAMES.length).toBe(NUM_JOINTS);
    for (const [a, b] of BONES) for (const e of [a, b]) for (const j of typeof e === 'number' ? [e] : e) expect(j).toBeLessThan(23);
  });

  it('body scale is the mean of the scale bones: T-pose gives (4*30 + 4*25 + 4*45 + 43 ... )', () => {
    // upper arms 30, forearms 25, thighs 45, shins 43, shoulder width 36, hip width 20 -> (2*(30+25+45+43) + 36 + 20) / 10
    expect(bodyScale(tPose())).toBeCloseTo((2 * (30 + 25 + 45 + 43) + 36 + 20) / 10, 4);
    const two = new Float32Array(POSE_DIM * 2);
    two.set(tPose(), 0);
    two.set(tPose(), POSE_DIM);
    expect(medianBodyScale(two, 2)).toBeCloseTo(34.2, 4);
  });

  it('midpoint bone ends', () => {
    const out = [0, 0, 0];
    boneEndPosition(tPose(), [J.l_shoulder, J.r_shoulder], out);
    expect(out).toEqual([10, 145, -5]);
  });
});

describe('normalizePose', () => {
  it('puts the pelvis at the origin and divides by the scale', () => {
    const out = normalizePose(tPose(), new Float32Array(POSE_DIM), { scale: 10, bodyFacing: false });
    expect(Array.from(out.subarray(J.pelvis * 3, J.pelvis * 3 + 3))).toEqual([0, 0, 0]);
    expect(out[J.head_top * 3 + 1]).toBeCloseTo(6.5, 6);
  });

  it('turns a pose facing +x back to facing +z (left hip at +x, toes forward)', () => {
    // Rotate the T-pose by -90 degrees about y: (x, z) -> (-z, x)... facing +z becomes facing -x or +x; either way undo it.
    const p = tPose();
    const turned = new Float32Array(POSE_DIM);
    const yaw = 0.7;
    for (let j = 0; j < NUM_JOINTS; j++) {
      const x = p[j * 3] - 10;
      const z = p[j * 3 + 2] + 5;
      turned[j * 3] = x * Math.cos(yaw) - z * Math.sin(yaw);
      turned[j * 3 + 1] = p[j * 3 + 1];
      turned[j * 3 + 2] = x * Math.sin(yaw) + z * Math.cos(yaw);
    }
    expect(facingYaw(turned)).toBeCloseTo(yaw, 5);
    const n = normalizePose(turned, new Float32Array(POSE_DIM), { scale: 1, bodyFacing: true });
    const ref = normalizePose(p, new Float32Array(POSE_DIM), { scale: 1, bodyFacing: false });
    for (let i = 0; i < POSE_DIM; i++) expect(n[i]).toBeCloseTo(ref[i], 3);
    expect(n[J.l_hip * 3]).toBeGreaterThan(0);
    expect(n[J.l_toe * 3 + 2]).toBeGreaterThan(n[J.l_heel * 3 + 2]);
  });
});
