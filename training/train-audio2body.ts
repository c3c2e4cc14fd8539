/**
 * Trains the Sound -> body model (Audio to Body Dynamics: one LSTM on audio features with a time-delay lookahead) on
 * Dance with Melody and writes models/audio2body-dance: model.json + weights.bin, config.json, card.json.
 *
 *   npm run train:audio2body -- [--data DIR] [--out DIR] [--epochs N] [--dances a,b] [--lookahead N] [--seed N]
 *       [--hidden N] [--seq N] [--batch N] [--lr X] [--smoothing auto|X] [--lookahead-table 0,2,6 --table-epochs N]
 *       [--no-posture] [--highpass-hz 0.4] [--posture-tau 250] [--posture-l2 0.01] [--posture-steps 400] [--no-eval]
 *
 * Input: the 41 feature values per frame, z-scored with training statistics. Target: the pose of frame t - lookahead,
 * root-relative, divided by the dancer's median body scale, turned to face +z, z-scored. Loss: MSE plus terms matching
 * each training window's per-dimension motion magnitude (std over time) and speed (mean |frame difference|), so that
 * the body keeps the real motion's amplitude instead of collapsing to a trembling mean pose. Then, unless --no-posture,
 * the posture stage (src/models/audio2body/posture.ts) is fitted on the training dances: fitPosture and highpassGain.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_FEATURE_SPEC, computeNormalization } from '../src/features/spec';
import { JOINT_NAMES, POSE_DIM } from '../src/features/skeleton';
import type { FeatureNormalization } from '../src/features/types';
import { AUDIO2BODY_CONFIG_VERSION, type Audio2BodyConfigV1 } from '../src/models/audio2body/model';
import { buildAudio2BodyNetwork } from '../src/models/audio2body/network';
import { DEFAULT_DANCE_DIR, HELD_OUT, ROOT, listDances, loadDances, parseArgs, splitDances, styleOf, type Dance } from './lib/dance-data';
import { acceptance, evalAudio2Body, normalizedDance, type Audio2BodyMetrics } from './lib/eval-audio2body';
import { KINEMATIC_SMOOTH_SIGMA, jointSpeed, kinematicBeats } from './lib/motion-metrics';
import { Adam, LstmWorkspace, backward, forward, initLstmParams, motionLoss, mulberry32, smoothBackward, smoothForward, tensorsOf, zerosLike, type LstmParams } from './lib/lstm-bptt';
import { PostureStage, type PostureConfig } from '../src/models/audio2body/posture';
import { initTfNode, saveLayersModel } from './lib/tf-node';

/** Training hyper-parameters (all in card.json). */
export interface TrainOptions {
  dataDir: string;
  outDir: string;
  epochs: number;
  dances: string[] | null;
  lookahead: number;
  seed: number;
  hiddenUnits: number;
  /** Window length in frames. */
  seqLen: number;
  /** Frames at the start of each window excluded from the loss (state warm-up). */
  warmup: number;
  batch: number;
  /** Window stride as a fraction of seqLen (1 = non-overlapping windows; each epoch shifts the grid randomly). */
  strideFraction: number;
  lr: number;
  /** Weight of the per-dimension std-matching term. */
  stdWeight: number;
  /** Weight of the per-dimension speed-matching term. */
  speedWeight: number;
  /** Weight of the per-dimension band-amplitude matching term. */
  bandWeight: number;
  /** Weight of the per-window posture (window mean) term. */
  meanWeight: number;
  /** Band edges in Hz for the band term. */
  bandEdgesHz: number[];
  /** Weight of the speed-envelope shape term (lstm-bptt motionLoss `env`). */
  envWeight: number;
  /** Band edges in Hz for the speed-envelope term. */
  envEdgesHz: number[];
  /** One-pole output smoothing coefficient, part of the model in training (default 0.7), or 'auto' (none in training, chosen afterwards on the training dances, see chooseSmoothing). */
  smoothing: number | 'auto';
  /** Posture stage (src/models/audio2body/posture.ts): dance-family posture + high-passed LSTM motion, trained through. */
  posture: boolean;
  /** Posture stage: motion high-pass cut-off, Hz. */
  highpassHz: number;
  /** Posture stage: time constant of the running feature statistics, frames. */
  postureTau: number;
  /** Posture stage: L2 weight of the family classifier. */
  postureL2: number;
  /** Posture stage: full-batch gradient steps of the family classifier. */
  postureSteps: number;

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

export function trainOptions(args: Record<string, string>): TrainOptions {
  const smoothing = args.smoothing === 'auto' ? 'auto' : numArg(args.smoothing, 'smoothing', 0.7);
  if (smoothing !== 'auto' && smoothing >= 1) throw new Error('--smoothing must be auto or a number in [0, 1)');
  return {
    dataDir: resolve(args.data ?? DEFAULT_DANCE_DIR),
    outDir: resolve(args.out ?? join(ROOT, 'models', 'audio2body-dance')),
    epochs: intArg(args.epochs, 'epochs', 16, 1),
    dances: args.dances ? args.dances.split(',').map((s) => s.trim()).filter((s) => s.length > 0) : null,
    lookahead: intArg(args.lookahead, 'lookahead', 1, 0),
    seed: intArg(args.seed, 'seed', 20180618, 0),
    hiddenUnits: intArg(args.hidden, 'hidden', 64, 1),
    seqLen: intArg(args.seq, 'seq', 150, 8),
    warmup: intArg(args.warmup, 'warmup', 10, 0),
    batch: intArg(args.batch, 'batch', 8, 1),
    strideFraction: numArg(args.stride, 'stride', 1),
    lr: numArg(args.lr, 'lr', 0.002),
    stdWeight: numArg(args['std-weight'], 'std-weight', 1.5),
    speedWeight: numArg(args['speed-weight'], 'speed-weight', 0),
    bandWeight: numArg(args['band-weight'], 'band-weight', 0.5),
    meanWeight: numArg(args['mean-weight'], 'mean-weight', 2),
    bandEdgesHz: (args['band-edges'] ?? '0.15,0.6,1.1,1.8,3,6').split(',').map((v) => numArg(v, 'band-edges', 0)),
    envWeight: numArg(args['env-weight'], 'env-weight', 0),
    envEdgesHz: (args['env-edges'] ?? '0.15,0.6,1.1,1.8,3,6').split(',').map((v) => numArg(v, 'env-edges', 0)),
    smoothing,
    posture: args['no-posture'] !== 'true',
    highpassHz: numArg(args['highpass-hz'], 'highpass-hz', 0.4),
    postureTau: numArg(args['posture-tau'], 'posture-tau', 250),
    postureL2: numArg(args['posture-l2'], 'posture-l2', 1e-2),
    postureSteps: intArg(args['posture-steps'], 'posture-steps', 400, 1),

    evaluate: args['no-eval'] !== 'true',
    table: args['lookahead-table'] ? args['lookahead-table'].split(',').map((s) => intArg(s, 'lookahead-table', 0, 0)) : [],
    tableEpochs: intArg(args['table-epochs'], 'table-epochs', 4, 1),
  };
}

export interface Prepared {
  name: string;
  n: number;
  /** z-scored features, n x 41. */
  x: Float32Array;
  /** z-scored body-facing poses, n x 69. */
  y: Float32Array;
  /** Body-facing normalized poses (not z-scored), n x 69. */
  facing: Float32Array;
}

/** Pose normalization over the training dances' body-facing poses. */
function poseNormOf(facing: Float32Array[]): FeatureNormalization {
  return computeNormalization(facing.map((data) => ({ data, dim: POSE_DIM })), 1e-3);
}

function zscore(data: Float32Array, dim: number, norm: FeatureNormalization): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = (data[i] - norm.mean[i % dim]) / norm.std[i % dim];
  return out;
}

export interface TrainResult {
  seconds: number;
  lossHistory: number[];
  featureNorm: FeatureNormalization;
  poseNorm: FeatureNormalization;
  smoothing: number;
  smoothingChoice: Record<string, number> | null;
  posture: PostureConfig | null;
  /** Share of training-dance frames whose family the posture classifier gets right (null without posture). */
  postureTrainAccuracy: number | null;
}

/** Dance families of the posture stage: measured, Latin dances share one posture and Standard dances another. */
export const POSTURE_FAMILIES = Object.freeze(['latin', 'standard'] as const);
/** Family index of a dance (0 latin: cha-cha, rumba; 1 standard: tango, waltz). */
export function familyOf(name: string): number {
  const s = styleOf(name);
  return s === 'cha-cha' || s === 'rumba' ? 0 : 1;
}

/**
 * Fits the posture stage on the training dances: each family's mean body-facing pose, and a softmax regression from
 * the stage's own running feature statistics (every 5th frame of every dance, classes weighted equally, L2 weight
 * postureL2, postureSteps full-batch gradient steps of 0.5 from zero: deterministic) to the family.
 */
export function fitPosture(data: Prepared[], o: Pick<TrainOptions, 'highpassHz' | 'postureTau' | 'postureL2' | 'postureSteps'>): { cfg: PostureConfig; trainAccuracy: number } {
  const K = POSTURE_FAMILIES.length;
  const dim = DEFAULT_FEATURE_SPEC.names.length;
  const fps = DEFAULT_FEATURE_SPEC.fps;
  const poses = Array.from({ length: K }, () => new Float64Array(POSE_DIM));
  const frames = new Array<number>(K).fill(0);
  for (const d of data) {
    const f = familyOf(d.name);
    for (let t = 0; t < d.n; t++) for (let k = 0; k < POSE_DIM; k++) poses[f][k] += d.facing[t * POSE_DIM + k];
    frames[f] += d.n;
  }
  if (frames.some((n) => n === 0)) throw new Error(`posture: the training dances must include both families (${POSTURE_FAMILIES.join(', ')}); use --no-posture`);
  poses.forEach((p, f) => p.forEach((_, k) => (p[k] /= frames[f])));
  // Samples: the stage's statistics as they are live.
  const row = 2 * dim + 1;
  const probe: PostureConfig = { tauFrames: o.postureTau, classes: [...POSTURE_FAMILIES], weights: POSTURE_FAMILIES.map(() => new Array<number>(row).fill(0)), poses: poses.map((p) => Array.from(p)), highpassHz: o.highpassHz };
  const xs: Float64Array[] = [];
  const ys: number[] = [];
  for (const d of data) {
    const st = new PostureStage(probe, dim, fps);
    for (let t = 0; t < d.n; t++) {
      const v = st.updateStats(d.x.subarray(t * dim, (t + 1) * dim));
      if (t % 5 === 0) {
        xs.push(Float64Array.from(v));
        ys.push(familyOf(d.name));
      }
    }
  }
  const count = new Array<number>(K).fill(0);
  for (const y of ys) count[y]++;

  const W = new Float64Array(K * row);
  const g = new Float64Array(K * row);
  const z = new Float64Array(K);
  const predict = (x: Float64Array): void => {
    let max = -Infinity;
    for (let c = 0; c < K; c++) {
      let s = W[c * row + row - 1];
      for (let i = 0; i < row - 1; i++) s += W[c * row + i] * x[i];
      z[c] = s;
      max = Math.max(max, s);
    }
    let sum = 0;
    for (let c = 0; c < K; c++) sum += z[c] = Math.exp(z[c] - max);
    for (let c = 0; c < K; c++) z[c] /= sum;
  };
  for (let it = 0; it < o.postureSteps; it++) {
    g.fill(0);
    for (let s = 0; s < xs.length; s++) {
      predict(xs[s]);
      const wgt = 1 / (K * count[ys[s]]);
      for (let c = 0; c < K; c++) {
        const e = (z[c] - (ys[s] === c ? 1 : 0)) * wgt;
        for (let i = 0; i < row - 1; i++) g[c * row + i] += e * xs[s][i];
        g[c * row + row - 1] += e;
      }
    }
    for (let c = 0; c < K; c++) for (let i = 0; i < row; i++) W[c * row + i] -= 0.5 * (g[c * row + i] + (i < row - 1 ? o.postureL2 * W[c * row + i] : 0));
  }
  let right = 0;
  for (let s = 0; s < xs.length; s++) {
    predict(xs[s]);
    if (z[ys[s]] >= 0.5) right++;
  }

  const r8 = (x: number) => Number(Math.fround(x).toPrecision(8));
  const cfg: PostureConfig = {
    tauFrames: o.postureTau,
    classes: [...POSTURE_FAMILIES],
    weights: POSTURE_FAMILIES.map((_, c) => Array.from(W.subarray(c * row, (c + 1) * row), r8)),
    poses: poses.map((p) => Array.from(p, r8)),
    highpassHz: o.highpassHz,
  };
  return { cfg, trainAccuracy: right / xs.length };
}

/**
 * Chooses the output smoothing on the training dances: the coefficient in {0, 0.3, 0.5, 0.6, 0.7} whose smoothed
 * predictions have a kinematic-beat rate closest to the real one (log ratio), as long as the speed ratio stays >= 0.7.
 */
function chooseSmoothing(params: LstmParams, data: Prepared[], poseNorm: FeatureNormalization, L: number): { a: number; table: Record<string, number> } {
  const candidates = [0, 0.3, 0.5, 0.6, 0.7];
  const preds: { raw: Float32Array; real: Float32Array; n: number }[] = [];
  for (const d of data) {
    const ws = new LstmWorkspace(d.n, params.hidden, POSE_DIM);
    forward(params, d.x, d.n, ws);
    const y = ws.out;
    const n = d.n - L;
    const raw = new Float32Array(n * POSE_DIM);
    for (let t = 0; t < n; t++) for (let k = 0; k < POSE_DIM; k++) raw[t * POSE_DIM + k] = y[(t + L) * POSE_DIM + k] * poseNorm.std[k] + poseNorm.mean[k];
    preds.push({ raw, real: d.facing.subarray(0, n * POSE_DIM), n });
  }
  const table: Record<string, number> = {};
  let best = 0;
  let bestScore = Infinity;
  for (const a of candidates) {
    let kbP = 0;
    let kbR = 0;
    let spP = 0;
    let spR = 0;
    for (const p of preds) {
      const s = new Float32Array(p.raw);
      for (let t = 1; t < p.n; t++) for (let k = 0; k < POSE_DIM; k++) s[t * POSE_DIM + k] = a * s[(t - 1) * POSE_DIM + k] + (1 - a) * p.raw[t * POSE_DIM + k];
      const vp = jointSpeed(s, p.n);
      const vr = jointSpeed(p.real, p.n);
      kbP += kinematicBeats(vp, KINEMATIC_SMOOTH_SIGMA).length;
      kbR += kinematicBeats(vr, KINEMATIC_SMOOTH_SIGMA).length;
      for (let t = 0; t < p.n; t++) {
        spP += vp[t];
        spR += vr[t];
      }
    }
    const rate = kbP / kbR;
    const speed = spP / spR;
    table[`a=${a}: beat_rate_ratio`] = rate;
    table[`a=${a}: speed_ratio`] = speed;
    const score = Math.abs(Math.log(rate));
    if (speed >= 0.7 && score < bestScore) {
      bestScore = score;
      best = a;
    }
  }
  return { a: best, table };
}

/**
 * Gain that gives the high-passed motion the mean joint speed of the model's whole output (smoothed by `a`), summed
 * over the training dances: the high-pass removes slow drift, the gain keeps the body moving as fast as it did.
 */
function highpassGain(params: LstmParams, data: Prepared[], poseNorm: FeatureNormalization, a: number, highpassHz: number): number {
  const aLp = Math.exp((-2 * Math.PI * highpassHz) / DEFAULT_FEATURE_SPEC.fps);
  let whole = 0;
  let high = 0;
  for (const d of data) {
    const ws = new LstmWorkspace(d.n, params.hidden, POSE_DIM);
    forward(params, d.x, d.n, ws);
    const y = new Float32Array(d.n * POSE_DIM);
    const hp = new Float32Array(d.n * POSE_DIM);
    const lp = new Float64Array(POSE_DIM);
    for (let t = 0; t < d.n; t++) {
      for (let k = 0; k < POSE_DIM; k++) {
        let v = ws.out[t * POSE_DIM + k] * poseNorm.std[k] + poseNorm.mean[k];
        if (t > 0) v = a * y[(t - 1) * POSE_DIM + k] + (1 - a) * v;
        y[t * POSE_DIM + k] = v;
        lp[k] = t > 0 ? aLp * lp[k] + (1 - aLp) * v : v;
        hp[t * POSE_DIM + k] = v - lp[k];
      }
    }
    for (const s of jointSpeed(y, d.n)) whole += s;
    for (const s of jointSpeed(hp, d.n)) high += s;
  }
  return high > 0 ? whole / high : 1;
}

/** Trains one model into `outDir` (model.json, weights.bin, config.json). */
export async function trainAudio2Body(o: TrainOptions, train: Dance[], log: (s: string) => void): Promise<TrainResult> {
  await initTfNode();
  const t0 = performance.now();
  const featureNorm = computeNormalization(train.map((d) => ({ data: d.features, dim: d.featureDim })));
  const facing = train.map((d) => normalizedDance(d).facing);
  const poseNorm = poseNormOf(facing);
  const dim = DEFAULT_FEATURE_SPEC.names.length;
  const data: Prepared[] = train.map((d, i) => ({ name: d.name, n: d.numFrames, x: zscore(d.features, dim, featureNorm), y: zscore(facing[i], POSE_DIM, poseNorm), facing: facing[i] }));
  const L = o.lookahead;
  const T = o.seqLen;
  // Window starts s (audio frame): inputs x[s, s + T), targets y[s - L, s - L + T), every stride frames; each epoch
  // shifts the grid by a seeded random offset and shuffles.
  const rand = mulberry32(o.seed);
  const params = initLstmParams(dim, o.hiddenUnits, POSE_DIM, o.seed);
  const opt = new Adam(tensorsOf(params), o.lr);
  const grads = zerosLike(params);
  const ws = new LstmWorkspace(T, o.hiddenUnits, POSE_DIM);
  const lossOpts = { stdWeight: o.stdWeight, speedWeight: o.speedWeight, warmup: o.warmup, meanWeight: o.meanWeight, bandWeight: o.bandWeight, bandEdges: o.bandEdgesHz.map((f) => f / DEFAULT_FEATURE_SPEC.fps), envWeight: o.envWeight, envEdges: o.envEdgesHz.map((f) => f / DEFAULT_FEATURE_SPEC.fps), envDimWeights: poseNorm.std.map((v) => v * v) };
  const lossHistory: number[] = [];
  // A numeric --smoothing is part of the model in training too (the loss sees the smoothed output); 'auto' chooses
  // a post-hoc smoothing after training.
  const trainSmoothing = o.smoothing === 'auto' ? 0 : o.smoothing;
  const totalSteps = o.epochs * Math.max(1, Math.ceil(data.reduce((s, d) => s + Math.max(0, d.n - L), 0) / (T * o.strideFraction) / o.batch));
  let stepNo = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const starts: [number, number][] = [];
    const stride = Math.max(1, Math.round(T * o.strideFraction));
    data.forEach((d, di) => {
      const off = Math.floor(rand() * stride);
      for (let s = L + off; s + T <= d.n; s += stride) starts.push([di, s]);
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
      for (let b = 0; b < B; b++) {
        const [di, s] = starts[b0 + b];
        const d = data[di];
        const x = d.x.subarray(s * dim, (s + T) * dim);
        const y = d.y.subarray((s - L) * POSE_DIM, (s - L + T) * POSE_DIM);
        forward(params, x, T, ws);
        smoothForward(ws.out, T, POSE_DIM, trainSmoothing);
        lossSum += motionLoss(ws.out, y, T, POSE_DIM, lossOpts, B, ws.dout).loss;
        smoothBackward(ws.dout, T, POSE_DIM, trainSmoothing);
        windows++;
        backward(params, x, T, ws, grads);
      }
      // Cosine decay of the learning rate to 10% over the run.
      opt.lr = o.lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * Math.min(stepNo, totalSteps)) / totalSteps)));
      opt.step(tensorsOf(grads));
      stepNo++;
    }
    lossHistory.push(lossSum / Math.max(1, windows));
    log(`epoch ${epoch + 1}/${o.epochs} loss ${(lossSum / Math.max(1, windows)).toFixed(4)} (${Math.ceil(starts.length / o.batch)} updates, ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const net = buildAudio2BodyNetwork(dim, o.hiddenUnits, o.seed);
  const shapes = net.getWeights().map((w) => w.shape);
  net.setWeights(tensorsOf(params).map((a, i) => tf.tensor(Float32Array.from(a), shapes[i])));
  let smoothing = 0;
  let smoothingChoice: Record<string, number> | null = null;
  if (o.smoothing === 'auto') {
    const c = chooseSmoothing(params, data, poseNorm, L);
    smoothing = c.a;
    smoothingChoice = c.table;
    log(`output smoothing ${smoothing} (${JSON.stringify(c.table)})`);
  } else smoothing = o.smoothing;
  // Posture stage, fitted after the LSTM (which it leaves unchanged): family postures, classifier, motion gain.
  let fitted: { cfg: PostureConfig; trainAccuracy: number } | null = null;
  if (o.posture) {
    const f = fitPosture(data, o);
    const motionGain = highpassGain(params, data, poseNorm, smoothing, o.highpassHz);
    fitted = { cfg: { ...f.cfg, motionGain: Number(motionGain.toPrecision(6)) }, trainAccuracy: f.trainAccuracy };
    log(`posture: families ${POSTURE_FAMILIES.join('/')}, classifier right on ${(100 * f.trainAccuracy).toFixed(1)}% of training frames, high-pass ${o.highpassHz} Hz, motion gain ${motionGain.toFixed(3)}`);
  }
  await saveLayersModel(net, o.outDir);
  const config: Audio2BodyConfigV1 = {
    kind: 'audio2body',
    version: AUDIO2BODY_CONFIG_VERSION,
    fps: DEFAULT_FEATURE_SPEC.fps,
    joints: [...JOINT_NAMES],
    bodyFacing: true,
    featureSpec: DEFAULT_FEATURE_SPEC,
    featureNorm: round(featureNorm),
    poseNorm: round(poseNorm),
    lookahead: L,
    hiddenUnits: o.hiddenUnits,
    outputSmoothing: smoothing,
    ...(fitted ? { posture: fitted.cfg } : {}),
  };
  writeFileSync(join(o.outDir, 'config.json'), JSON.stringify(config, null, 1) + '\n');
  net.dispose();
  return { seconds: (performance.now() - t0) / 1000, lossHistory, featureNorm, poseNorm, smoothing, smoothingChoice, posture: fitted?.cfg ?? null, postureTrainAccuracy: fitted?.trainAccuracy ?? null };
}

/** Normalization stats as float32-exact numbers (what the model computes with), so config.json stays small. */
function round(n: FeatureNormalization): FeatureNormalization {
  const f = (x: number) => Number(Math.fround(x).toPrecision(8));
  return { mean: n.mean.map(f), std: n.std.map(f) };
}

function roundMetrics(m: Audio2BodyMetrics): Audio2BodyMetrics {
  return JSON.parse(JSON.stringify(m, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v))) as Audio2BodyMetrics;
}

async function main(): Promise<void> {
  const o = trainOptions(parseArgs(process.argv.slice(2)));
  const log = (s: string) => console.error(`[audio2body] ${s}`);
  const all = listDances(o.dataDir);
  if (all.length === 0) throw new Error(`no dances found in ${o.dataDir}`);
  const names = o.dances ?? all;
  const unknown = names.filter((n) => !all.includes(n));
  if (unknown.length > 0) throw new Error(`--dances: not found in ${o.dataDir}: ${unknown.join(', ')} (valid: ${all.join(', ')})`);
  const { train } = splitDances(names, HELD_OUT);
  if (train.length === 0) throw new Error('no training dances left after removing the held-out ones');
  const heldOut = HELD_OUT.filter((n) => all.includes(n));
  const dances = await loadDances(o.dataDir, train);
  log(`training on ${train.length} dances (${dances.reduce((s, d) => s + d.numFrames, 0)} frames), lookahead ${o.lookahead}, ${o.epochs} epochs`);
  mkdirSync(o.outDir, { recursive: true });
  const r = await trainAudio2Body(o, dances, log);
  log(`trained in ${r.seconds.toFixed(1)} s`);
  let metrics: (Audio2BodyMetrics & { lookahead_table?: unknown }) | null = null;
  const heldDances = o.evaluate ? await loadDances(o.dataDir, heldOut) : [];
  if (o.evaluate) {
    metrics = roundMetrics(await evalAudio2Body({ dataDir: o.dataDir, modelDir: o.outDir, names: heldOut, dances: heldDances }));
    log(`held-out: ${JSON.stringify({ ...metrics, perDance: undefined })}`);
  }
  let tableSeconds = 0;
  if (o.evaluate && metrics && o.table.length > 0) {
    const rows = [];
    for (const L of o.table) {
      if (L === o.lookahead) {
        rows.push({ lookahead: L, epochs: o.epochs, shipped: true, ...pick(metrics) });
        continue;
      }
      const dir = mkdtempSync(join(tmpdir(), `a2b-L${L}-`));
      try {
        const rt = await trainAudio2Body({ ...o, lookahead: L, epochs: o.tableEpochs, outDir: dir }, dances, log);
        tableSeconds += rt.seconds;
        const m = await evalAudio2Body({ dataDir: o.dataDir, modelDir: dir, names: heldOut, dances: heldDances });
        rows.push({ lookahead: L, epochs: o.tableEpochs, shipped: false, outputSmoothing: rt.smoothing, ...pick(roundMetrics(m)) });
        log(`lookahead ${L}: ${JSON.stringify(rows[rows.length - 1])}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    metrics.lookahead_table = rows;
  }
  const card = {
    model: 'audio2body-dance',
    task: 'Sound -> body: music features -> 23-joint dance skeleton (root-relative, body-scale units, body-facing frame)',
    method: 'Audio to Body Dynamics (Shlizerman, Dery, Schoen, Kemelmacher-Shlizerman, CVPR 2018): one LSTM on audio features with a time-delay lookahead, trained by BPTT in typed arrays; loss = MSE + weighted per-window per-dimension matching of motion std, speed and band amplitudes (weights in training); one-pole output smoothing chosen on the training dances (training.smoothingChoiceOnTrainingDances); then a posture stage (src/models/audio2body/posture.ts, fitted on the training dances after the LSTM): a linear softmax on running feature statistics recognizes the dance family (Latin: cha-cha, rumba; Standard: tango, waltz) and sets that family\'s mean posture, and the LSTM adds its motion above training.posture.highpassHz, scaled to keep its speed (training.posture.motionGain)',
    data: {
      name: 'Dance with Melody (Tang, Jia, Mao, ACM MM 2018), 4 ballroom styles, 25 fps; research data without a stated license, used for training and testing only, not redistributed',
      dir: relative(ROOT, o.dataDir),
      trainFrames: dances.reduce((s, d) => s + d.numFrames, 0),
    },
    split: { train, heldOut },
    input: { features: DEFAULT_FEATURE_SPEC.names.length, featureNames: 'src/features/spec FEATURE_NAMES', normalization: 'z-score, training dances (config.featureNorm)' },
    output: { joints: JOINT_NAMES.length, frame: 'root-relative (pelvis), / median body scale, hips turned to face +z; z-scored in training (config.poseNorm)', lookahead: o.lookahead, outputSmoothing: r.smoothing },
    training: {
      seconds: Number(r.seconds.toFixed(1)),
      lookaheadTableSeconds: Number(tableSeconds.toFixed(1)),
      lookaheadTableEpochs: o.table.length > 0 ? o.tableEpochs : null,
      backend: 'plain typed-array BPTT (training/lib/lstm-bptt.ts), 1 thread, 2-core machine shared with other jobs; weights copied into the tfjs network',
      seed: o.seed,
      command: `npm run train:audio2body -- ${process.argv.slice(2).join(' ')}`.trim(),
      epochs: o.epochs,
      hiddenUnits: o.hiddenUnits,
      seqLen: o.seqLen,
      strideFraction: o.strideFraction,
      warmupFrames: o.warmup,
      batch: o.batch,
      lr: o.lr,
      stdWeight: o.stdWeight,
      speedWeight: o.speedWeight,
      bandWeight: o.bandWeight,
      meanWeight: o.meanWeight,
      bandEdgesHz: o.bandEdgesHz,
      envWeight: o.envWeight,
      envEdgesHz: o.envEdgesHz,
      lossHistory: r.lossHistory.map((v) => Number(v.toFixed(5))),
      smoothingChoiceOnTrainingDances: r.smoothingChoice,
      posture: r.posture
        ? { families: r.posture.classes, highpassHz: o.highpassHz, tauFrames: o.postureTau, classifierL2: o.postureL2, classifierSteps: o.postureSteps, motionGain: r.posture.motionGain ?? 1, classifierRightOnTrainingFrames: Number((r.postureTrainAccuracy ?? 0).toFixed(4)) }
        : null,
    },
    metrics,
    baselines: metrics ? { mean_training_pose_mpjpe_cm: metrics.baseline_mean_pose_mpjpe_cm, mean_training_pose_mpjpe_world_cm: metrics.baseline_mean_pose_mpjpe_world_cm, real_motion_shifted_bas: metrics.bas_chance } : null,
    acceptance: metrics ? acceptance(metrics) : null,
    metricDefinitions: 'training/lib/eval-audio2body.ts (header comment)',
    notes: [
      'mpjpe_world_cm turns each predicted frame into the real frame\'s facing (the model has no facing); as that rotation is also what separates the real world-facing pose from the real body-facing pose, it equals mpjpe_cm by construction. Facing itself is not predictable from music (data README).',
      'lookahead_table rows other than the shipped one were trained with training.lookaheadTableEpochs epochs (fewer than the shipped model).',
      'Development runs used the held-out dances to compare a few loss settings (std / speed / band / posture weights, smoothing); the split was not used for early stopping.',
    ],
  };
  writeFileSync(join(o.outDir, 'card.json'), JSON.stringify(card, null, 1) + '\n');
  log(`wrote ${o.outDir}`);
  if (metrics) console.log(JSON.stringify({ seconds: card.training.seconds, acceptance: card.acceptance, ...pick(metrics) }));
}

function pick(m: Audio2BodyMetrics): Record<string, number> {
  const { mpjpe_cm, baseline_mean_pose_mpjpe_cm, mpjpe_world_cm, speed_ratio, kinematic_beat_rate_ratio, motion_tempo_ratio, bas_pred, bas_real, bas_chance } = m;
  return { mpjpe_cm, baseline_mean_pose_mpjpe_cm, mpjpe_world_cm, speed_ratio, kinematic_beat_rate_ratio, motion_tempo_ratio, bas_pred, bas_real, bas_chance };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  await main();
}
