/**
 * Normalizes camera poses (23 joints, after mapBlazePoseTo23) exactly like the training data: features/skeleton
 * normalizePose (pelvis at the origin, divided by the body scale, hips turned to face +z), with the body scale taken as
 * the median of the last `scaleWindow` frames' bodyScale, since one frame's estimate is noisy.
 */
import { bodyScale, normalizePose, POSE_DIM, type NormalizeOptions } from '../skeleton';
import type { PoseNormalizer, PoseNormalizerOptions } from './types';

export const DEFAULT_POSE_NORMALIZER_OPTIONS: PoseNormalizerOptions = Object.freeze({
  bodyFacing: true,
  scaleWindow: 75, // 3 s at 25 fps
});

/** Fills and range-checks normalizer options; errors list the valid values. */
export function fillPoseNormalizerOptions(options: Partial<PoseNormalizerOptions> = {}): PoseNormalizerOptions {
  const d = DEFAULT_POSE_NORMALIZER_OPTIONS;
  const o: PoseNormalizerOptions = {
    bodyFacing: options.bodyFacing ?? d.bodyFacing,
    scaleWindow: options.scaleWindow ?? d.scaleWindow,
  };
  if (typeof o.bodyFacing !== 'boolean') throw new Error(`pose normalizer: bodyFacing must be true or false (got ${String(o.bodyFacing)})`);
  if (!Number.isInteger(o.scaleWindow) || o.scaleWindow < 1 || o.scaleWindow > 10_000) {
    throw new Error(`pose normalizer: scaleWindow must be an integer number of frames in 1..10000 (got ${String(o.scaleWindow)})`);
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

  constructor(options: PoseNormalizerOptions) {
    this.options = options;
    this.ring = new Float64Array(options.scaleWindow);
    this.sorted = new Float64Array(options.scaleWindow);
    this.normOptions = { scale: 1, bodyFacing: options.bodyFacing };
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
    this.normOptions.scale = this.current;
    return normalizePose(pose, out, this.normOptions as NormalizeOptions);
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
  }
}

/** Creates a normalizer with a running median body scale. */
export function createPoseNormalizer(options: Partial<PoseNormalizerOptions> = {}): PoseNormalizer {
  return new RunningMedianNormalizer(fillPoseNormalizerOptions(options));
}
