/**
 * Motion metrics for Sound -> body evaluation. Poses are flat (numFrames x 69: 23 joints x xyz); distances are in the
 * poses' units unless a scale is given.
 */
import { NUM_JOINTS, POSE_DIM } from '../../src/features/skeleton';

/** Mean per-joint position error of each frame (mean over the 23 joints of the Euclidean distance), times `scale`. */
export function mpjpePerFrame(a: Float32Array, b: Float32Array, numFrames: number, scale = 1): Float64Array {
  const out = new Float64Array(numFrames);
  for (let t = 0; t < numFrames; t++) {
    let s = 0;
    for (let j = 0; j < NUM_JOINTS; j++) {
      const o = t * POSE_DIM + j * 3;
      const dx = a[o] - b[o];
      const dy = a[o + 1] - b[o + 1];
      const dz = a[o + 2] - b[o + 2];
      s += Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
    out[t] = (s / NUM_JOINTS) * scale;
  }
  return out;
}

/** Mean of an array. */
export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return x.length > 0 ? s / x.length : NaN;
}

/**
 * Mean joint speed per frame (mean over joints of |p_t - p_(t-1)|, pose units per frame), length numFrames;
 * frame 0 copies frame 1.
 */
export function jointSpeed(poses: Float32Array, numFrames: number): Float64Array {
  const v = new Float64Array(numFrames);
  for (let t = 1; t < numFrames; t++) {
    let s = 0;
    for (let j = 0; j < NUM_JOINTS; j++) {
      const o = t * POSE_DIM + j * 3;
      const p = o - POSE_DIM;
      const dx = poses[o] - poses[p];
      const dy = poses[o + 1] - poses[p + 1];
      const dz = poses[o + 2] - poses[p + 2];
      s += Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
    v[t] = s / NUM_JOINTS;
  }
  if (numFrames > 1) v[0] = v[1];
  return v;
}

/** Gaussian smoothing (standard deviation `sigma` frames, kernel +-3 sigma, edges renormalized). sigma 0 copies. */
export function gaussianSmooth(x: ArrayLike<number>, sigma: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  if (sigma <= 0) {
    for (let i = 0; i < n; i++) out[i] = x[i];
    return out;
  }
  const r = Math.ceil(3 * sigma);
  const k = new Float64Array(2 * r + 1);
  for (let i = -r; i <= r; i++) k[i + r] = Math.exp((-0.5 * i * i) / (sigma * sigma));
  for (let t = 0; t < n; t++) {
    let s = 0;
    let w = 0;
    for (let i = -r; i <= r; i++) {
      const u = t + i;
      if (u < 0 || u >= n) continue;
      s += k[i + r] * x[u];
      w += k[i + r];
    }
    out[t] = s / w;
  }
  return out;
}

/** Default smoothing of the joint-speed curve before finding kinematic beats, frames (Gaussian sigma). */
export const KINEMATIC_SMOOTH_SIGMA = 2;

/**
 * Kinematic beats: frames where the joint-speed curve, Gaussian-smoothed with `sigma` frames, has a strict local
 * minimum (lower than the previous frame, not higher than the next).
 */
export function kinematicBeats(speed: ArrayLike<number>, sigma = KINEMATIC_SMOOTH_SIGMA): number[] {
  const s = gaussianSmooth(speed, sigma);
  const beats: number[] = [];
  for (let t = 1; t < s.length - 1; t++) if (s[t] < s[t - 1] && s[t] <= s[t + 1]) beats.push(t);
  return beats;
}

/**
 * Dominant frequency (Hz) of a curve sampled at `fps`: the peak of the power spectrum of the mean-removed,
 * Hann-windowed curve, searched in [fMin, fMax] on a 0.005 Hz grid.
 */
export function dominantFrequency(x: ArrayLike<number>, fps: number, fMin = 0.2, fMax = 5): number {
  const n = x.length;
  const m = mean(x);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = (x[i] - m) * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / Math.max(1, n - 1)));
  let best = fMin;
  let bestP = -1;
  for (let f = fMin; f <= fMax + 1e-9; f += 0.005) {
    const om = (2 * Math.PI * f) / fps;
    let re = 0;
    let im = 0;
    // Rotate a phasor instead of calling cos/sin per sample.
    const c1 = Math.cos(om);
    const s1 = Math.sin(om);
    let c = 1;
    let s = 0;
    for (let i = 0; i < n; i++) {
      re += w[i] * c;
      im -= w[i] * s;
      const c2 = c * c1 - s * s1;
      s = s * c1 + c * s1;
      c = c2;
    }
    const p = re * re + im * im;
    if (p > bestP) {
      bestP = p;
      best = f;
    }
  }
  return best;
}

/**
 * Bailando's Beat Alignment Score: mean over music beats of exp(-d^2 / (2 sigma^2)), d = distance (frames) from the
 * music beat to the nearest kinematic beat. `musicBeats` and `kinBeats` are frame indices (kinBeats sorted).
 * NaN when there are no music beats; 0 for each beat when there are no kinematic beats.
 */
export function beatAlignmentScore(musicBeats: readonly number[], kinBeats: readonly number[], sigma = 3): number {
  if (musicBeats.length === 0) return NaN;
  let s = 0;
  for (const b of musicBeats) {
    let d = Infinity;
    // Binary search for the nearest kinematic beat.
    let lo = 0;
    let hi = kinBeats.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (kinBeats[mid] < b) lo = mid + 1;
      else hi = mid - 1;
    }
    if (lo < kinBeats.length) d = Math.min(d, Math.abs(kinBeats[lo] - b));
    if (lo - 1 >= 0) d = Math.min(d, Math.abs(kinBeats[lo - 1] - b));
    s += Number.isFinite(d) ? Math.exp(-(d * d) / (2 * sigma * sigma)) : 0;
  }
  return s / musicBeats.length;
}

/**
 * Turns a body-facing pose back into a world facing: the inverse of normalizePose's rotation by `yaw`
 * (features/skeleton facingYaw of the frame whose facing is wanted). `out` may alias `pose`.
 */
export function unrotateYaw(pose: ArrayLike<number>, yaw: number, out: Float32Array): Float32Array {
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  for (let j = 0; j < NUM_JOINTS; j++) {
    const x = pose[j * 3];
    const y = pose[j * 3 + 1];
    const z = pose[j * 3 + 2];
    out[j * 3] = x * c - z * s;
    out[j * 3 + 1] = y;
    out[j * 3 + 2] = x * s + z * c;
  }
  return out;
}

/** Geometric mean of positive numbers. */
export function geometricMean(x: readonly number[]): number {
  if (x.length === 0) return NaN;
  let s = 0;
  for (const v of x) s += Math.log(v);
  return Math.exp(s / x.length);
}

/**
 * Cross-correlation of x(t) with y(t + lag) for lag in -maxLag..maxLag (each sequence mean-removed, divided by its
 * peak absolute value so that every sequence weighs the same), added into `acc` (length 2 maxLag + 1).
 */
export function addCrossCorrelation(x: ArrayLike<number>, y: ArrayLike<number>, n: number, maxLag: number, acc: Float64Array): void {
  let mx = 0;
  let my = 0;
  for (let t = 0; t < n; t++) {
    mx += x[t];
    my += y[t];
  }
  mx /= n;
  my /= n;
  const r = new Float64Array(2 * maxLag + 1);
  let peak = 0;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let s = 0;
    let c = 0;
    for (let t = Math.max(0, -lag); t < n && t + lag < n; t++) {
      s += (x[t] - mx) * (y[t + lag] - my);
      c++;
    }
    const v = c > 0 ? s / c : 0;
    r[lag + maxLag] = v;
    peak = Math.max(peak, Math.abs(v));
  }
  if (peak > 0) for (let i = 0; i < r.length; i++) acc[i] += r[i] / peak;
}

/** Lag (index - maxLag) of the largest value of a cross-correlation curve from {@link addCrossCorrelation}. */
export function peakLag(acc: ArrayLike<number>, maxLag: number): number {
  let best = 0;
  for (let i = 1; i < acc.length; i++) if (acc[i] > acc[best]) best = i;
  return best - maxLag;
}
