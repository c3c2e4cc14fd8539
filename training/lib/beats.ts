/**
 * A small offline beat tracker on the onset-strength feature (src/features FEATURE_INDEX.onset), after Ellis 2007
 * ("Beat tracking by dynamic programming"): global tempo by autocorrelation of the onset envelope weighted by a
 * log-Gaussian tempo prior, then dynamic-programming beat placement that trades onset strength against regular spacing.
 *
 * The prior is centred lower than Ellis's 120 bpm (default 100 bpm, 0.9 octave wide) and the autocorrelation is scored
 * with its half-period companion, so that ballroom waltzes (~87 bpm) are not tracked at double tempo.
 */

/** Options of {@link trackBeats}. */
export interface BeatTrackerOptions {
  /** Slowest tempo considered, bpm. */
  minBpm: number;
  /** Fastest tempo considered, bpm. */
  maxBpm: number;
  /** Centre of the log-Gaussian tempo prior, bpm. */
  priorBpm: number;
  /** Width (standard deviation) of the tempo prior in octaves. */
  priorOctaves: number;
  /** Ellis's tightness: weight of the regular-spacing penalty against onset strength (onset normalized to unit std). */
  tightness: number;
  /** Window of the moving average subtracted from the onset envelope, seconds (a high-pass filter). */
  detrendSeconds: number;
  /** Fixed tempo in bpm (skips tempo estimation) or null. */
  bpm: number | null;
}

export const DEFAULT_BEAT_OPTIONS: Readonly<BeatTrackerOptions> = Object.freeze({
  minBpm: 50,
  maxBpm: 220,
  priorBpm: 100,
  priorOctaves: 0.9,
  tightness: 100,
  detrendSeconds: 1,
  bpm: null,
});

/** Fills and range-checks beat tracker options. */
export function beatOptions(opts: Partial<BeatTrackerOptions> = {}): BeatTrackerOptions {
  const o: BeatTrackerOptions = { ...DEFAULT_BEAT_OPTIONS, ...opts };
  if (!(o.minBpm > 0 && o.maxBpm > o.minBpm)) throw new Error(`beat tracker: need 0 < minBpm < maxBpm (got ${o.minBpm}, ${o.maxBpm})`);
  if (!(o.priorBpm > 0) || !(o.priorOctaves > 0)) throw new Error('beat tracker: priorBpm and priorOctaves must be > 0');
  if (!(o.tightness >= 0)) throw new Error('beat tracker: tightness must be >= 0');
  if (!(o.detrendSeconds > 0)) throw new Error('beat tracker: detrendSeconds must be > 0');
  if (o.bpm !== null && !(o.bpm >= o.minBpm && o.bpm <= o.maxBpm)) throw new Error(`beat tracker: bpm must be in [${o.minBpm}, ${o.maxBpm}]`);
  return o;
}

/** Onset envelope prepared for tracking: moving average removed, half-wave rectified, divided by its std. */
export function prepareOnset(onset: Float32Array, fps: number, detrendSeconds = DEFAULT_BEAT_OPTIONS.detrendSeconds): Float64Array {
  const n = onset.length;
  const half = Math.max(1, Math.round((detrendSeconds * fps) / 2));
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + onset[i];
  const o = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - half);
    const b = Math.min(n, i + half + 1);
    o[i] = Math.max(0, onset[i] - (prefix[b] - prefix[a]) / (b - a));
  }
  let sq = 0;
  for (let i = 0; i < n; i++) sq += o[i] * o[i];
  const std = Math.sqrt(sq / Math.max(1, n));
  if (std > 0) for (let i = 0; i < n; i++) o[i] /= std;
  return o;
}

function autocorr(o: Float64Array, maxLag: number): Float64Array {
  const n = o.length;
  const ac = new Float64Array(maxLag + 1);
  for (let lag = 0; lag <= maxLag && lag < n; lag++) {
    let s = 0;
    for (let i = lag; i < n; i++) s += o[i] * o[i - lag];
    ac[lag] = s / (n - lag);
  }
  return ac;
}

/** Linear interpolation of `a` at fractional index `x`. */
function at(a: Float64Array, x: number): number {
  const i = Math.floor(x);
  if (i < 0) return a[0];
  if (i >= a.length - 1) return a[a.length - 1];
  const f = x - i;
  return a[i] * (1 - f) + a[i + 1] * f;
}

/**
 * Global tempo of a prepared onset envelope, bpm. Each candidate period P (frames) is scored by
 * prior(P) * (ac(P) + 0.5 ac(2P)), the peak refined by parabolic interpolation.
 */
export function estimateTempo(o: Float64Array, fps: number, opts: Partial<BeatTrackerOptions> = {}): number {
  const op = beatOptions(opts);
  const minLag = Math.max(1, Math.floor((60 * fps) / op.maxBpm));
  const maxLag = Math.ceil((60 * fps) / op.minBpm);
  const ac = autocorr(o, 2 * maxLag + 2);
  const score = new Float64Array(maxLag + 2);
  for (let lag = minLag; lag <= maxLag + 1; lag++) {
    const bpm = (60 * fps) / lag;
    const z = Math.log2(bpm / op.priorBpm) / op.priorOctaves;
    score[lag] = Math.exp(-0.5 * z * z) * (ac[lag] + 0.5 * at(ac, 2 * lag));
  }
  let best = minLag;
  for (let lag = minLag; lag <= maxLag; lag++) if (score[lag] > score[best]) best = lag;
  let period = best;
  if (best > minLag && best < maxLag) {
    const y0 = score[best - 1];
    const y1 = score[best];
    const y2 = score[best + 1];
    const den = y0 - 2 * y1 + y2;
    if (den < 0) period = best + (0.5 * (y0 - y2)) / den;
  }
  return (60 * fps) / period;
}

/**
 * Beat times (seconds, frame k at k / fps) of an onset-strength curve sampled at `fps`, and the global tempo.
 * Returns no beats for a silent or too-short input.
 */
export function trackBeats(onset: Float32Array, fps: number, opts: Partial<BeatTrackerOptions> = {}): { bpm: number; beats: number[] } {
  const op = beatOptions(opts);
  if (!(fps > 0)) throw new Error(`beat tracker: fps must be > 0 (got ${fps})`);
  const o = prepareOnset(onset, fps, op.detrendSeconds);
  const n = o.length;
  const minFrames = Math.ceil((2 * 60 * fps) / op.minBpm);
  let energy = 0;
  for (let i = 0; i < n; i++) energy += o[i];
  if (n < minFrames || energy === 0) return { bpm: op.bpm ?? op.priorBpm, beats: [] };
  const bpm = op.bpm ?? estimateTempo(o, fps, op);
  const period = (60 * fps) / bpm;
  // Ellis's DP: C(t) = o(t) + max over prev in [t - 2P, t - P/2] of C(prev) - tightness * log((t - prev) / P)^2.
  const score = new Float64Array(n);
  const back = new Int32Array(n).fill(-1);
  const lo = Math.max(1, Math.round(period / 2));
  const hi = Math.max(lo, Math.round(2 * period));
  for (let t = 0; t < n; t++) {
    let best = 0;
    let arg = -1;
    for (let d = lo; d <= hi && t - d >= 0; d++) {
      const l = Math.log(d / period);
      const v = score[t - d] - op.tightness * l * l;
      if (arg < 0 || v > best) {
        best = v;
        arg = t - d;
      }
    }
    score[t] = o[t] + (arg >= 0 ? Math.max(0, best) : 0);
    back[t] = arg >= 0 && best > 0 ? arg : -1;
  }
  // End on the best-scoring frame within the last period (Ellis takes local maxima near the end).
  let last = n - 1;
  for (let t = Math.max(0, n - Math.ceil(period)); t < n; t++) if (score[t] > score[last]) last = t;
  const frames: number[] = [];
  for (let t = last; t >= 0; t = back[t]) frames.push(t);
  frames.reverse();
  return { bpm, beats: frames.map((f) => f / fps) };
}
