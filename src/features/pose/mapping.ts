/**
 * BlazePose 33 landmarks -> the 23-joint layout of features/skeleton.ts, in our axes.
 *
 * Axes. BlazePose world landmarks are metres with the origin between the hips, x toward the image's right, y down and
 * z away from the camera (checked on pose_squats: the performer faces the camera, the left hip has the larger image x
 * and positive world x, the nose has negative world y and negative z). Ours: y up, right-handed, a performer facing +z
 * has the left side at +x. Turning BlazePose's axes 180 degrees about x, (x, y, z) -> (x, -y, -z), gives exactly that:
 * the performer facing the camera faces +z with the left side at +x. (A mirrored selfie image would swap the sides:
 * feed BlazePose the unmirrored camera frame.)
 *
 * Joint choices, with the dance data's geometry measured on DANCE_* skeletons (cm; body scale ~31 cm) against
 * BlazePose full on pose_squats (see mapping.test.ts and the pose reference browser test):
 * - 0 head_low, 1 head_top: in the data these two head points sit side by side, ~19 cm above the shoulder midpoint,
 *   10 cm apart (0.34 body scale), head_low on the performer's right and head_top on the left. BlazePose's ears are at
 *   the same height, 0.46 body scale apart: we use the right / left ear, pulled toward their midpoint to 0.74 of
 *   their spacing (0.34 / 0.46).
 * - 2 pelvis: the data's pelvis is ~11 cm (0.37 body scale) above the hip midpoint, toward the neck; BlazePose's hips
 *   are joint centres, neck - hip midpoint 1.62 body scale: pelvis = hip midpoint + 0.23 (neck - hip midpoint).
 * - shoulders, elbows, wrists, hips, knees, ankles, heels: the same-named BlazePose landmarks.
 * - 6 r_hand / 15 l_hand: mean of the index and pinky landmarks (the knuckle line).
 * - 11 r_toe / 20 l_toe: foot index.
 * - 21 l_hand_tip: in the data it sits 4 cm from the left wrist: the left thumb landmark.
 * - 22 r_hand_tip: in the data it sits 4-5 cm from the right hand, 12 cm from the wrist: the right index landmark.
 */
import { J, POSE_DIM } from '../skeleton';
import { BLAZEPOSE_NUM_KEYPOINTS } from './types';

/** BlazePose landmark indices (pose-detection / @mediapipe/pose order). */
export const BP = Object.freeze({
  nose: 0, left_eye_inner: 1, left_eye: 2, left_eye_outer: 3, right_eye_inner: 4, right_eye: 5, right_eye_outer: 6,
  left_ear: 7, right_ear: 8, mouth_left: 9, mouth_right: 10, left_shoulder: 11, right_shoulder: 12,
  left_elbow: 13, right_elbow: 14, left_wrist: 15, right_wrist: 16, left_pinky: 17, right_pinky: 18,
  left_index: 19, right_index: 20, left_thumb: 21, right_thumb: 22, left_hip: 23, right_hip: 24,
  left_knee: 25, right_knee: 26, left_ankle: 27, right_ankle: 28, left_heel: 29, right_heel: 30,
  left_foot_index: 31, right_foot_index: 32,
} as const);

/** Fraction of the ear spacing kept for head_low / head_top (dance data 0.34 / BlazePose 0.46 body scale). */
export const HEAD_SPREAD = 0.74;
/** Pelvis position between the hip midpoint (0) and the shoulder midpoint (1). */
export const PELVIS_LIFT = 0.23;

/** Joints copied one to one: [our joint, BlazePose landmark]. */
export const DIRECT_JOINTS: readonly (readonly [number, number])[] = Object.freeze([
  [J.r_shoulder, BP.right_shoulder], [J.r_elbow, BP.right_elbow], [J.r_wrist, BP.right_wrist],
  [J.r_hip, BP.right_hip], [J.r_knee, BP.right_knee], [J.r_ankle, BP.right_ankle],
  [J.r_heel, BP.right_heel], [J.r_toe, BP.right_foot_index],
  [J.l_shoulder, BP.left_shoulder], [J.l_elbow, BP.left_elbow], [J.l_wrist, BP.left_wrist],
  [J.l_hip, BP.left_hip], [J.l_knee, BP.left_knee], [J.l_ankle, BP.left_ankle],
  [J.l_heel, BP.left_heel], [J.l_toe, BP.left_foot_index],
  [J.l_hand_tip, BP.left_thumb], [J.r_hand_tip, BP.right_index],
] as const);

/** Hands: [our joint, BlazePose index, BlazePose pinky]. */
const HAND_JOINTS: readonly (readonly [number, number, number])[] = Object.freeze([
  [J.r_hand, BP.right_index, BP.right_pinky], [J.l_hand, BP.left_index, BP.left_pinky],
] as const);

/**
 * Maps 33 BlazePose world landmarks (99 values, BlazePose axes) to our 23 joints (69 values, y up, left at +x when
 * facing +z, same units) into `out`, and returns `out`. `out` must not alias `world33`.
 */
export function mapBlazePoseTo23(world33: ArrayLike<number>, out: Float32Array): Float32Array {
  if (world33.length < BLAZEPOSE_NUM_KEYPOINTS * 3) throw new Error(`mapBlazePoseTo23: need ${BLAZEPOSE_NUM_KEYPOINTS * 3} values (got ${world33.length})`);
  if (out.length < POSE_DIM) throw new Error(`mapBlazePoseTo23: out needs ${POSE_DIM} values (got ${out.length})`);
  const w = world33;
  // Axis change (x, y, z) -> (x, -y, -z), written per joint.
  const put = (j: number, x: number, y: number, z: number): void => {
    out[j * 3] = x;
    out[j * 3 + 1] = -y;
    out[j * 3 + 2] = -z;
  };
  for (const [j, b] of DIRECT_JOINTS) put(j, w[b * 3], w[b * 3 + 1], w[b * 3 + 2]);
  // Hands: mean of index and pinky.
  for (const [j, idx, pinky] of HAND_JOINTS) {
    put(j, (w[idx * 3] + w[pinky * 3]) / 2, (w[idx * 3 + 1] + w[pinky * 3 + 1]) / 2, (w[idx * 3 + 2] + w[pinky * 3 + 2]) / 2);
  }
  // Head: ears pulled toward their midpoint.
  const le = BP.left_ear * 3;
  const re = BP.right_ear * 3;
  for (let c = 0; c < 3; c++) {
    const mid = (w[le + c] + w[re + c]) / 2;
    const sign = c === 0 ? 1 : -1;
    out[J.head_low * 3 + c] = sign * (mid + HEAD_SPREAD * (w[re + c] - mid));
    out[J.head_top * 3 + c] = sign * (mid + HEAD_SPREAD * (w[le + c] - mid));
  }
  // Pelvis: up from the hip midpoint toward the shoulder midpoint.
  const lh = BP.left_hip * 3;
  const rh = BP.right_hip * 3;
  const ls = BP.left_shoulder * 3;
  const rs = BP.right_shoulder * 3;
  for (let c = 0; c < 3; c++) {
    const hip = (w[lh + c] + w[rh + c]) / 2;
    const neck = (w[ls + c] + w[rs + c]) / 2;
    out[J.pelvis * 3 + c] = (c === 0 ? 1 : -1) * (hip + PELVIS_LIFT * (neck - hip));
  }
  return out;
}
