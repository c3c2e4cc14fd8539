/**
 * Trains the Sound -> pianist model (Audio to Body Dynamics: one LSTM with a time-delay lookahead, here from audio
 * features + pitch bands to both hands' 21 landmarks and the upper body) on the virtual pianist dataset and writes
 * models/audio2body-piano: model.json + weights.bin, config.json, card.json.
 *
 *   npm run train:audio2body-piano -- [--data DIR] [--out DIR] [--epochs N] [--lookahead N] [--seed N] [--hidden N]
 *       [--seq N] [--batch N] [--lr X] [--smoothing X] [--lookahead-table 0,2,4 --table-epochs N] [--no-eval]
 *
 * Data: `npm run data:pianist` (default .cache/pianist); trains on its `train` split, evaluates on `test` (held-out
 * pieces). Input per frame: the 41 audio features (src/features/extractor.ts) and the 88 pitch bands
 * (src/features/pitch.ts), z-scored with training statistics. Target: the 147 keypoint values (cm, pianist frame) of
 * frame t - lookahead, z-scored. Loss: MSE over the z-scored keypoints after a state warm-up in each window (this is
 * regression toward the played register, not free motion, so no motion-matching terms). Training: BPTT in typed arrays
 * (training/lib/lstm-bptt.ts), Adam with cosine decay, weights copied into the tfjs network the app loads.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_FEATURE_SPEC, computeNormalization } from '../src/features/spec';
import { DEFAULT_PITCH_SPEC } from '../src/features/pitch';
import { PIANIST_DIM, PIANIST_KEYPOINT_NAMES } from '../src/features/piano/layout';
import type { FeatureNormalization } from '../src/features/types';
import { AUDIO2BODY_PIANO_CONFIG_VERSION, AUDIO2BODY_PIANO_KIND, PIANO_FEATURE_DIM, PIANO_INPUT_DIM, PIANO_PITCH_DIM, type Audio2BodyPianoConfig } from '../src/models/audio2body-piano/model';
import { buildAudio2BodyPianoNetwork } from '../src/models/audio2body-piano/network';
import { ROOT, parseArgs } from './lib/dance-data';
import { acceptancePiano, evalAudio2BodyPiano, type Audio2BodyPianoMetrics } from './lib/eval-audio2body-piano';
import { Adam, LstmWorkspace, backward, forward, initLstmParams, mulberry32, smoothBackward, smoothForward, tensorsOf, zerosLike } from './lib/lstm-bptt';
import { initTfNode, saveLayersModel } from './lib/tf-node';
import { defaultDatasetDir, loadSplit, readManifest, type LoadedExcerpt } from './pianist/dataset';

/** Training hyper-parameters (all in card.json). */
export interface PianoTrainOptions {
  dataDir: string;
  outDir: string;
  epochs: number;
  lookahead: number;
  seed: number;
  hiddenUnits: number;
  /** Window length in frames. */
  seqLen: number;
  /** Frames at the start of each window excluded from the loss (state warm-up). */
  warmup: number;
  batch: number;
  lr: number;
  /** One-pole output smoothing, part of the model in training too (0 = none). */
  smoothing: number;
  evaluate: boolean;
  table: number[];
  tableEpochs: number;
}

function intArg(v: string | undefined, name: string, def: number, min: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min} (got ${v})`);
  return n;
}

function numArg(v: string | undefined, name: string, def: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number >= 0 (got ${v})`);
  return n;
}

/** Fills and checks the options from command-line arguments. */
export function pianoTrainOptions(args: Record<string, string>): PianoTrainOptions {
  const smoothing = numArg(args.smoothing, 'smoothing', 0);
  if (smoothing >= 1) throw new Error('--smoothing must be a number in [0, 1)');
  return {
    dataDir: resolve(args.data ?? defaultDatasetDir(ROOT)),
    outDir: resolve(args.out ?? join(ROOT, 'models', 'audio2body-piano')),
    epochs: intArg(args.epochs, 'epochs', 8, 1),
    lookahead: intArg(args.lookahead, 'lookahead', 1, 0),
    seed: intArg(args.seed, 'seed', 20180618, 0),
    hiddenUnits: intArg(args.hidden, 'hidden', 32, 1),
    seqLen: intArg(args.seq, 'seq', 100, 8),
    warmup: intArg(args.warmup, 'warmup', 10, 0),
    batch: intArg(args.batch, 'batch', 4, 1),
    lr: numArg(args.lr, 'lr', 0.005),
    smoothing,
    evaluate: args['no-eval'] !== 'true',
    table: args['lookahead-table'] ? args['lookahead-table'].split(',').map((s) => intArg(s, 'lookahead-table', 0, 0)) : [],
    tableEpochs: intArg(args['table-epochs'], 'table-epochs', 8, 1),
  };
}

/** The model input of an excerpt: per frame its 41 features then its 88 pitch bands (raw). */
export function inputFrames(e: Pick<LoadedExcerpt, 'features' | 'pitch' | 'numFrames'>): Float32Array {
  const n = e.numFrames;
  const x = new Float32Array(n * PIANO_INPUT_DIM);
  for (let t = 0; t < n; t++) {
    x.set(e.features.subarray(t * PIANO_FEATURE_DIM, (t + 1) * PIANO_FEATURE_DIM), t * PIANO_INPUT_DIM);
    x.set(e.pitch.subarray(t * PIANO_PITCH_DIM, (t + 1) * PIANO_PITCH_DIM), t * PIANO_INPUT_DIM + PIANO_FEATURE_DIM);
  }
  return x;
}

function zscore(data: Float32Array, dim: number, norm: FeatureNormalization): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = (data[i] - norm.mean[i % dim]) / norm.std[i % dim];
  return out;
}

/**
 * One mean and std for all 88 pitch bands (pooled over bands and frames), so that bands that rarely sound (the top and
 * bottom of the keyboard) are not blown up by a tiny per-band std and keep their loudness relative to the others.
 */
export function pooledPitchNorm(n: FeatureNormalization): FeatureNormalization {
  const F = PIANO_FEATURE_DIM;
  let m = 0;
  let sq = 0;
  for (let b = 0; b < PIANO_PITCH_DIM; b++) {
    m += n.mean[F + b];
    sq += n.std[F + b] ** 2 + n.mean[F + b] ** 2;
  }
  m /= PIANO_PITCH_DIM;
  const std = Math.sqrt(Math.max(1e-6, sq / PIANO_PITCH_DIM - m * m));
  return { mean: n.mean.map((v, i) => (i < F ? v : m)), std: n.std.map((v, i) => (i < F ? v : std)) };
}

/** Normalization stats as float32-exact numbers (what the model computes with), so config.json stays small. */
function round(n: FeatureNormalization): FeatureNormalization {
  const f = (x: number) => Number(Math.fround(x).toPrecision(8));
  return { mean: n.mean.map(f), std: n.std.map(f) };
}

export interface PianoTrainResult {
  seconds: number;
  lossHistory: number[];
  trainFrames: number;
}

/** Trains one model into `o.outDir` (model.json, weights.bin, config.json). */
export async function trainAudio2BodyPiano(o: PianoTrainOptions, train: LoadedExcerpt[], log: (s: string) => void): Promise<PianoTrainResult> {
  await initTfNode();
  const t0 = performance.now();
  const raw = train.map(inputFrames);
  const inputNorm = round(pooledPitchNorm(computeNormalization(raw.map((data) => ({ data, dim: PIANO_INPUT_DIM })))));
  const outputNorm = round(computeNormalization(train.map((e) => ({ data: e.keypoints, dim: PIANIST_DIM })), 1e-2));
  const data = train.map((e, i) => ({ n: e.numFrames, x: zscore(raw[i], PIANO_INPUT_DIM, inputNorm), y: zscore(e.keypoints, PIANIST_DIM, outputNorm) }));
  const D = PIANIST_DIM;
  const IN = PIANO_INPUT_DIM;
  const L = o.lookahead;
  const T = o.seqLen;
  const rand = mulberry32(o.seed);
  const params = initLstmParams(IN, o.hiddenUnits, D, o.seed);
  const opt = new Adam(tensorsOf(params), o.lr);
  const grads = zerosLike(params);
  const ws = new LstmWorkspace(T, o.hiddenUnits, D);
  const w = Math.min(o.warmup, T - 2);
  const lossHistory: number[] = [];
  // Window starts s (input frame): inputs x[s, s + T), targets y[s - L, s - L + T); non-overlapping windows on a grid
  // shifted by a seeded random offset each epoch, shuffled.
  const updatesPerEpoch = Math.max(1, Math.ceil(data.reduce((s, d) => s + Math.max(0, d.n - L), 0) / T / o.batch));
  const totalSteps = o.epochs * updatesPerEpoch;
  let stepNo = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const starts: [number, number][] = [];
    data.forEach((d, di) => {
      const off = Math.floor(rand() * T);
      // Short excerpts still give one window when they are longer than T.
      const first = d.n - L >= T ? L + Math.min(off, d.n - T - L) : -1;
      if (first < 0) return;
      for (let s = first; s + T <= d.n; s += T) starts.push([di, s]);
      if (first > L) starts.push([di, L]);
    });
    for (let i = starts.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [starts[i], starts[j]] = [starts[j], starts[i]];
    }
    let lossSum = 0;
    let windows = 0;
    for (let b0 = 0; b0 < starts.length; b0 += o.batch) {
      const B = Math.min(o.batch, starts.length - b0);
      for (const g of tensorsOf(grads)) g.fill(0);
      const scale = 1 / (B * (T - w) * D);
      for (let b = 0; b < B; b++) {
        const [di, s] = starts[b0 + b];
        const d = data[di];
        const x = d.x.subarray(s * IN, (s + T) * IN);
        const y = d.y.subarray((s - L) * D, (s - L + T) * D);
        forward(params, x, T, ws);
        smoothForward(ws.out, T, D, o.smoothing);
        const out = ws.out;
        const dout = ws.dout;
        dout.fill(0, 0, T * D);
        let mse = 0;
        for (let t = w; t < T; t++) {
          for (let k = 0; k < D; k++) {
            const e = out[t * D + k] - y[t * D + k];
            mse += e * e;
            dout[t * D + k] = 2 * e * scale;
          }
        }
        lossSum += mse / ((T - w) * D);
        smoothBackward(dout, T, D, o.smoothing);
        windows++;
        backward(params, x, T, ws, grads);
      }
      opt.lr = o.lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * Math.min(stepNo, totalSteps)) / totalSteps)));
      opt.step(tensorsOf(grads));
      stepNo++;
    }
    lossHistory.push(lossSum / Math.max(1, windows));
    log(`epoch ${epoch + 1}/${o.epochs} loss ${(lossSum / Math.max(1, windows)).toFixed(4)} (${Math.ceil(starts.length / o.batch)} updates, ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const net = buildAudio2BodyPianoNetwork(IN, o.hiddenUnits, D, o.seed);
  const shapes = net.getWeights().map((t) => t.shape);
  net.setWeights(tensorsOf(params).map((a, i) => tf.tensor(Float32Array.from(a), shapes[i])));
  mkdirSync(o.outDir, { recursive: true });
  await saveLayersModel(net, o.outDir);
  net.dispose();
  const config: Audio2BodyPianoConfig = {
    kind: AUDIO2BODY_PIANO_KIND,
    version: AUDIO2BODY_PIANO_CONFIG_VERSION,
    fps: DEFAULT_FEATURE_SPEC.fps,
    featureSpec: DEFAULT_FEATURE_SPEC,
    pitchSpec: DEFAULT_PITCH_SPEC,
    keypoints: [...PIANIST_KEYPOINT_NAMES],
    inputNorm,
    outputNorm,
    lookahead: L,
    hiddenUnits: o.hiddenUnits,
    outputSmoothing: o.smoothing,
  };
  writeFileSync(join(o.outDir, 'config.json'), JSON.stringify(config, null, 1) + '\n');
  return { seconds: (performance.now() - t0) / 1000, lossHistory, trainFrames: data.reduce((s, d) => s + d.n, 0) };
}

/** Rounds non-integer numbers to 6 significant digits (card.json; npm run eval reproduces them to that precision). */
export function roundMetrics<T>(m: T): T {
  return JSON.parse(JSON.stringify(m, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v))) as T;
}

function pick(m: Audio2BodyPianoMetrics): Record<string, number> {
  const { wrist_error_cm, fingertip_error_cm, keypoint_error_cm, baseline_mean_pose_wrist_error_cm, baseline_mean_pose_fingertip_error_cm, wrist_x_pitch_corr, wrist_x_pitch_corr_within_excerpt } = m;
  return { wrist_error_cm, fingertip_error_cm, keypoint_error_cm, baseline_mean_pose_wrist_error_cm, baseline_mean_pose_fingertip_error_cm, wrist_x_pitch_corr, wrist_x_pitch_corr_within_excerpt };
}

async function main(): Promise<void> {
  const o = pianoTrainOptions(parseArgs(process.argv.slice(2)));
  const log = (s: string) => console.error(`[audio2body-piano] ${s}`);
  const manifest = readManifest(o.dataDir);
  const train = loadSplit(o.dataDir, 'train');
  if (train.length === 0) throw new Error(`no training excerpts in ${o.dataDir}`);
  const trainFrames = train.reduce((s, e) => s + e.numFrames, 0);
  log(`training on ${train.length} excerpts (${trainFrames} frames), lookahead ${o.lookahead}, ${o.epochs} epochs`);
  const r = await trainAudio2BodyPiano(o, train, log);
  log(`trained in ${r.seconds.toFixed(1)} s`);
  const test = o.evaluate ? loadSplit(o.dataDir, 'test') : [];
  let metrics: (Audio2BodyPianoMetrics & { lookahead_table?: unknown }) | null = null;
  let tableSeconds = 0;
  if (o.evaluate) {
    metrics = roundMetrics(await evalAudio2BodyPiano({ dataDir: o.dataDir, modelDir: o.outDir, excerpts: test }));
    log(`held-out: ${JSON.stringify(pick(metrics))}`);
    if (o.table.length > 0) {
      const rows = [];
      for (const L of o.table) {
        if (L === o.lookahead) {
          rows.push({ lookahead: L, epochs: o.epochs, shipped: true, ...pick(metrics) });
          continue;
        }
        const dir = mkdtempSync(join(tmpdir(), `a2bp-L${L}-`));
        try {
          const rt = await trainAudio2BodyPiano({ ...o, lookahead: L, epochs: o.tableEpochs, outDir: dir }, train, log);
          tableSeconds += rt.seconds;
          const m = roundMetrics(await evalAudio2BodyPiano({ dataDir: o.dataDir, modelDir: dir, excerpts: test }));
          rows.push({ lookahead: L, epochs: o.tableEpochs, shipped: false, ...pick(m) });
          log(`lookahead ${L}: ${JSON.stringify(rows[rows.length - 1])}`);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
      metrics.lookahead_table = rows;
    }
  }
  const card = {
    model: 'audio2body-piano',
    task: 'Sound -> pianist: audio features + 88 pitch bands -> 49 keypoints (7 upper-body joints, 21 MediaPipe landmarks per hand), cm, pianist frame (src/features/piano/keyboard.ts)',
    method: 'Audio to Body Dynamics (Shlizerman, Dery, Schoen, Kemelmacher-Shlizerman, CVPR 2018): one LSTM with a time-delay lookahead, trained by BPTT in typed arrays with MSE on z-scored keypoints; pitch bands (src/features/pitch.ts) added to the 41 audio features so the hands can find the register',
    data: {
      name: 'virtual pianist dataset (training/pianist, npm run data:pianist): classical piano MIDI rendered with the Salamander grand piano, kinematic pianist',
      dir: relative(ROOT, o.dataDir),
      seed: manifest.seed,
      secondsPerPiece: manifest.secondsPerPiece,
      trainExcerpts: train.length,
      trainFrames,
      testExcerpts: test.length,
    },
    split: { by: 'piece (held-out pieces never seen in training)', heldOut: test.map((e) => e.id) },
    input: { features: PIANO_FEATURE_DIM, pitchBands: PIANO_PITCH_DIM, normalization: 'z-score with training statistics (config.inputNorm): per feature; one pooled mean and std for all pitch bands' },
    output: { keypoints: PIANIST_KEYPOINT_NAMES.length, frame: 'pianist frame, cm (x along the keyboard toward high notes, y up, z toward the performer); z-scored in training (config.outputNorm)', lookahead: o.lookahead, outputSmoothing: o.smoothing },
    training: {
      seconds: Number(r.seconds.toFixed(1)),
      lookaheadTableSeconds: Number(tableSeconds.toFixed(1)),
      lookaheadTableEpochs: o.table.length > 0 ? o.tableEpochs : null,
      backend: 'plain typed-array BPTT (training/lib/lstm-bptt.ts), 1 thread, 2-core machine shared with other jobs; weights copied into the tfjs network',
      seed: o.seed,
      command: `npm run train:audio2body-piano -- ${process.argv.slice(2).join(' ')}`.trim(),
      epochs: o.epochs,
      hiddenUnits: o.hiddenUnits,
      seqLen: o.seqLen,
      warmupFrames: o.warmup,
      batch: o.batch,
      lr: o.lr,
      lossHistory: r.lossHistory.map((v) => Number(v.toFixed(5))),
    },
    metrics,
    baselines: metrics ? { mean_training_pose_wrist_error_cm: metrics.baseline_mean_pose_wrist_error_cm, mean_training_pose_fingertip_error_cm: metrics.baseline_mean_pose_fingertip_error_cm } : null,
    acceptance: metrics ? acceptancePiano(metrics) : null,
    metricDefinitions: 'training/lib/eval-audio2body-piano.ts (header comment)',
    notes: ['lookahead_table rows other than the shipped one were trained with training.lookaheadTableEpochs epochs (fewer than the shipped model).'],
  };
  writeFileSync(join(o.outDir, 'card.json'), JSON.stringify(card, null, 1) + '\n');
  log(`wrote ${o.outDir}`);
  if (metrics) console.log(JSON.stringify({ seconds: card.training.seconds, acceptance: card.acceptance, ...pick(metrics) }));
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  await main();
}
