/**
 * The 23-joint body layout of the Dance with Melody data, shared by training, the models, the camera mapping and the
 * renderer, and the one normalization every pose goes through (root-relative, body scale, optional body facing).
 *
 * Joint sides were read from the data (DANCE_R_3, DANCE_C_2, DANCE_W_1): knees bend toward the side where
 * up x (joint 7 - joint 16) points, so joints 3-11 are the performer's right and 12-20 the left; of the two foot points,
 * 11/20 lie further from the ankle (toe) and 10/19 nearer (heel); joint 1 is above joint 0 (top of head / lower head).
 * Coordinates: y up, right-handed. A performer facing +z (toward a default three.js camera) has the left side at +x.
 */

export const JOINT_NAMES = Object.freeze([
  'head_low', 'head_top', 'pelvis',
  'r_shoulder', 'r_elbow', 'r_wrist', 'r_hand', 'r_hip', 'r_knee', 'r_ankle', 'r_heel', 'r_toe',
  'l_shoulder', 'l_elbow', 'l_wrist', 'l_hand', 'l_hip', 'l_knee', 'l_ankle', 'l_heel', 'l_toe',
  'l_hand_tip', 'r_hand_tip',
] as const);

export type JointName = (typeof JOINT_NAMES)[number];
export const NUM_JOINTS = 23;
/** Values per pose frame (23 joints x xyz). */
export const POSE_DIM = NUM_JOINTS * 3;

/** Joint index by name. */
export const J = Object.freeze(Object.fromEntries(JOINT_NAMES.map((n, i) => [n, i])) as Record<JointName, number>);

/** A bone end: a joint index, or the midpoint of two joints. */
export type BoneEnd = number | readonly [number, number];

const NECK: BoneEnd = [J.r_shoulder, J.l_shoulder];
const HEAD_MID: BoneEnd = [J.head_low, J.head_top];

/** Bones as drawn by the dataset's own script (midpoints where it uses them). */
export const BONES: readonly (readonly [BoneEnd, BoneEnd])[] = Object.freeze([
  [J.head_low, J.head_top], [HEAD_MID, NECK],
  [J.r_shoulder, NECK], [J.r_shoulder, J.r_elbow], [J.r_elbow, J.r_wrist], [J.r_wrist, J.r_hand],
  [J.l_shoulder, NECK], [J.l_shoulder, J.l_elbow], [J.l_elbow, J.l_wrist], [J.l_wrist, J.l_hand],
  [J.pelvis, NECK],
  [J.pelvis, J.r_hip], [J.r_hip, J.r_knee], [J.r_knee, J.r_ankle], [J.r_ankle, [J.r_heel, J.r_toe]], [J.r_heel, J.r_toe],
  [J.pelvis, J.l_hip], [J.l_hip, J.l_knee], [J.l_knee, J.l_ankle], [J.l_ankle, [J.l_heel, J.l_toe]], [J.l_heel, J.l_toe],
] as const);

/** Bones whose mean length defines the body scale (limbs and shoulder/hip width: little affected by posture). */
export const SCALE_BONES: readonly (readonly [number, number])[] = Object.freeze([
  [J.r_shoulder, J.r_elbow], [J.r_elbow, J.r_wrist], [J.l_shoulder, J.l_elbow], [J.l_elbow, J.l_wrist],
  [J.r_hip, J.r_knee], [J.r_knee, J.r_ankle], [J.l_hip, J.l_knee], [J.l_knee, J.l_ankle],
  [J.r_shoulder, J.l_shoulder], [J.r_hip, J.l_hip],
] as const);

/** Reads a bone end's position from a pose (23x3 flat) into `out` (length >= 3). */
export function boneEndPosition(pose: ArrayLike<number>, end: BoneEnd, out: Float32Array | number[], offset = 0): void {
  if (typeof end === 'number') {
    out[offset] = pose[end * 3];
    out[offset + 1] = pose[end * 3 + 1];
    out[offset + 2] = pose[end * 3 + 2];
  } else {
    const a = end[0] * 3;
    const b = end[1] * 3;
    out[offset] = (pose[a] + pose[b]) / 2;
    out[offset + 1] = (pose[a + 1] + pose[b + 1]) / 2;
    out[offset + 2] = (pose[a + 2] + pose[b + 2]) / 2;
  }
}

/** Distance between joints a and b of a flat pose. */
export function jointDistance(pose: ArrayLike<number>, a: number, b: number): number {
  const dx = pose[a * 3] - pose[b * 3];
  const dy = pose[a * 3 + 1] - pose[b * 3 + 1];
  const dz = pose[a * 3 + 2] - pose[b * 3 + 2];
  return Math.sqrt(dx * dx + dy * dy + dz * dz);
}

/** Sum over the first `numJoints` joints of each joint's distance between two flat poses (units of the poses). */
export function sumJointDisplacement(a: ArrayLike<number>, b: ArrayLike<number>, numJoints = NUM_JOINTS): number {
  let s = 0;
  for (let j = 0; j < numJoints; j++) {
    const dx = a[j * 3] - b[j * 3];
    const dy = a[j * 3 + 1] - b[j * 3 + 1];
    const dz = a[j * 3 + 2] - b[j * 3 + 2];
    s += Math.sqrt(dx * dx + dy * dy + dz * dz);
  }
  return s;
}

/** Body scale of one pose: the mean length of {@link SCALE_BONES}, in the pose's units. */
export function bodyScale(pose: ArrayLike<number>): number {
  let s = 0;
  for (const [a, b] of SCALE_BONES) s += jointDistance(pose, a, b);
  return s / SCALE_BONES.length;
}

/** Median of {@link bodyScale} over the frames of a flat pose sequence (numFrames x 69). */
export function medianBodyScale(poses: Float32Array, numFrames: number): number {
  const v = new Float64Array(numFrames);
  for (let i = 0; i < numFrames; i++) v[i] = bodyScale(poses.subarray(i * POSE_DIM, (i + 1) * POSE_DIM));
  v.sort();
  return v[Math.floor(numFrames / 2)];
}

/** Yaw (radians, about +y) that turns a pose so its hips face +z (left hip toward +x). */
export function facingYaw(pose: ArrayLike<number>): number {
  const hx = pose[J.l_hip * 3] - pose[J.r_hip * 3];
  const hz = pose[J.l_hip * 3 + 2] - pose[J.r_hip * 3 + 2];
  // Rotating by +theta about y maps (x, z) to (x cos + z sin, -x sin + z cos); choose theta so the hip vector lands on +x.
  return Math.atan2(hz, hx);
}

/** Options for {@link normalizePose}. */
export interface NormalizeOptions {
  /** Body scale of this performer (same units as the input pose); see {@link bodyScale}. */
  scale: number;
  /** Turn the pose about the vertical axis so that the hips face +z. */
  bodyFacing: boolean;
}

/**
 * Normalizes one pose (23x3 flat, y up) into `out`: pelvis at the origin, divided by `scale`, and optionally turned
 * so that the hips face +z. `out` may alias `pose`.
 */
export function normalizePose(pose: ArrayLike<number>, out: Float32Array, options: NormalizeOptions): Float32Array {
  const px = pose[J.pelvis * 3];
  const py = pose[J.pelvis * 3 + 1];
  const pz = pose[J.pelvis * 3 + 2];
  const inv = 1 / options.scale;
  let c = 1;
  let s = 0;
  if (options.bodyFacing) {
    const yaw = facingYaw(pose);
    c = Math.cos(yaw);
    s = Math.sin(yaw);
  }
  for (let j = 0; j < NUM_JOINTS; j++) {
    const x = (pose[j * 3] - px) * inv;
    const y = (pose[j * 3 + 1] - py) * inv;
    const z = (pose[j * 3 + 2] - pz) * inv;
    out[j * 3] = x * c + z * s;
    out[j * 3 + 1] = y;
    out[j * 3 + 2] = -x * s + z * c;
  }
  return out;
}
