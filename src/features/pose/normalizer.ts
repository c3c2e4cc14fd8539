/**
 * Normalizes camera poses (23 joints, after mapBlazePoseTo23) like the training data: features/skeleton normalizePose
 * (pelvis at the origin, divided by the body scale, hips turned to face +z), with the body scale taken as the median
 * of the last `scaleWindow` frames' bodyScale, since one frame's estimate is noisy; then (by default) a bone-length
 * retargeting step (retarget.ts) gives the camera pose the training skeleton's proportions.
 *
 * Why retarget, and why to the dataset's proportions ('dataset', the default) rather than a running median of each
 * bone's own length ('median'):
 * - BlazePose's world landmarks stretch bones from frame to frame (noisy depth): on pose_squats, after mapping and
 *   normalization, l_wrist -> l_hand varies by up to 86% around its median and 8 of the 21 BONES by more than 15%
 *   (tests/browser/pose-reference.test.ts prints the per-bone figures for every mode). The training skeletons are far
 *   steadier: over all 39 dances the median frame is within 0.6-8.5% of each bone's median length, though mocap glitches
 *   push up to 22% of frames (bone by bone) beyond 15%.
 * - Body -> music (Pose2Roll) reads the normalized joint positions themselves, standardized with the training data's
 *   mean and spread, so it needs the training skeleton's proportions, not BlazePose's: the data's joints are not
 *   anatomical joint centres (its r_elbow -> r_wrist is 0.39 body scales, BlazePose's forearm 0.70 on pose_squats, its
 *   wrist -> hand 0.52 against 0.21). The mapping's joints
 *   lie on the same limb segments, so the camera's bone directions with the dataset's lengths rebuild the pose the
 *   model was trained on. The lengths are the mean over the training dances of each dance's median length in body
 *   scales (retarget.ts DATASET_BONE_LENGTHS); the output no longer depends on the camera's scale at all.
 * - A running median needs history: its first frames rest on few samples (on pose_squats with a 75-frame window the
 *   worst bone still varies by 57%) and a performer's bad first seconds linger for the window. Dataset lengths are
 *   right from the first frame and never drift. 'median' stays available for a performer's own proportions.
 * The walk keeps pelvis-relative directions, so a pose whose bones already have these lengths comes out unchanged. The
 * facing turn is computed after retargeting (from the retargeted hips), so the hips still lie exactly along x.
 */
import { bodyScale, normalizePose, POSE_DIM, type NormalizeOptions } from '../skeleton';
import { DATASET_BONE_LENGTHS, measureBoneLengths, NUM_RETARGET_BONES, retargetPose, RunningBoneLengths } from './retarget';
import { BONE_LENGTH_MODES, type PoseNormalizer, type PoseNormalizerOptions } from './types';

export const DEFAULT_POSE_NORMALIZER_OPTIONS: PoseNormalizerOptions = Object.freeze({
  bodyFacing: true,
  scaleWindow: 75, // 3 s at 25 fps
  boneLengths: 'dataset',
  boneWindow: 75, // 3 s at 25 fps
});

/** Fills and range-checks normalizer options; errors list the valid values. */
export function fillPoseNormalizerOptions(options: Partial<PoseNormalizerOptions> = {}): PoseNormalizerOptions {
  const d = DEFAULT_POSE_NORMALIZER_OPTIONS;
  const o: PoseNormalizerOptions = {
    bodyFacing: options.bodyFacing ?? d.bodyFacing,
    scaleWindow: options.scaleWindow ?? d.scaleWindow,
    boneLengths: options.boneLengths ?? d.boneLengths,
    boneWindow: options.boneWindow ?? d.boneWindow,
  };
  if (typeof o.bodyFacing !== 'boolean') throw new Error(`pose normalizer: bodyFacing must be true or false (got ${String(o.bodyFacing)})`);
  if (!Number.isInteger(o.scaleWindow) || o.scaleWindow < 1 || o.scaleWindow > 10_000) {
    throw new Error(`pose normalizer: scaleWindow must be an integer number of frames in 1..10000 (got ${String(o.scaleWindow)})`);
  }
  if (!BONE_LENGTH_MODES.includes(o.boneLengths)) {
    throw new Error(`pose normalizer: boneLengths must be one of ${BONE_LENGTH_MODES.join(', ')} (got ${String(o.boneLengths)})`);
  }
  if (!Number.isInteger(o.boneWindow) || o.boneWindow < 1 || o.boneWindow > 10_000) {
    throw new Error(`pose normalizer: boneWindow must be an integer number of frames in 1..10000 (got ${String(o.boneWindow)})`);
  }
  return Object.freeze(o);
}

class RunningMedianNormalizer implements PoseNormalizer {
  readonly options: PoseNormalizerOptions;
  private readonly ring: Float64Array;
  private readonly sorted: Float64Array;
  private count = 0;
  private head = 0;
  private current = Number.NaN;
  private readonly normOptions: { scale: number; bodyFacing: boolean };
  private readonly centred: { scale: number; bodyFacing: boolean };
  private readonly turn: { scale: number; bodyFacing: boolean };
  /** Scratch: centred + scaled pose, its retargeted copy, one frame's bone lengths. */
  private readonly scaled = new Float32Array(POSE_DIM);
  private readonly retargeted = new Float32Array(POSE_DIM);
  private readonly frameLengths = new Float64Array(NUM_RETARGET_BONES);
  private readonly boneMedian: RunningBoneLengths | null;

  constructor(options: PoseNormalizerOptions) {
    this.options = options;
    this.ring = new Float64Array(options.scaleWindow);
    this.sorted = new Float64Array(options.scaleWindow);
    this.normOptions = { scale: 1, bodyFacing: options.bodyFacing };
    this.centred = { scale: 1, bodyFacing: false };
    this.turn = { scale: 1, bodyFacing: options.bodyFacing };
    this.boneMedian = options.boneLengths === 'median' ? new RunningBoneLengths(options.boneWindow) : null;
  }

  get scale(): number {
    return this.current;
  }

  normalize(pose: ArrayLike<number>, out: Float32Array): Float32Array {
    if (pose.length < POSE_DIM || out.length < POSE_DIM) throw new Error(`pose normalizer: poses have ${POSE_DIM} values (got ${pose.length} in, ${out.length} out)`);
    const s = bodyScale(pose);
    if (Number.isFinite(s) && s > 0) {
      this.ring[this.head] = s;
      this.head = (this.head + 1) % this.ring.length;
      if (this.count < this.ring.length) this.count++;
      this.current = this.median();
    }
    if (!(this.current > 0)) throw new Error('pose normalizer: the first pose has no valid body scale (all joints coincide or are not finite)');
    if (this.options.boneLengths === 'off') {
      this.normOptions.scale = this.current;
      return normalizePose(pose, out, this.normOptions as NormalizeOptions);
    }
    // Centre and scale (no turn), retarget in body-scale units, then turn by the retargeted hips' facing.
    this.centred.scale = this.current;
    normalizePose(pose, this.scaled, this.centred as NormalizeOptions);
    let lengths: ArrayLike<number> = DATASET_BONE_LENGTHS;
    if (this.boneMedian) {
      this.boneMedian.push(measureBoneLengths(this.scaled, this.frameLengths));
      lengths = this.boneMedian.values;
    }
    retargetPose(this.scaled, lengths, this.retargeted);
    return normalizePose(this.retargeted, out, this.turn as NormalizeOptions);
  }

  /** Median of the ring (insertion sort into a scratch array: no allocation). */
  private median(): number {
    const n = this.count;
    const a = this.sorted;
    for (let i = 0; i < n; i++) {
      const v = this.ring[i];
      let k = i - 1;
      while (k >= 0 && a[k] > v) {
        a[k + 1] = a[k];
        k--;
      }
      a[k + 1] = v;
    }
    return n % 2 === 1 ? a[(n - 1) / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
  }

  reset(): void {
    this.count = 0;
    this.head = 0;
    this.current = Number.NaN;
    this.boneMedian?.reset();
  }
}

/** Creates a normalizer with a running median body scale and bone-length retargeting. */
export function createPoseNormalizer(options: Partial<PoseNormalizerOptions> = {}): PoseNormalizer {
  return new RunningMedianNormalizer(fillPoseNormalizerOptions(options));
}
