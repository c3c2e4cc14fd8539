/**
 * Bone-length retargeting of 23-joint poses: walks the skeleton tree from the pelvis, keeps every bone's direction
 * from the input pose and sets its length to a given value. Used by the pose normalizer (normalizer.ts) on camera
 * poses, whose BlazePose world landmarks stretch and shrink bones from frame to frame (noisy depth).
 *
 * Bones are features/skeleton BONES (same indices 0..20) followed by the two hand tips, which BONES does not draw:
 * 21 = l_wrist -> l_hand_tip, 22 = r_hand -> r_hand_tip (the joints the dance data keeps them closest to, and the
 * joints the camera mapping derives them from). Bones whose end is a midpoint are set as pairs: the midpoint (neck,
 * head centre, foot centre) is placed from its parent, then its two joints symmetrically about it, so the midpoint of
 * the output pair is the retargeted midpoint and both halves of a pair get the same length:
 * - neck = m(r_shoulder, l_shoulder): from the pelvis (bone 10); shoulders at +-half width (mean of bones 2 and 6).
 * - head centre = m(head_low, head_top): from the neck (bone 1); head points at +-half of bone 0.
 * - foot centre = m(heel, toe): from the ankle (bones 14 / 19); heel and toe at +-half of bone 15 / 20.
 * Lengths are in the pose's units; nothing is allocated per call.
 */
import { BONES, J, POSE_DIM, type BoneEnd } from '../skeleton';

/** Bones set by {@link retargetPose}: BONES, then l_wrist -> l_hand_tip and r_hand -> r_hand_tip. */
export const RETARGET_BONES: readonly (readonly [BoneEnd, BoneEnd])[] = Object.freeze([
  ...BONES,
  [J.l_wrist, J.l_hand_tip],
  [J.r_hand, J.r_hand_tip],
] as const);
export const NUM_RETARGET_BONES = RETARGET_BONES.length;

/**
 * Bone lengths of the Dance with Melody training skeletons, in body scales (features/skeleton bodyScale), indexed like
 * {@link RETARGET_BONES}: per training dance (training/lib/dance-data splitDances: 33 dances, the held-out 6 excluded)
 * the median over frames of the bone length divided by the dance's median body scale ({@link medianBoneLengths}), then
 * the mean over the dances. Checked against the data by tests/data/pose-retarget.test.ts. The dancers' own
 * proportions spread around these (e.g. bone 11 pelvis -> r_hip about 0.49..0.70 across dances), and the data's joints are
 * not anatomical joint centres (e.g. r_elbow -> r_wrist is 0.39 body scales, ~12 cm).
 */
export const DATASET_BONE_LENGTHS: readonly number[] = Object.freeze([
  0.3734, 0.5887, 0.4736, 0.9949, 0.3902, 0.5179, 0.4736, 0.9565, 0.6094, 0.4292,
  1.0649, 0.6678, 1.5604, 1.1013, 0.3920, 0.7417, 0.6752, 1.6253, 1.1030, 0.3226,
  0.7874, 0.2180, 0.1642,
]);

/** Writes the length of every {@link RETARGET_BONES} bone of `pose` (23x3 flat) into `out` and returns it. */
export function measureBoneLengths<T extends Float32Array | Float64Array>(pose: ArrayLike<number>, out: T): T {
  for (let i = 0; i < NUM_RETARGET_BONES; i++) out[i] = boneLength(pose, RETARGET_BONES[i][0], RETARGET_BONES[i][1]);
  return out;
}

/**
 * Per bone of {@link RETARGET_BONES}: the median over `numFrames` poses (numFrames x 69) of its length divided by
 * `scale` (e.g. the sequence's features/skeleton medianBodyScale). Offline helper (allocates).
 */
export function medianBoneLengths(poses: Float32Array, numFrames: number, scale: number): Float64Array {
  const out = new Float64Array(NUM_RETARGET_BONES);
  const v = new Float64Array(numFrames);
  for (let b = 0; b < NUM_RETARGET_BONES; b++) {
    for (let f = 0; f < numFrames; f++) v[f] = boneLength(poses.subarray(f * POSE_DIM, (f + 1) * POSE_DIM), RETARGET_BONES[b][0], RETARGET_BONES[b][1]);
    v.sort();
    const m = numFrames >> 1;
    out[b] = (numFrames % 2 === 1 ? v[m] : (v[m - 1] + v[m]) / 2) / scale;
  }
  return out;
}

function boneLength(pose: ArrayLike<number>, a: BoneEnd, b: BoneEnd): number {
  const ax = endCoord(pose, a, 0);
  const ay = endCoord(pose, a, 1);
  const az = endCoord(pose, a, 2);
  return Math.hypot(endCoord(pose, b, 0) - ax, endCoord(pose, b, 1) - ay, endCoord(pose, b, 2) - az);
}

function endCoord(pose: ArrayLike<number>, e: BoneEnd, c: number): number {
  return typeof e === 'number' ? pose[e * 3 + c] : (pose[e[0] * 3 + c] + pose[e[1] * 3 + c]) / 2;
}

/** One step of the tree walk: place `child` (a joint) at `parent` + length x direction. */
interface JointStep {
  readonly parent: BoneEnd;
  readonly child: number;
  readonly bone: number;
}

/** Place the midpoint of joints a and b from `parent` (bone `bone`), then a and b at +-half of the spread bones' mean. */
interface PairStep {
  readonly parent: BoneEnd;
  readonly a: number;
  readonly b: number;
  readonly bone: number;
  /** Bones whose mean length is the half-spread... */
  readonly halfBones: readonly number[];
  /** ... times this factor (1 for [joint, midpoint] bones, 0.5 for [a, b] bones). */
  readonly halfFactor: number;
}

type Step = ({ readonly pair: false } & JointStep) | ({ readonly pair: true } & PairStep);

const NECK: BoneEnd = [J.r_shoulder, J.l_shoulder];

/** Walk order: every parent is placed before its children. */
const STEPS: readonly Step[] = Object.freeze([
  { pair: true, parent: J.pelvis, a: J.r_shoulder, b: J.l_shoulder, bone: 10, halfBones: [2, 6], halfFactor: 1 },
  { pair: true, parent: NECK, a: J.head_low, b: J.head_top, bone: 1, halfBones: [0], halfFactor: 0.5 },
  { pair: false, parent: J.r_shoulder, child: J.r_elbow, bone: 3 },
  { pair: false, parent: J.r_elbow, child: J.r_wrist, bone: 4 },
  { pair: false, parent: J.r_wrist, child: J.r_hand, bone: 5 },
  { pair: false, parent: J.r_hand, child: J.r_hand_tip, bone: 22 },
  { pair: false, parent: J.l_shoulder, child: J.l_elbow, bone: 7 },
  { pair: false, parent: J.l_elbow, child: J.l_wrist, bone: 8 },
  { pair: false, parent: J.l_wrist, child: J.l_hand, bone: 9 },
  { pair: false, parent: J.l_wrist, child: J.l_hand_tip, bone: 21 },
  { pair: false, parent: J.pelvis, child: J.r_hip, bone: 11 },
  { pair: false, parent: J.r_hip, child: J.r_knee, bone: 12 },
  { pair: false, parent: J.r_knee, child: J.r_ankle, bone: 13 },
  { pair: true, parent: J.r_ankle, a: J.r_heel, b: J.r_toe, bone: 14, halfBones: [15], halfFactor: 0.5 },
  { pair: false, parent: J.pelvis, child: J.l_hip, bone: 16 },
  { pair: false, parent: J.l_hip, child: J.l_knee, bone: 17 },
  { pair: false, parent: J.l_knee, child: J.l_ankle, bone: 18 },
  { pair: true, parent: J.l_ankle, a: J.l_heel, b: J.l_toe, bone: 19, halfBones: [20], halfFactor: 0.5 },
] as const);

/** Input bone vectors shorter than this (pose units) have no direction: they are copied unscaled. */
export const MIN_BONE_LENGTH = 1e-9;

// Scratch (module-level: retargetPose is synchronous and re-entrant only through itself).
const parentIn = new Float64Array(3);
const parentOut = new Float64Array(3);

/**
 * Retargets `pose` (23x3 flat) into `out`: the pelvis is copied, then, walking from the pelvis, every bone keeps its
 * direction in `pose` and gets the length `lengths[bone]` (indexed like {@link RETARGET_BONES}, pose units). A bone
 * without a direction in `pose` (shorter than {@link MIN_BONE_LENGTH}, or not finite) keeps its input vector. `out`
 * must not alias `pose`. Returns `out`.
 */
export function retargetPose(pose: ArrayLike<number>, lengths: ArrayLike<number>, out: Float32Array): Float32Array {
  if (pose.length < POSE_DIM || out.length < POSE_DIM) throw new Error(`retargetPose: poses have ${POSE_DIM} values (got ${pose.length} in, ${out.length} out)`);
  if (lengths.length < NUM_RETARGET_BONES) throw new Error(`retargetPose: need ${NUM_RETARGET_BONES} bone lengths (got ${lengths.length})`);
  if ((pose as unknown) === out) throw new Error('retargetPose: out must not alias pose');
  const p = J.pelvis * 3;
  out[p] = pose[p];
  out[p + 1] = pose[p + 1];
  out[p + 2] = pose[p + 2];
  for (let s = 0; s < STEPS.length; s++) {
    const step = STEPS[s];
    for (let c = 0; c < 3; c++) {
      parentIn[c] = endCoord(pose, step.parent, c);
      parentOut[c] = endCoord(out, step.parent, c);
    }
    if (!step.pair) {
      placeFrom(pose, out, step.child, parentIn, parentOut, lengths[step.bone]);
      continue;
    }
    // Midpoint of a and b, in and out; the output midpoint is placed from the parent.
    const a = step.a * 3;
    const b = step.b * 3;
    const mx = (pose[a] + pose[b]) / 2;
    const my = (pose[a + 1] + pose[b + 1]) / 2;
    const mz = (pose[a + 2] + pose[b + 2]) / 2;
    let dx = mx - parentIn[0];
    let dy = my - parentIn[1];
    let dz = mz - parentIn[2];
    let k = scaleFor(dx, dy, dz, lengths[step.bone]);
    const ox = parentOut[0] + dx * k;
    const oy = parentOut[1] + dy * k;
    const oz = parentOut[2] + dz * k;
    let half = 0;
    for (let h = 0; h < step.halfBones.length; h++) half += lengths[step.halfBones[h]];
    half = (half / step.halfBones.length) * step.halfFactor;
    // a and b: along the input's a - b direction, +-half about the output midpoint.
    dx = (pose[a] - pose[b]) / 2;
    dy = (pose[a + 1] - pose[b + 1]) / 2;
    dz = (pose[a + 2] - pose[b + 2]) / 2;
    k = scaleFor(dx, dy, dz, half);
    out[a] = ox + dx * k;
    out[a + 1] = oy + dy * k;
    out[a + 2] = oz + dz * k;
    out[b] = ox - dx * k;
    out[b + 1] = oy - dy * k;
    out[b + 2] = oz - dz * k;
  }
  return out;
}

/** Factor that scales vector (dx, dy, dz) to `length`; 1 (keep the vector) when it has no direction or no valid length. */
function scaleFor(dx: number, dy: number, dz: number, length: number): number {
  const n = Math.sqrt(dx * dx + dy * dy + dz * dz);
  return n > MIN_BONE_LENGTH && Number.isFinite(n) && length >= 0 && Number.isFinite(length) ? length / n : 1;
}

function placeFrom(pose: ArrayLike<number>, out: Float32Array, child: number, pin: Float64Array, pout: Float64Array, length: number): void {
  const c = child * 3;
  const dx = pose[c] - pin[0];
  const dy = pose[c + 1] - pin[1];
  const dz = pose[c + 2] - pin[2];
  const k = scaleFor(dx, dy, dz, length);
  out[c] = pout[0] + dx * k;
  out[c + 1] = pout[1] + dy * k;
  out[c + 2] = pout[2] + dz * k;
}

/**
 * Running median of each bone's length over the last `window` frames (sorted window per bone: O(window) per bone and
 * frame, no allocation). Non-finite lengths are skipped.
 */
export class RunningBoneLengths {
  readonly window: number;
  /** Current median per bone (NaN before the bone's first finite length). */
  readonly values: Float64Array;
  private readonly ring: Float64Array;
  private readonly sorted: Float64Array;
  private readonly counts: Int32Array;
  private readonly heads: Int32Array;

  constructor(window: number) {
    if (!Number.isInteger(window) || window < 1) throw new Error(`RunningBoneLengths: window must be a positive integer (got ${String(window)})`);
    this.window = window;
    this.values = new Float64Array(NUM_RETARGET_BONES).fill(Number.NaN);
    this.ring = new Float64Array(NUM_RETARGET_BONES * window);
    this.sorted = new Float64Array(NUM_RETARGET_BONES * window);
    this.counts = new Int32Array(NUM_RETARGET_BONES);
    this.heads = new Int32Array(NUM_RETARGET_BONES);
  }

  /** Adds one frame's bone lengths (indexed like {@link RETARGET_BONES}) and updates {@link values}. */
  push(lengths: ArrayLike<number>): void {
    const w = this.window;
    for (let b = 0; b < NUM_RETARGET_BONES; b++) {
      const v = lengths[b];
      if (!Number.isFinite(v)) continue;
      const base = b * w;
      let n = this.counts[b];
      if (n === w) {
        // Drop the oldest value (the one the ring head overwrites) from the sorted window.
        const old = this.ring[base + this.heads[b]];
        let i = 0;
        while (i < n - 1 && this.sorted[base + i] !== old) i++;
        for (; i < n - 1; i++) this.sorted[base + i] = this.sorted[base + i + 1];
        n--;
      }
      this.ring[base + this.heads[b]] = v;
      this.heads[b] = (this.heads[b] + 1) % w;
      let k = n - 1;
      while (k >= 0 && this.sorted[base + k] > v) {
        this.sorted[base + k + 1] = this.sorted[base + k];
        k--;
      }
      this.sorted[base + k + 1] = v;
      n++;
      this.counts[b] = n;
      const m = n >> 1;
      this.values[b] = n % 2 === 1 ? this.sorted[base + m] : (this.sorted[base + m - 1] + this.sorted[base + m]) / 2;
    }
  }

  reset(): void {
    this.counts.fill(0);
    this.heads.fill(0);
    this.values.fill(Number.NaN);
  }
}
