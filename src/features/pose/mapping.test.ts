import { describe, expect, it } from 'vitest';
import { bodyScale, facingYaw, J, POSE_DIM } from '../skeleton';
import { BP, HEAD_SPREAD, mapBlazePoseTo23, PELVIS_LIFT } from './mapping';

/**
 * A hand-made BlazePose world pose (metres, BlazePose axes: x toward the image's right, y down, z away from the
 * camera) of a performer standing square to the camera, arms hanging: their left side is on the image's right (+x),
 * the toes and nose point at the camera (-z).
 */
function facingCameraPose(): Float32Array {
  const w = new Float32Array(99);
  const set = (i: number, x: number, y: number, z: number): void => {
    w.set([x, y, z], i * 3);
  };
  set(BP.nose, 0, -0.62, -0.1);
  set(BP.left_ear, 0.07, -0.65, 0.02);
  set(BP.right_ear, -0.07, -0.65, 0.02);
  for (const [side, s] of [['left', 1], ['right', -1]] as const) {
    set(BP[`${side}_shoulder`], 0.18 * s, -0.5, 0);
    set(BP[`${side}_elbow`], 0.25 * s, -0.25, 0);
    set(BP[`${side}_wrist`], 0.3 * s, 0, 0);
    set(BP[`${side}_index`], 0.31 * s, 0.08, -0.02);
    set(BP[`${side}_pinky`], 0.29 * s, 0.07, 0.02);
    set(BP[`${side}_thumb`], 0.31 * s, 0.04, -0.04);
    set(BP[`${side}_hip`], 0.1 * s, 0, 0);
    set(BP[`${side}_knee`], 0.1 * s, 0.45, 0);
    set(BP[`${side}_ankle`], 0.1 * s, 0.9, 0);
    set(BP[`${side}_heel`], 0.1 * s, 0.95, 0.05);
    set(BP[`${side}_foot_index`], 0.1 * s, 0.97, -0.12);
  }
  return w;
}

/** Turns a BlazePose-axes pose about the vertical (y) axis by `angle` radians. */
function turn(w: Float32Array, angle: number): Float32Array {
  const out = new Float32Array(w.length);
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  for (let i = 0; i < w.length; i += 3) {
    out[i] = w[i] * c + w[i + 2] * s;
    out[i + 1] = w[i + 1];
    out[i + 2] = -w[i] * s + w[i + 2] * c;
  }
  return out;
}

const joint = (p: Float32Array, j: number): number[] => Array.from(p.subarray(j * 3, j * 3 + 3));

describe('mapBlazePoseTo23', () => {
  const pose = mapBlazePoseTo23(facingCameraPose(), new Float32Array(POSE_DIM));

  it('turns BlazePose axes into ours: y up, the performer facing the camera faces +z with the left at +x', () => {
    expect(joint(pose, J.l_hip)).toEqual([expect.closeTo(0.1, 6), expect.closeTo(0, 6), expect.closeTo(0, 6)]);
    expect(pose[J.r_hip * 3]).toBeCloseTo(-0.1, 6);
    expect(pose[J.l_shoulder * 3 + 1]).toBeCloseTo(0.5, 6); // above the hips
    expect(pose[J.l_ankle * 3 + 1]).toBeCloseTo(-0.9, 6); // below
    expect(pose[J.l_toe * 3 + 2]).toBeCloseTo(0.12, 6); // toes point to +z (the way the performer faces)
    expect(pose[J.l_heel * 3 + 2]).toBeCloseTo(-0.05, 6);
    expect(facingYaw(pose)).toBeCloseTo(0, 9);
  });

  it('maps every joint as documented', () => {
    expect(joint(pose, J.r_shoulder)).toEqual([-0.18, 0.5, -0].map((v) => expect.closeTo(v, 6)));
    expect(joint(pose, J.l_elbow)).toEqual([0.25, 0.25, 0].map((v) => expect.closeTo(v, 6)));
    expect(joint(pose, J.l_wrist)).toEqual([0.3, 0, 0].map((v) => expect.closeTo(v, 6)));
    expect(joint(pose, J.l_knee)).toEqual([0.1, -0.45, 0].map((v) => expect.closeTo(v, 6)));
    // Hands: mean of index and pinky.
    expect(joint(pose, J.l_hand)).toEqual([0.3, -0.075, 0].map((v) => expect.closeTo(v, 6)));
    expect(joint(pose, J.r_hand)).toEqual([-0.3, -0.075, 0].map((v) => expect.closeTo(v, 6)));
    // Hand tips: left thumb, right index.
    expect(joint(pose, J.l_hand_tip)).toEqual([0.31, -0.04, 0.04].map((v) => expect.closeTo(v, 6)));
    expect(joint(pose, J.r_hand_tip)).toEqual([-0.31, -0.08, 0.02].map((v) => expect.closeTo(v, 6)));
    // Head: right ear (head_low) and left ear (head_top) pulled toward their midpoint.
    expect(joint(pose, J.head_low)).toEqual([-0.07 * HEAD_SPREAD, 0.65, -0.02].map((v) => expect.closeTo(v, 6)));
    expect(joint(pose, J.head_top)).toEqual([0.07 * HEAD_SPREAD, 0.65, -0.02].map((v) => expect.closeTo(v, 6)));
    // Pelvis: from the hip midpoint toward the shoulder midpoint.
    expect(joint(pose, J.pelvis)).toEqual([0, 0.5 * PELVIS_LIFT, 0].map((v) => expect.closeTo(v, 6)));
  });

  it('follows a turning performer: facing yaw equals the turn', () => {
    for (const angle of [0.5, -1.2, 2.5]) {
      const p = mapBlazePoseTo23(turn(facingCameraPose(), angle), new Float32Array(POSE_DIM));
      // A turn by `angle` about BlazePose's y (down) is a turn by -angle about our y (up); facingYaw undoes it.
      expect(facingYaw(p)).toBeCloseTo(angle, 5);
      expect(bodyScale(p)).toBeCloseTo(bodyScale(pose), 5);
    }
  });

  it('rejects short buffers', () => {
    expect(() => mapBlazePoseTo23(new Float32Array(98), new Float32Array(POSE_DIM))).toThrow(/need 99 values/);
    expect(() => mapBlazePoseTo23(new Float32Array(99), new Float32Array(68))).toThrow(/out needs 69 values/);
  });
});
