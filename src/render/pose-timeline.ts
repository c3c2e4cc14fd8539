/**
 * Time-stamped pose buffer that turns model frames (25 fps) into display poses (any rate): linear interpolation between
 * the two frames around the display time, then exponential smoothing. Preallocated; no allocation after construction.
 */
import { POSE_DIM, sumJointDisplacement } from '../features/skeleton';

export class PoseTimeline {
  private readonly poses: Float32Array;
  private readonly times: Float64Array;
  private head = 0;
  private count = 0;

  /** @param capacity frames kept (2..4096). */
  constructor(readonly capacity = 64, readonly dim = POSE_DIM) {
    if (!Number.isInteger(capacity) || capacity < 2 || capacity > 4096) throw new Error(`capacity must be an integer in 2..4096 (got ${capacity})`);
    this.poses = new Float32Array(capacity * dim);
    this.times = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Time (s) of the newest frame, NaN when empty. */
  get latestTime(): number {
    return this.count === 0 ? Number.NaN : this.times[(this.head - 1 + this.capacity) % this.capacity];
  }

  /** Appends a frame at `time` seconds; times must not decrease (an older frame clears the buffer first). */
  push(pose: ArrayLike<number>, time: number): void {
    if (this.count > 0 && time < this.latestTime) this.clear();
    const o = this.head * this.dim;
    for (let i = 0; i < this.dim; i++) this.poses[o + i] = pose[i];
    this.times[this.head] = time;
    this.head = (this.head + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }

  /**
   * Writes the pose at `time` into `out`: linear interpolation between the frames around it, held at the first frame
   * before the buffered range. After the newest frame it continues the last two frames' velocity for at most
   * `maxExtrapolation` seconds (0: hold the newest frame), so a display that runs just behind the newest model frame
   * keeps moving smoothly instead of waiting a whole frame to interpolate. Returns false (and leaves `out`) when empty.
   */
  sample(time: number, out: Float32Array, maxExtrapolation = 0): boolean {
    if (this.count === 0) return false;
    const cap = this.capacity;
    const first = (this.head - this.count + cap) % cap;
    let lo = -1;
    // Newest frame at or before `time` (scan from newest: display time is usually near the end).
    for (let k = this.count - 1; k >= 0; k--) {
      const idx = (first + k) % cap;
      if (this.times[idx] <= time) {
        lo = k;
        break;
      }
    }
    const d = this.dim;
    if (lo === this.count - 1 && this.count >= 2 && maxExtrapolation > 0) {
      const b = (first + lo) % cap;
      const a = (first + lo - 1) % cap;
      const span = this.times[b] - this.times[a];
      const ahead = Math.min(time - this.times[b], maxExtrapolation);
      const w = span > 0 ? ahead / span : 0;
      for (let i = 0; i < d; i++) out[i] = this.poses[b * d + i] + (this.poses[b * d + i] - this.poses[a * d + i]) * w;
      return true;
    }
    if (lo === -1 || lo === this.count - 1) {
      const idx = lo === -1 ? first : (first + lo) % cap;
      for (let i = 0; i < d; i++) out[i] = this.poses[idx * d + i];
      return true;
    }
    const a = (first + lo) % cap;
    const b = (first + lo + 1) % cap;
    const ta = this.times[a];
    const tb = this.times[b];
    const w = tb > ta ? (time - ta) / (tb - ta) : 1;
    for (let i = 0; i < d; i++) out[i] = this.poses[a * d + i] * (1 - w) + this.poses[b * d + i] * w;
    return true;
  }
}

/**
 * Exponential smoothing of `current` toward `target` in place, time constant `tau` seconds over a step of `dt` seconds
 * (tau 0 copies the target).
 */
export function smoothToward(current: Float32Array, target: Float32Array, dt: number, tau: number): void {
  const a = tau <= 0 ? 1 : 1 - Math.exp(-Math.max(0, dt) / tau);
  for (let i = 0; i < current.length; i++) current[i] += (target[i] - current[i]) * a;
}

/** Mean joint displacement between two flat poses (units of the poses). */
export function meanJointDisplacement(a: ArrayLike<number>, b: ArrayLike<number>, numJoints = POSE_DIM / 3): number {
  return sumJointDisplacement(a, b, numJoints) / numJoints;
}
