/**
 * The posture stage of Sound -> body: the LSTM's slow motion replaced by a posture recognized from the music.
 *
 * Measured on Dance with Melody (training/analyze-audio2body-bands.ts): below about half a hertz the LSTM's output
 * drifts in ways the music does not predict, and that drift costs more pose error than it adds speed; the dances'
 * posture, on the other hand, is set by the dance family (Latin: cha-cha, rumba, open arms; Standard: waltz, tango,
 * closed hold), which the music's long-term timbre gives away. So the stage
 *   1. keeps running statistics of the normalized features (exponential mean and standard deviation, time constant
 *      `tauFrames`, bias-corrected so the first frames count fully),
 *   2. classifies them with a linear softmax into `classes` and blends the classes' mean postures by probability,
 *   3. adds the LSTM's motion above `highpassHz` (a one-pole high-pass: output minus its one-pole low-pass), times
 *      `motionGain`.
 * Pure arithmetic on preallocated typed arrays: no tfjs, no allocation per frame.
 */
import { POSE_DIM } from '../../features/skeleton';

/** config.json `posture` of an audio2body model. */
export interface PostureConfig {
  /** Time constant of the running feature statistics, frames. */
  readonly tauFrames: number;
  /** Class names (e.g. latin, standard). */
  readonly classes: readonly string[];
  /** Softmax weights, one row per class: [mean (featureDim), std (featureDim), bias]. */
  readonly weights: readonly (readonly number[])[];
  /** Mean posture of each class (POSE_DIM values, body-facing, body-scale units). */
  readonly poses: readonly (readonly number[])[];
  /** Cut-off of the motion high-pass, Hz. */
  readonly highpassHz: number;
  /** Gain on the high-passed motion (restores the speed the high-pass takes away); absent = 1. */
  readonly motionGain?: number;
}

/** Checks a config.json `posture` block for `featureDim` features at `fps`; returns an error message or null. */
export function postureConfigError(p: unknown, featureDim: number, fps: number): string | null {
  const c = p as Partial<PostureConfig> | null;
  if (!c || typeof c !== 'object') return 'posture must be an object';
  if (!(Number.isFinite(c.tauFrames) && (c.tauFrames as number) >= 1)) return `posture.tauFrames must be a number >= 1 (got ${String(c.tauFrames)})`;
  if (!(Number.isFinite(c.highpassHz) && (c.highpassHz as number) > 0 && (c.highpassHz as number) < fps / 2)) return `posture.highpassHz must be in (0, ${fps / 2}) (got ${String(c.highpassHz)})`;
  if (c.motionGain !== undefined && !(Number.isFinite(c.motionGain) && c.motionGain >= 0 && c.motionGain <= 4)) return `posture.motionGain must be in [0, 4] (got ${String(c.motionGain)})`;
  const k = Array.isArray(c.classes) ? c.classes.length : 0;
  if (k < 1) return 'posture.classes must be a non-empty array';
  const rows = (a: unknown, len: number): boolean => Array.isArray(a) && a.length === k && a.every((r) => Array.isArray(r) && r.length === len && r.every((v) => Number.isFinite(v)));
  if (!rows(c.weights, 2 * featureDim + 1)) return `posture.weights must be ${k} rows of ${2 * featureDim + 1} finite numbers`;
  if (!rows(c.poses, POSE_DIM)) return `posture.poses must be ${k} rows of ${POSE_DIM} finite numbers`;
  return null;
}

/** Running feature statistics -> class probabilities -> posture, plus the high-passed motion. One per stream. */
export class PostureStage {
  private readonly d: number;
  private readonly k: number;
  private readonly w: Float64Array;
  private readonly poses: Float64Array;
  /** EMA coefficient of the feature statistics. */
  private readonly a: number;
  /** One-pole low-pass coefficient of the motion (the high-pass subtracts it). */
  private readonly aLp: number;
  private readonly mean: Float64Array;
  private readonly sq: Float64Array;
  /** [mean, std] of the features, the classifier's input. */
  private readonly v: Float64Array;
  private readonly gain: number;
  /** Class probabilities of the last frame. */
  readonly probs: Float64Array;
  private readonly lp = new Float64Array(POSE_DIM);
  /** a^t, for the EMA's bias correction. */
  private decay = 1;
  private started = false;

  constructor(cfg: PostureConfig, featureDim: number, fps: number) {
    const err = postureConfigError(cfg, featureDim, fps);
    if (err) throw new Error(`PostureStage: ${err}`);
    this.d = featureDim;
    this.k = cfg.classes.length;
    this.w = Float64Array.from(cfg.weights.flat());
    this.poses = Float64Array.from(cfg.poses.flat());
    this.a = Math.exp(-1 / cfg.tauFrames);
    this.aLp = Math.exp((-2 * Math.PI * cfg.highpassHz) / fps);
    this.mean = new Float64Array(featureDim);
    this.sq = new Float64Array(featureDim);
    this.v = new Float64Array(2 * featureDim);
    this.gain = cfg.motionGain ?? 1;
    this.probs = new Float64Array(this.k);
  }

  /** Clears the running statistics and the high-pass (start of a new stream). */
  reset(): void {
    this.mean.fill(0);
    this.sq.fill(0);
    this.decay = 1;
    this.started = false;
  }

  /**
   * Updates the feature statistics with one normalized feature frame (`x`, first featureDim values) and returns them
   * as the classifier's input [mean, std] (a view, valid until the next call).
   */
  updateStats(x: ArrayLike<number>): Float64Array {
    const { d, a, mean, sq, v } = this;
    // a^t reaches 0 in practice after ~10 time constants; stop there so that an all-day stream never multiplies
    // subnormals.
    this.decay = this.decay > 1e-12 ? this.decay * a : 0;
    const c = 1 - this.decay;
    for (let i = 0; i < d; i++) {
      const z = x[i];
      mean[i] = a * mean[i] + (1 - a) * z;
      sq[i] = a * sq[i] + (1 - a) * z * z;
      const m = mean[i] / c;
      v[i] = m;
      v[d + i] = Math.sqrt(Math.max(0, sq[i] / c - m * m));
    }
    return v;
  }

  /**
   * One frame: normalized features `x` and the LSTM's pose `pose` (POSE_DIM, de-normalized) in; `pose` is overwritten
   * with posture + high-passed motion. Returns `pose`.
   */
  apply(x: ArrayLike<number>, pose: Float32Array): Float32Array {
    const v = this.updateStats(x);
    const { k, w, probs, poses, lp, aLp, gain } = this;
    const row = 2 * this.d + 1;
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      let s = w[c * row + row - 1];
      for (let i = 0; i < row - 1; i++) s += w[c * row + i] * v[i];
      probs[c] = s;
      if (s > max) max = s;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) sum += probs[c] = Math.exp(probs[c] - max);
    for (let c = 0; c < k; c++) probs[c] /= sum;
    for (let j = 0; j < POSE_DIM; j++) {
      const y = pose[j];
      lp[j] = this.started ? aLp * lp[j] + (1 - aLp) * y : y;
      let p = 0;
      for (let c = 0; c < k; c++) p += probs[c] * poses[c * POSE_DIM + j];
      pose[j] = p + gain * (y - lp[j]);
    }
    this.started = true;
    return pose;
  }
}
