/**
 * Held-out evaluation of a Sound -> body model folder on Dance with Melody dances.
 *
 * Frames: the model's output at audio frame t is the pose of frame t - lookahead, so the prediction of skeleton frame
 * i is output i + lookahead; frames i in [0, numFrames - lookahead) are scored (the music after the dance is not fed).
 * Poses are compared root-relative (pelvis at 0) in body-scale units and converted to cm with each dance's median
 * body scale (features/skeleton medianBodyScale).
 *
 * - mpjpe_cm: body-facing frame (every real frame turned so its hips face +z, as the model is trained).
 * - baseline_mean_pose_mpjpe_cm: the mean training pose (config.poseNorm.mean) in the same frame.
 * - mpjpe_world_cm: root-relative in the real (world) facing. The model has no facing, so each predicted frame is
 *   turned into the real frame's facing (the inverse of the yaw normalizePose removed from the real pose) and compared
 *   with the real root-relative pose; the baseline mean pose gets the same treatment (baseline_mean_pose_mpjpe_world_cm).
 *   As the real facing is given, this measures body posture only, not facing (which the music cannot predict).
 * - speed_ratio: mean joint speed (cm/s, body-facing frame) of the prediction / of the real motion, pooled over frames.
 * - kinematic beats: strict local minima of the mean joint speed, Gaussian-smoothed with sigma KINEMATIC_SMOOTH_SIGMA
 *   (2 frames = 80 ms); kinematic_beat_rate_ratio = (pred beats per second) / (real beats per second), pooled.
 * - motion_tempo_ratio: dominant frequency (0.2-5 Hz) of the predicted joint-speed curve / the real one's, geometric
 *   mean over dances.
 * - onset_response_lag_frames: how many model steps after a sound's frame the predicted motion responds to it most:
 *   L + the lag (-RESPONSE_MAX_LAG..RESPONSE_MAX_LAG frames) at which the onset feature at frame t correlates most with
 *   the predicted mean joint speed at frame t + lag, cross-correlations summed over dances (each scaled to its peak).
 *   The model is trained through its output smoothing, so the smoothing's nominal lag a / (1 - a) is largely
 *   compensated; this measures what is left. onset_response_curve: the summed curve, lags -10..10.
 * - bas_*: Bailando's Beat Alignment Score (sigma 3 frames), music beats by training/lib/beats trackBeats on the onset
 *   feature; pooled over all music beats. bas_chance: the real kinematic beats circularly shifted by 2, 4, 6, 8 and 10 s.
 */
import { FEATURE_INDEX } from '../../src/features/spec';
import { POSE_DIM, facingYaw, medianBodyScale, normalizePose } from '../../src/features/skeleton';
import { createAudio2Body } from '../../src/models/audio2body/model';
import { trackBeats } from './beats';
import { DEFAULT_DANCE_DIR, HELD_OUT, listDances, loadDances, type Dance } from './dance-data';
import { KINEMATIC_SMOOTH_SIGMA, addCrossCorrelation, beatAlignmentScore, dominantFrequency, geometricMean, jointSpeed, kinematicBeats, mpjpePerFrame, peakLag, unrotateYaw } from './motion-metrics';
import { initTfNode } from './tf-node';

/** Largest lag (frames) searched for onset_response_lag_frames. */
export const RESPONSE_MAX_LAG = 10;

/** Shifts (seconds) of the real motion for bas_chance. */
export const CHANCE_SHIFTS_S = Object.freeze([2, 4, 6, 8, 10]);
/** BAS sigma in frames. */
export const BAS_SIGMA = 3;

/** Per-dance figures. */
export interface DanceMetrics {
  name: string;
  frames: number;
  bodyScaleCm: number;
  mpjpe_cm: number;
  baseline_mean_pose_mpjpe_cm: number;
  mpjpe_world_cm: number;
  speed_pred_cm_s: number;
  speed_real_cm_s: number;
  kinematic_beats_per_s_pred: number;
  kinematic_beats_per_s_real: number;
  motion_freq_pred_hz: number;
  motion_freq_real_hz: number;
  music_bpm: number;
  bas_pred: number;
  bas_real: number;
  bas_chance: number;
}

/** Aggregated held-out metrics (the card's `metrics`). */
export interface Audio2BodyMetrics {
  heldOut: string[];
  frames: number;
  lookahead: number;
  mpjpe_cm: number;
  baseline_mean_pose_mpjpe_cm: number;
  mpjpe_world_cm: number;
  baseline_mean_pose_mpjpe_world_cm: number;
  speed_ratio: number;
  kinematic_beat_rate_ratio: number;
  kinematic_beats_per_s_pred: number;
  kinematic_beats_per_s_real: number;
  motion_tempo_ratio: number;
  bas_pred: number;
  bas_real: number;
  bas_chance: number;
  /** Model steps after a sound's frame at which the predicted motion responds most (see the file's doc). */
  onset_response_lag_frames: number;
  /** Summed onset -> predicted speed cross-correlation, lags -RESPONSE_MAX_LAG..RESPONSE_MAX_LAG (target frames). */
  onset_response_curve: number[];
  perDance: DanceMetrics[];
}

/** Acceptance of the issue, each criterion with its value. */
export function acceptance(m: Audio2BodyMetrics): Record<string, boolean> {
  return {
    mpjpe_le_0_95_baseline: m.mpjpe_cm <= 0.95 * m.baseline_mean_pose_mpjpe_cm,
    speed_ratio_in_0_7_1_4: m.speed_ratio >= 0.7 && m.speed_ratio <= 1.4,
    kinematic_beat_rate_ratio_in_0_7_1_4: m.kinematic_beat_rate_ratio >= 0.7 && m.kinematic_beat_rate_ratio <= 1.4,
    motion_tempo_ratio_in_0_5_2: m.motion_tempo_ratio >= 0.5 && m.motion_tempo_ratio <= 2,
    bas_pred_ge_chance: m.bas_pred >= m.bas_chance,
  };
}

/** Real poses of a dance: body-facing and world-facing root-relative, in body-scale units; yaw per frame; scale in cm. */
/**
 * Mean body-facing training pose of each group of dances (e.g. by style or by family), frame-weighted, read one dance
 * at a time from `dir`.
 */
export async function meanPosesBy(dir: string, names: readonly string[], groupOf: (name: string) => string): Promise<Record<string, Float64Array>> {
  const sum: Record<string, Float64Array> = {};
  const frames: Record<string, number> = {};
  for (const name of names) {
    const [d] = await loadDances(dir, [name]);
    const r = normalizedDance(d);
    const g = groupOf(name);
    sum[g] ??= new Float64Array(POSE_DIM);
    frames[g] = (frames[g] ?? 0) + d.numFrames;
    for (let i = 0; i < d.numFrames; i++) for (let k = 0; k < POSE_DIM; k++) sum[g][k] += r.facing[i * POSE_DIM + k];
  }
  for (const g of Object.keys(sum)) for (let k = 0; k < POSE_DIM; k++) sum[g][k] /= frames[g];
  return sum;
}

export function normalizedDance(d: Dance): { facing: Float32Array; world: Float32Array; yaw: Float64Array; scale: number } {
  const scale = medianBodyScale(d.poses, d.numFrames);
  const facing = new Float32Array(d.numFrames * POSE_DIM);
  const world = new Float32Array(d.numFrames * POSE_DIM);
  const yaw = new Float64Array(d.numFrames);
  for (let i = 0; i < d.numFrames; i++) {
    const p = d.poses.subarray(i * POSE_DIM, (i + 1) * POSE_DIM);
    normalizePose(p, facing.subarray(i * POSE_DIM, (i + 1) * POSE_DIM), { scale, bodyFacing: true });
    normalizePose(p, world.subarray(i * POSE_DIM, (i + 1) * POSE_DIM), { scale, bodyFacing: false });
    yaw[i] = facingYaw(p);
  }
  return { facing, world, yaw, scale };
}

/** Onset feature column of a dance. */
export function onsetOf(d: Dance): Float32Array {
  const on = new Float32Array(d.numFrames);
  for (let i = 0; i < d.numFrames; i++) on[i] = d.features[i * d.featureDim + FEATURE_INDEX.onset];
  return on;
}

function shiftBeats(beats: readonly number[], shift: number, n: number): number[] {
  return beats.map((b) => (b + shift) % n).sort((a, b) => a - b);
}

/** Scores predicted poses (body-facing, body-scale units, numFrames x 69, already aligned to the dance's frames). */
export function scoreDance(d: Dance, pred: Float32Array, n: number, meanPose: ArrayLike<number>): { m: DanceMetrics; sums: Record<string, number>; response: Float64Array } {
  const real = normalizedDance(d);
  const fps = d.fps;
  const mean = new Float32Array(n * POSE_DIM);
  for (let i = 0; i < n; i++) for (let k = 0; k < POSE_DIM; k++) mean[i * POSE_DIM + k] = meanPose[k];
  const err = mpjpePerFrame(pred, real.facing, n, real.scale);
  const errBase = mpjpePerFrame(mean, real.facing, n, real.scale);
  const predWorld = new Float32Array(n * POSE_DIM);
  const meanWorld = new Float32Array(n * POSE_DIM);
  for (let i = 0; i < n; i++) {
    unrotateYaw(pred.subarray(i * POSE_DIM, (i + 1) * POSE_DIM), real.yaw[i], predWorld.subarray(i * POSE_DIM, (i + 1) * POSE_DIM));
    unrotateYaw(meanPose, real.yaw[i], meanWorld.subarray(i * POSE_DIM, (i + 1) * POSE_DIM));
  }
  const errWorld = mpjpePerFrame(predWorld, real.world, n, real.scale);
  const errWorldBase = mpjpePerFrame(meanWorld, real.world, n, real.scale);
  const spPred = jointSpeed(pred, n);
  const spReal = jointSpeed(real.facing, n);
  const kbPred = kinematicBeats(spPred, KINEMATIC_SMOOTH_SIGMA);
  const kbReal = kinematicBeats(spReal, KINEMATIC_SMOOTH_SIGMA);
  const beats = trackBeats(onsetOf(d), fps);
  const music = beats.beats.map((s) => Math.round(s * fps)).filter((f) => f < n);
  let chance = 0;
  for (const s of CHANCE_SHIFTS_S) chance += beatAlignmentScore(music, shiftBeats(kbReal, Math.round(s * fps), n), BAS_SIGMA);
  chance /= CHANCE_SHIFTS_S.length;
  const sum = (x: ArrayLike<number>) => {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i];
    return s;
  };
  const seconds = n / fps;
  const m: DanceMetrics = {
    name: d.name,
    frames: n,
    bodyScaleCm: real.scale,
    mpjpe_cm: sum(err) / n,
    baseline_mean_pose_mpjpe_cm: sum(errBase) / n,
    mpjpe_world_cm: sum(errWorld) / n,
    speed_pred_cm_s: (sum(spPred) / n) * real.scale * fps,
    speed_real_cm_s: (sum(spReal) / n) * real.scale * fps,
    kinematic_beats_per_s_pred: kbPred.length / seconds,
    kinematic_beats_per_s_real: kbReal.length / seconds,
    motion_freq_pred_hz: dominantFrequency(spPred, fps),
    motion_freq_real_hz: dominantFrequency(spReal, fps),
    music_bpm: beats.bpm,
    bas_pred: beatAlignmentScore(music, kbPred, BAS_SIGMA),
    bas_real: beatAlignmentScore(music, kbReal, BAS_SIGMA),
    bas_chance: chance,
  };
  const sums = {
    err: sum(err),
    errBase: sum(errBase),
    errWorld: sum(errWorld),
    errWorldBase: sum(errWorldBase),
    spPred: sum(spPred) * real.scale,
    spReal: sum(spReal) * real.scale,
    kbPred: kbPred.length,
    kbReal: kbReal.length,
    nBeats: music.length,
    basPred: m.bas_pred * music.length,
    basReal: m.bas_real * music.length,
    basChance: chance * music.length,
  };
  const response = new Float64Array(2 * RESPONSE_MAX_LAG + 1);
  addCrossCorrelation(onsetOf(d), spPred, n, RESPONSE_MAX_LAG, response);
  return { m, sums, response };
}

/** Aggregates per-dance scores into held-out metrics. */
export function aggregate(scored: { m: DanceMetrics; sums: Record<string, number>; response: Float64Array }[], lookahead: number, fps: number): Audio2BodyMetrics {
  const tot: Record<string, number> = {};
  let frames = 0;
  const response = new Float64Array(2 * RESPONSE_MAX_LAG + 1);
  for (const s of scored) {
    frames += s.m.frames;
    for (let i = 0; i < response.length; i++) response[i] += s.response[i];
    for (const [k, v] of Object.entries(s.sums)) tot[k] = (tot[k] ?? 0) + v;
  }
  const seconds = frames / fps;
  return {
    heldOut: scored.map((s) => s.m.name),
    frames,
    lookahead,
    mpjpe_cm: tot.err / frames,
    baseline_mean_pose_mpjpe_cm: tot.errBase / frames,
    mpjpe_world_cm: tot.errWorld / frames,
    baseline_mean_pose_mpjpe_world_cm: tot.errWorldBase / frames,
    speed_ratio: tot.spPred / tot.spReal,
    kinematic_beat_rate_ratio: tot.kbPred / tot.kbReal,
    kinematic_beats_per_s_pred: tot.kbPred / seconds,
    kinematic_beats_per_s_real: tot.kbReal / seconds,
    motion_tempo_ratio: geometricMean(scored.map((s) => s.m.motion_freq_pred_hz / s.m.motion_freq_real_hz)),
    bas_pred: tot.basPred / tot.nBeats,
    bas_real: tot.basReal / tot.nBeats,
    bas_chance: tot.basChance / tot.nBeats,
    onset_response_lag_frames: lookahead + peakLag(response, RESPONSE_MAX_LAG),
    onset_response_curve: Array.from(response, (v) => Math.round(v * 1000) / 1000),
    perDance: scored.map((s) => s.m),
  };
}

/** Options of {@link evalAudio2Body}. */
export interface EvalAudio2BodyOptions {
  /** Dance data folder (default ../shared/data/dance-with-melody). */
  dataDir?: string;
  /** Dances to score (default: HELD_OUT, those present in dataDir). */
  names?: readonly string[];
  /** Model folder (path). */
  modelDir: string;
  /** Already loaded dances to reuse (by name), to skip loading. */
  dances?: readonly Dance[];
}

/** Loads the model folder, predicts every dance from its music and returns the held-out metrics. */
export async function evalAudio2Body(opts: EvalAudio2BodyOptions): Promise<Audio2BodyMetrics> {
  await initTfNode();
  const dataDir = opts.dataDir ?? DEFAULT_DANCE_DIR;
  const available = listDances(dataDir);
  const names = opts.names ?? HELD_OUT.filter((n) => available.includes(n));
  if (names.length === 0) throw new Error(`evalAudio2Body: no dances to score in ${dataDir}`);
  const missing = names.filter((n) => !available.includes(n));
  if (missing.length > 0) throw new Error(`evalAudio2Body: dances not found in ${dataDir}: ${missing.join(', ')}`);
  const model = createAudio2Body(opts.modelDir);
  await model.load();
  try {
    const L = model.config.lookahead;
    const meanPose = model.config.poseNorm.mean;
    const scored = [];
    for (const name of names) {
      const d = opts.dances?.find((x) => x.name === name) ?? (await loadDances(dataDir, [name]))[0];
      const n = d.numFrames - L;
      if (n < d.fps * 10) throw new Error(`evalAudio2Body: ${name} is too short (${d.numFrames} frames)`);
      const out = model.predictSequence(d.features, d.numFrames);
      const pred = out.slice(L * POSE_DIM, (L + n) * POSE_DIM);
      scored.push(scoreDance(d, pred, n, meanPose));
    }
    return aggregate(scored, L, model.config.fps);
  } finally {
    model.dispose();
  }
}
