/**
 * Held-out evaluation of a Sound -> pianist model folder (models/audio2body-piano) on a virtual pianist dataset
 * (training/pianist/dataset.ts, `npm run data:pianist`; by default its `test` split: pieces never seen in training).
 *
 * Frames: the model's output at input frame t is the keypoints of frame t - lookahead, so the prediction of keypoint
 * frame i is output i + lookahead; frames i in [0, numFrames - lookahead) are scored (no audio after the excerpt is fed).
 * The whole excerpt is one sequence from a reset state (predictSequence, the same function as the streaming step).
 * Keypoints are in the pianist frame (src/features/piano/keyboard.ts), cm; errors are Euclidean distances in 3D.
 * Aggregates pool all scored frames of all excerpts (frame-weighted).
 *
 * - wrist_error_cm: mean distance of the two wrists (hand landmark 0 of each hand, src/features/piano/layout.ts).
 * - fingertip_error_cm: mean distance of the ten fingertips (hand landmarks 4, 8, 12, 16, 20 of each hand).
 * - keypoint_error_cm: mean distance over all 49 keypoints.
 * - baseline_mean_pose_*: the same with the mean training pose (config.outputNorm.mean) predicted at every frame.
 * - wrist_x_pitch_corr: per hand, the Pearson correlation between the predicted wrist's x (left-right along the
 *   keyboard) and the mean MIDI pitch of the notes that hand plays (sounding at the frame's time i / fps, from the
 *   excerpt's notes.json, which say which hand plays each note), over the frames where that hand plays, pooled over
 *   excerpts; the figure is the mean of the right and left hands' correlations (each also reported).
 *   real_wrist_x_pitch_corr: the same with the real wrist (what the data allows).
 *   wrist_x_pitch_corr_within_excerpt: the stricter per-excerpt correlation (excerpts with >= 25 playing frames and
 *   a pitch that varies), averaged over excerpts and hands: the hands follow the register inside a piece, not only
 *   between pieces.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FINGERTIPS, LEFT_HAND, NUM_PIANIST_KEYPOINTS, PIANIST_DIM, RIGHT_HAND } from '../../src/features/piano/layout';
import { createAudio2BodyPiano } from '../../src/models/audio2body-piano/model';
import { defaultDatasetDir, loadSplit, readManifest, type LoadedExcerpt } from '../pianist/dataset';
import { ROOT } from './dance-data';
import { initTfNode } from './tf-node';

/** Keypoint indices of the two wrists (right, left). */
export const WRISTS = Object.freeze([RIGHT_HAND, LEFT_HAND]);
/** Keypoint indices of the ten fingertips (right hand then left). */
export const FINGERTIP_KEYPOINTS = Object.freeze([...FINGERTIPS.map((f) => RIGHT_HAND + f), ...FINGERTIPS.map((f) => LEFT_HAND + f)]);

/** Per-excerpt figures. */
export interface ExcerptMetrics {
  id: string;
  frames: number;
  wrist_error_cm: number;
  fingertip_error_cm: number;
  baseline_mean_pose_wrist_error_cm: number;
  wrist_x_pitch_corr_r: number | null;
  wrist_x_pitch_corr_l: number | null;
}

/** Aggregated held-out metrics (the card's `metrics`). */
export interface Audio2BodyPianoMetrics {
  excerpts: number;
  frames: number;
  lookahead: number;
  wrist_error_cm: number;
  fingertip_error_cm: number;
  keypoint_error_cm: number;
  baseline_mean_pose_wrist_error_cm: number;
  baseline_mean_pose_fingertip_error_cm: number;
  baseline_mean_pose_keypoint_error_cm: number;
  wrist_x_pitch_corr: number;
  wrist_x_pitch_corr_right: number;
  wrist_x_pitch_corr_left: number;
  real_wrist_x_pitch_corr: number;
  wrist_x_pitch_corr_within_excerpt: number;
  perExcerpt: ExcerptMetrics[];
}

/** The acceptance criteria for this model, each with its outcome. */
export function acceptancePiano(m: Audio2BodyPianoMetrics): Record<string, boolean> {
  return {
    wrist_error_le_0_5_baseline: m.wrist_error_cm <= 0.5 * m.baseline_mean_pose_wrist_error_cm,
    wrist_x_pitch_corr_ge_0_8: m.wrist_x_pitch_corr >= 0.8,
  };
}

/** Running sums for a Pearson correlation. */
class Corr {
  n = 0;
  sx = 0;
  sy = 0;
  sxx = 0;
  syy = 0;
  sxy = 0;
  add(x: number, y: number): void {
    this.n++;
    this.sx += x;
    this.sy += y;
    this.sxx += x * x;
    this.syy += y * y;
    this.sxy += x * y;
  }
  /** Pearson r, or null with fewer than 3 pairs or a constant series. */
  value(): number | null {
    if (this.n < 3) return null;
    const vx = this.sxx - (this.sx * this.sx) / this.n;
    const vy = this.syy - (this.sy * this.sy) / this.n;
    if (!(vx > 1e-9) || !(vy > 1e-9)) return null;
    return (this.sxy - (this.sx * this.sy) / this.n) / Math.sqrt(vx * vy);
  }
}

function dist(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number): number {
  const dx = a[ao] - b[bo];
  const dy = a[ao + 1] - b[bo + 1];
  const dz = a[ao + 2] - b[bo + 2];
  return Math.sqrt(dx * dx + dy * dy + dz * dz);
}

/**
 * Mean MIDI pitch of the notes of `hand` sounding at each frame time i / fps (NaN where the hand plays nothing).
 */
export function handPitchPerFrame(notes: readonly { midi: number; start: number; end: number; hand: string }[], hand: 'r' | 'l', numFrames: number, fps: number): Float64Array {
  const sum = new Float64Array(numFrames);
  const cnt = new Float64Array(numFrames);
  for (const n of notes) {
    if (n.hand !== hand) continue;
    const i0 = Math.max(0, Math.ceil(n.start * fps - 1e-9));
    const i1 = Math.min(numFrames - 1, Math.ceil(n.end * fps - 1e-9) - 1);
    for (let i = i0; i <= i1; i++) {
      sum[i] += n.midi;
      cnt[i]++;
    }
  }
  const out = new Float64Array(numFrames);
  for (let i = 0; i < numFrames; i++) out[i] = cnt[i] > 0 ? sum[i] / cnt[i] : Number.NaN;
  return out;
}

/** Scores predictions (numFrames x 147, frame i = keypoints of frame i, already shifted by the lookahead). */
export interface ScoreInput {
  excerpt: LoadedExcerpt;
  /** Predicted keypoints for frames [0, frames). */
  pred: Float32Array;
  frames: number;
}

/** Computes the metrics from per-excerpt predictions (exported for tests); `meanPose` is the baseline's pose. */
export function scorePiano(inputs: readonly ScoreInput[], meanPose: ArrayLike<number>, lookahead: number, fps: number): Audio2BodyPianoMetrics {
  let frames = 0;
  let wr = 0;
  let ft = 0;
  let kp = 0;
  let bwr = 0;
  let bft = 0;
  let bkp = 0;
  const pooled = { r: new Corr(), l: new Corr() };
  const real = { r: new Corr(), l: new Corr() };
  const within: number[] = [];
  const perExcerpt: ExcerptMetrics[] = [];
  for (const { excerpt: e, pred, frames: n } of inputs) {
    const y = e.keypoints;
    let ewr = 0;
    let eft = 0;
    let ebwr = 0;
    for (let i = 0; i < n; i++) {
      const o = i * PIANIST_DIM;
      for (const k of WRISTS) {
        const d = dist(pred, o + 3 * k, y, o + 3 * k);
        wr += d;
        ewr += d;
        const b = dist(meanPose, 3 * k, y, o + 3 * k);
        bwr += b;
        ebwr += b;
      }
      for (const k of FINGERTIP_KEYPOINTS) {
        const d = dist(pred, o + 3 * k, y, o + 3 * k);
        ft += d;
        eft += d;
        bft += dist(meanPose, 3 * k, y, o + 3 * k);
      }
      for (let k = 0; k < NUM_PIANIST_KEYPOINTS; k++) {
        kp += dist(pred, o + 3 * k, y, o + 3 * k);
        bkp += dist(meanPose, 3 * k, y, o + 3 * k);
      }
    }
    frames += n;
    const corrs: Record<'r' | 'l', number | null> = { r: null, l: null };
    for (const [h, wk] of [['r', RIGHT_HAND], ['l', LEFT_HAND]] as const) {
      const pitch = handPitchPerFrame(e.notes, h, n, fps);
      const c = new Corr();
      for (let i = 0; i < n; i++) {
        if (Number.isNaN(pitch[i])) continue;
        const x = pred[i * PIANIST_DIM + 3 * wk];
        pooled[h].add(x, pitch[i]);
        real[h].add(y[i * PIANIST_DIM + 3 * wk], pitch[i]);
        c.add(x, pitch[i]);
      }
      corrs[h] = c.value();
      if (c.n >= 25 && corrs[h] !== null) within.push(corrs[h] as number);
    }
    perExcerpt.push({
      id: e.id,
      frames: n,
      wrist_error_cm: ewr / (2 * n),
      fingertip_error_cm: eft / (10 * n),
      baseline_mean_pose_wrist_error_cm: ebwr / (2 * n),
      wrist_x_pitch_corr_r: corrs.r,
      wrist_x_pitch_corr_l: corrs.l,
    });
  }
  const cr = pooled.r.value() ?? Number.NaN;
  const cl = pooled.l.value() ?? Number.NaN;
  const rr = real.r.value() ?? Number.NaN;
  const rl = real.l.value() ?? Number.NaN;
  return {
    excerpts: inputs.length,
    frames,
    lookahead,
    wrist_error_cm: wr / (2 * frames),
    fingertip_error_cm: ft / (10 * frames),
    keypoint_error_cm: kp / (NUM_PIANIST_KEYPOINTS * frames),
    baseline_mean_pose_wrist_error_cm: bwr / (2 * frames),
    baseline_mean_pose_fingertip_error_cm: bft / (10 * frames),
    baseline_mean_pose_keypoint_error_cm: bkp / (NUM_PIANIST_KEYPOINTS * frames),
    wrist_x_pitch_corr: (cr + cl) / 2,
    wrist_x_pitch_corr_right: cr,
    wrist_x_pitch_corr_left: cl,
    real_wrist_x_pitch_corr: (rr + rl) / 2,
    wrist_x_pitch_corr_within_excerpt: within.length > 0 ? within.reduce((s, v) => s + v, 0) / within.length : Number.NaN,
    perExcerpt,
  };
}

/** Options of {@link evalAudio2BodyPiano}. */
export interface EvalPianoOptions {
  /** Dataset folder (manifest.json); default .cache/pianist. */
  dataDir?: string;
  modelDir: string;
  /** Which split to score (default 'test', the held-out pieces). */
  split?: 'train' | 'test';
  /** Already loaded excerpts (skips reading the split). */
  excerpts?: LoadedExcerpt[];
}

/** Loads the model folder and scores it on the dataset's held-out excerpts. */
export async function evalAudio2BodyPiano(o: EvalPianoOptions): Promise<Audio2BodyPianoMetrics> {
  await initTfNode();
  const dataDir = o.dataDir ?? defaultDatasetDir(ROOT);
  const excerpts = o.excerpts ?? loadSplit(dataDir, o.split ?? 'test');
  if (excerpts.length === 0) throw new Error(`no ${o.split ?? 'test'} excerpts in ${dataDir}`);
  const fps = readManifest(dataDir).fps;
  const model = createAudio2BodyPiano(o.modelDir);
  await model.load();
  try {
    const L = model.config.lookahead;
    const inputs: ScoreInput[] = [];
    for (const e of excerpts) {
      const n = e.numFrames - L;
      if (n < 1) continue;
      const out = model.predictSequence(e.features, e.pitch, e.numFrames);
      inputs.push({ excerpt: e, pred: out.subarray(L * PIANIST_DIM), frames: n });
    }
    return scorePiano(inputs, model.config.outputNorm.mean, L, fps);
  } finally {
    model.dispose();
  }
}

/**
 * `npm run eval`'s entry: scores the model on the dataset's held-out excerpts when both the dataset (manifest.json;
 * default .cache/pianist) and the model folder (config.json) exist, else null.
 */
export async function evalAudio2BodyPianoIfPresent(o: { dataDir?: string; modelDir: string }): Promise<Audio2BodyPianoMetrics | null> {
  const dataDir = resolve(o.dataDir ?? defaultDatasetDir(ROOT));
  if (!existsSync(join(dataDir, 'manifest.json')) || !existsSync(join(o.modelDir, 'config.json'))) return null;
  return evalAudio2BodyPiano({ dataDir, modelDir: o.modelDir });
}
