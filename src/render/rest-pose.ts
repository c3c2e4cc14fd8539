/** A neutral standing pose in the normalized frame (pelvis at origin, body-scale units, y up, facing +z). */
import { bodyScale, J, normalizePose, NUM_JOINTS, POSE_DIM, type JointName } from '../features/skeleton';

/** Standing pose in centimetres (performer facing +z, left side at +x). */
const REST_CM: Readonly<Record<JointName, readonly [number, number, number]>> = Object.freeze({
  head_low: [0, 158, 2], head_top: [0, 175, 0], pelvis: [0, 95, 0],
  r_shoulder: [-19, 145, 0], r_elbow: [-23, 117, -1], r_wrist: [-25, 92, 2], r_hand: [-25, 84, 3],
  r_hip: [-10, 93, 0], r_knee: [-11, 50, 2], r_ankle: [-11, 8, 0], r_heel: [-11, 2, -5], r_toe: [-11, 2, 14],
  l_shoulder: [19, 145, 0], l_elbow: [23, 117, -1], l_wrist: [25, 92, 2], l_hand: [25, 84, 3],
  l_hip: [10, 93, 0], l_knee: [11, 50, 2], l_ankle: [11, 8, 0], l_heel: [11, 2, -5], l_toe: [11, 2, 14],
  l_hand_tip: [25, 76, 4], r_hand_tip: [-25, 76, 4],
});

/** Builds the rest pose (23x3 flat, normalized). */
export function restPose(out = new Float32Array(POSE_DIM)): Float32Array {
  const cm = new Float32Array(POSE_DIM);
  for (const [name, p] of Object.entries(REST_CM) as [JointName, readonly number[]][]) {
    cm.set(p, J[name] * 3);
  }
  return normalizePose(cm, out, { scale: bodyScale(cm), bodyFacing: false });
}

/** Height of the lowest joint of a normalized pose (negative: below the pelvis). */
export function lowestY(pose: ArrayLike<number>): number {
  let m = Infinity;
  for (let j = 0; j < NUM_JOINTS; j++) m = Math.min(m, pose[j * 3 + 1]);
  return m;
}
