/**
 * Body -> music data preparation and evaluation, shared by training/train-body2music.ts and `npm run eval`.
 *
 * Music targets come from our own feature code (the cached features of each dance's audio): beats and tempo from the
 * onset feature by training/lib/beats.ts, energy from the log energy feature. Evaluation feeds the model's roll of the
 * real held-out skeletons through Roll2Score and compares the beats it plays with the beats of the real music.
 */
import { FEATURE_INDEX } from '../../src/features/spec';
import { J, POSE_DIM, medianBodyScale, normalizePose } from '../../src/features/skeleton';
import { jointSpeeds } from '../../src/models/body2music/features';
import { createPose2Roll, type BeatSource } from '../../src/models/body2music/pose2roll';
import { createRoll2Score } from '../../src/models/body2music/roll2score';
import { STYLES, type Style } from '../../src/types';
import { prepareOnset, trackBeats } from './beats';
import { loadDances, type Dance } from './dance-data';

/** Tolerance of beat matching, seconds. */
export const BEAT_TOLERANCE = 0.07;
/** Share of the tracked tempo within which a predicted tempo counts as right. */
export const TEMPO_TOLERANCE = 0.04;

/** A dance prepared for body2music: normalized poses and music targets per skeleton frame. */
export interface PreparedDance {
  name: string;
  style: Style;
  numFrames: number;
  fps: number;
  /** Normalized poses (body-facing, the dancer's median body scale): numFrames x 69. */
  poses: Float32Array;
  /** Beat times of the music, seconds from skeleton frame 0. */
  beats: number[];
  /** Tracked tempo of the music, bpm. */
  bpm: number;
  /** Music log energy per frame, smoothed over 1 s. */
  logEnergy: Float32Array;
  /** Music onset envelope per frame as the beat tracker sees it (beats.ts prepareOnset: detrended, rectified, unit std). */
  onset: Float32Array;
  /** The raw onset feature per frame (FEATURE_INDEX.onset of the cached audio features). */
  onsetFeature: Float32Array;
}

/** Normalizes a dance's skeleton and tracks its music's beats. */
export function prepareDance(d: Dance): PreparedDance {
  const n = d.numFrames;
  const scale = medianBodyScale(d.poses, n);
  const poses = new Float32Array(n * POSE_DIM);
  for (let t = 0; t < n; t++) normalizePose(d.poses.subarray(t * POSE_DIM, (t + 1) * POSE_DIM), poses.subarray(t * POSE_DIM, (t + 1) * POSE_DIM), { scale, bodyFacing: true });
  const onset = new Float32Array(n);
  const le = new Float32Array(n);
  for (let t = 0; t < n; t++) {
    onset[t] = d.features[t * d.featureDim + FEATURE_INDEX.onset];
    le[t] = d.features[t * d.featureDim + FEATURE_INDEX.logEnergy];
  }
  const { bpm, beats } = trackBeats(onset, d.fps);
  const half = Math.round(d.fps / 2);
  const logEnergy = new Float32Array(n);
  for (let t = 0; t < n; t++) {
    let s = 0;
    let c = 0;
    for (let k = Math.max(0, t - half); k <= Math.min(n - 1, t + half); k++) {
      s += le[k];
      c++;
    }
    logEnergy[t] = s / c;
  }
  return { name: d.name, style: d.style, numFrames: n, fps: d.fps, poses, beats, bpm, logEnergy, onset: Float32Array.from(prepareOnset(onset, d.fps)), onsetFeature: onset };
}

/** Beat-likelihood curve: max over beats b of exp(-0.5 ((t / fps - b) / sigma)^2), per frame. */
export function beatLikelihood(beats: readonly number[], numFrames: number, fps: number, sigma: number): Float32Array {
  const out = new Float32Array(numFrames);
  const reach = Math.ceil(4 * sigma * fps);
  for (const b of beats) {
    const c = Math.round(b * fps);
    for (let t = Math.max(0, c - reach); t <= Math.min(numFrames - 1, c + reach); t++) {
      const z = (t / fps - b) / sigma;
      out[t] = Math.max(out[t], Math.exp(-0.5 * z * z));
    }
  }
  return out;
}

/**
 * Beat phase (cycles in [0, 1)) of each frame from beat times, or NaN before the first / after the last beat.
 */
export function beatPhases(beats: readonly number[], numFrames: number, fps: number): Float32Array {
  const out = new Float32Array(numFrames).fill(NaN);
  let k = 0;
  for (let t = 0; t < numFrames; t++) {
    const time = t / fps;
    while (k + 1 < beats.length && beats[k + 1] <= time) k++;
    if (k + 1 < beats.length && beats[k] <= time) out[t] = (time - beats[k]) / (beats[k + 1] - beats[k]);
  }
  return out;
}

/** F-measure of predicted against reference event times with one-to-one matching within `tol` seconds. */
export function beatF1(pred: readonly number[], ref: readonly number[], tol = BEAT_TOLERANCE): { f1: number; precision: number; recall: number } {
  const p = [...pred].sort((a, b) => a - b);
  const r = [...ref].sort((a, b) => a - b);
  let i = 0;
  let j = 0;
  let hits = 0;
  while (i < p.length && j < r.length) {
    const d = p[i] - r[j];
    if (Math.abs(d) <= tol) {
      hits++;
      i++;
      j++;
    } else if (d < 0) i++;
    else j++;
  }
  const precision = p.length ? hits / p.length : 0;
  const recall = r.length ? hits / r.length : 0;
  return { f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0, precision, recall };
}

/** Baseline: a steady beat at `bpm` with phase 0 at the start, over `seconds`. */
export function metronomeBeats(bpm: number, seconds: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < seconds; t += 60 / bpm) out.push(t);
  return out;
}

/** Baseline: onsets at local minima of the mean joint speed (3-frame moving average) of normalized poses. */
export function motionPeakBeats(poses: Float32Array, numFrames: number, fps: number): number[] {
  const v = jointSpeeds(poses, numFrames, fps);
  const s = new Float32Array(numFrames);
  for (let t = 0; t < numFrames; t++) s[t] = (v[Math.max(1, t - 1)] + v[Math.max(1, t)] + v[Math.max(1, Math.min(numFrames - 1, t + 1))]) / 3;
  const out: number[] = [];
  for (let t = 2; t < numFrames - 1; t++) if (s[t] < s[t - 1] && s[t] <= s[t + 1]) out.push(t / fps);
  return out;
}

/** Median of a list (NaN when empty). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Per-dance results of {@link evalBody2Music}. */
export interface DanceResult {
  name: string;
  style: Style;
  predictedStyle: Style;
  musicBpm: number;
  predictedBpm: number;
  beatF1: number;
  precision: number;
  recall: number;
  metronomeF1: number;
  motionPeaksF1: number;
  beatsPlayed: number;
  musicBeats: number;
}

/** Metrics of {@link evalBody2Music} (means over dances; style and tempo accuracy are shares of dances). */
export interface Body2MusicMetrics {
  dances: string[];
  beat_f1: number;
  baseline_metronome_beat_f1: number;
  baseline_motion_peaks_beat_f1: number;
  style_accuracy: number;
  tempo_accuracy: number;
  beat_tolerance_s: number;
  tempo_tolerance: number;
  per_dance: DanceResult[];
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/** Evaluates one prepared dance with a loaded model's rolls. */
export function evalDance(p: PreparedDance, rolls: readonly { beat: number; energy: number; style: Float32Array; activity: number; tempo?: number }[], styleBpm: readonly number[], medianBpm: number): DanceResult {
  const played: number[] = [];
  const bpms: number[] = [];
  const r2s = createRoll2Score({ fps: p.fps, styleBpm, onBeat: (t, bpm) => { played.push(t); bpms.push(bpm); } });
  const styleSum = new Float64Array(STYLES.length);
  for (let t = 0; t < rolls.length; t++) {
    r2s.update(rolls[t], t / p.fps);
    if (rolls[t].activity > r2s.options.minActivity) for (let s = 0; s < STYLES.length; s++) styleSum[s] += rolls[t].style[s];
  }
  let best = 0;
  for (let s = 1; s < STYLES.length; s++) if (styleSum[s] > styleSum[best]) best = s;
  const seconds = p.numFrames / p.fps;
  const f = beatF1(played, p.beats);
  return {
    name: p.name,
    style: p.style,
    predictedStyle: STYLES[best],
    musicBpm: p.bpm,
    predictedBpm: median(bpms),
    beatF1: f.f1,
    precision: f.precision,
    recall: f.recall,
    metronomeF1: beatF1(metronomeBeats(medianBpm, seconds), p.beats).f1,
    motionPeaksF1: beatF1(motionPeakBeats(p.poses, p.numFrames, p.fps), p.beats).f1,
    beatsPlayed: played.length,
    musicBeats: p.beats.length,
  };
}

/** Aggregates per-dance results. */
export function aggregate(per: DanceResult[]): Body2MusicMetrics {
  const r = (x: number): number => Math.round(x * 10000) / 10000;
  return {
    dances: per.map((d) => d.name),
    beat_f1: r(mean(per.map((d) => d.beatF1))),
    baseline_metronome_beat_f1: r(mean(per.map((d) => d.metronomeF1))),
    baseline_motion_peaks_beat_f1: r(mean(per.map((d) => d.motionPeaksF1))),
    style_accuracy: r(mean(per.map((d) => (d.predictedStyle === d.style ? 1 : 0)))),
    tempo_accuracy: r(mean(per.map((d) => (Math.abs(d.predictedBpm / d.musicBpm - 1) <= TEMPO_TOLERANCE ? 1 : 0)))),
    beat_tolerance_s: BEAT_TOLERANCE,
    tempo_tolerance: TEMPO_TOLERANCE,
    per_dance: per.map((d) => ({ ...d, beatF1: r(d.beatF1), precision: r(d.precision), recall: r(d.recall), metronomeF1: r(d.metronomeF1), motionPeaksF1: r(d.motionPeaksF1), predictedBpm: r(d.predictedBpm), musicBpm: r(d.musicBpm) })),
  };
}

/** Camera-like damage to normalized poses: white noise (body scales), repeated (frozen) frames, a fixed yaw (rad). */
export interface Perturbation {
  noise: number;
  frozen: number;
  yaw: number;
  seed: number;
}

/** A copy of normalized poses with {@link Perturbation} applied, re-centred on the pelvis as normalizePose would. */
export function perturbPoses(poses: Float32Array, numFrames: number, p: Perturbation): Float32Array {
  let a = p.seed >>> 0;
  const rand = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gauss = (): number => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const out = new Float32Array(poses.length);
  const c = Math.cos(p.yaw);
  const s = Math.sin(p.yaw);
  for (let t = 0; t < numFrames; t++) {
    const o = t * POSE_DIM;
    if (t > 0 && rand() < p.frozen) {
      out.copyWithin(o, o - POSE_DIM, o);
      continue;
    }
    for (let j = 0; j < 23; j++) {
      const x = poses[o + j * 3];
      const z = poses[o + j * 3 + 2];
      out[o + j * 3] = x * c + z * s + gauss() * p.noise;
      out[o + j * 3 + 1] = poses[o + j * 3 + 1] + gauss() * p.noise;
      out[o + j * 3 + 2] = -x * s + z * c + gauss() * p.noise;
    }
    const px = out[o + J.pelvis * 3];
    const py = out[o + J.pelvis * 3 + 1];
    const pz = out[o + J.pelvis * 3 + 2];
    for (let j = 0; j < 23; j++) {
      out[o + j * 3] -= px;
      out[o + j * 3 + 1] -= py;
      out[o + j * 3 + 2] -= pz;
    }
  }
  return out;
}

/**
 * Evaluates the body2music model in `modelDir` on the dances `names` of `dataDir` (normally the held-out split):
 * the model's roll of the real skeleton -> Roll2Score -> played beats, against the beats of the real music.
 * With `perturb`, the poses are damaged first (a robustness check for camera poses); `beatSource` overrides the
 * config's source of roll.beat. Needs tfjs initialized (training/lib/tf-node initTfNode).
 */
export async function evalBody2Music(opts: { dataDir: string; names: readonly string[]; modelDir: string; perturb?: Perturbation; beatSource?: BeatSource }): Promise<Body2MusicMetrics> {
  const model = createPose2Roll(opts.modelDir, { beatSource: opts.beatSource ?? null });
  await model.load();
  try {
    const dances = await loadDances(opts.dataDir, opts.names);
    const per: DanceResult[] = [];
    for (const d of dances) {
      const p = prepareDance(d);
      const poses = opts.perturb ? perturbPoses(p.poses, p.numFrames, opts.perturb) : p.poses;
      const rolls = model.predictSequence(poses, p.numFrames);
      per.push(evalDance(p, rolls, model.config.styleBpm, model.config.medianBpm));
    }
    return aggregate(per);
  } finally {
    model.dispose();
  }
}

/**
 * How much the music's beat phase shows in the motion: the joint-speed curve (1 s mean removed) projected on
 * exp(2 pi i phase) of the music's beats, in windows of `windowSeconds`. Returns the mean magnitude per window
 * (|sum v e^{i phase}| / sum |v|; 0 = none, 1 = all speed at one phase) and the consistency of the windows' angles
 * (length of the mean unit phasor over all windows of all dances; near 0 when the phase relation is random).
 */
export function beatPhaseCoherence(dances: readonly PreparedDance[], windowSeconds = 10): { windowMagnitude: number; angleConsistency: number; windows: number } {
  let magSum = 0;
  let re = 0;
  let im = 0;
  let windows = 0;
  for (const p of dances) {
    const ph = beatPhases(p.beats, p.numFrames, p.fps);
    const sp = jointSpeeds(p.poses, p.numFrames, p.fps);
    const v = new Float32Array(p.numFrames);
    const half = Math.round(p.fps / 2);
    for (let t = 1; t < p.numFrames; t++) {
      let s = 0;
      let c = 0;
      for (let k = Math.max(1, t - half); k <= Math.min(p.numFrames - 1, t + half); k++) {
        s += sp[k];
        c++;
      }
      v[t] = sp[t] - s / c;
    }
    const W = Math.round(windowSeconds * p.fps);
    for (let a = 1; a + W <= p.numFrames; a += W) {
      let wr = 0;
      let wi = 0;
      let e = 0;
      for (let t = a; t < a + W; t++) {
        if (Number.isNaN(ph[t])) continue;
        wr += v[t] * Math.cos(2 * Math.PI * ph[t]);
        wi += v[t] * Math.sin(2 * Math.PI * ph[t]);
        e += Math.abs(v[t]);
      }
      if (e === 0) continue;
      const m = Math.hypot(wr, wi);
      magSum += m / e;
      if (m > 0) {
        re += wr / m;
        im += wi / m;
      }
      windows++;
    }
  }
  return { windowMagnitude: windows ? magSum / windows : NaN, angleConsistency: windows ? Math.hypot(re, im) / windows : NaN, windows };
}

/**
 * Correlation of the music's onset with vertical motion `lag` frames later (z-scored frame-to-frame velocities of
 * normalized poses), per dance: `bodyDown` is the mean height of all joints falling relative to the pelvis (in the raw
 * data, the pelvis rising relative to the capture's centre), `wristsDown` the wrists falling. Each against the raw onset
 * feature (`...Raw`, z-scored) and against the onset envelope the beat tracker uses (PreparedDance.onset: 1 s moving
 * average removed, rectified; z-scored). Positive: that motion follows the onsets.
 */
export function verticalOnsetCorrelation(dances: readonly PreparedDance[], lag = 1): { name: string; bodyDownRaw: number; wristsDownRaw: number; bodyDown: number; wristsDown: number }[] {
  const z = (x: Float64Array): Float64Array => {
    let m = 0;
    for (const v of x) m += v;
    m /= x.length;
    let s = 0;
    for (const v of x) s += (v - m) ** 2;
    s = Math.sqrt(s / x.length) || 1;
    return x.map((v) => (v - m) / s);
  };
  const r = (x: number): number => Math.round(x * 1000) / 1000;
  return dances.map((p) => {
    const n = p.numFrames;
    const body = new Float64Array(n);
    const wrists = new Float64Array(n);
    for (let t = 1; t < n; t++) {
      const a = t * POSE_DIM;
      const b = (t - 1) * POSE_DIM;
      let s = 0;
      for (let j = 0; j < 23; j++) s += p.poses[a + j * 3 + 1] - p.poses[b + j * 3 + 1];
      body[t] = -s / 23;
      wrists[t] = -(p.poses[a + J.r_wrist * 3 + 1] - p.poses[b + J.r_wrist * 3 + 1] + p.poses[a + J.l_wrist * 3 + 1] - p.poses[b + J.l_wrist * 3 + 1]) / 2;
    }
    const bz = z(body);
    const wz = z(wrists);
    const corr = (o: Float64Array, vz: Float64Array): number => {
      let s = 0;
      let c = 0;
      for (let t = 0; t + lag < n; t++) {
        s += o[t] * vz[t + lag];
        c++;
      }
      return c ? s / c : NaN;
    };
    const raw = z(Float64Array.from(p.onsetFeature));
    const env = z(Float64Array.from(p.onset));
    return { name: p.name, bodyDownRaw: r(corr(raw, bz)), wristsDownRaw: r(corr(raw, wz)), bodyDown: r(corr(env, bz)), wristsDown: r(corr(env, wz)) };
  });
}
