/**
 * Trains body2music-piano (movement -> piano, see src/models/body2music-piano/pose2roll.ts) on the virtual pianist
 * dataset and writes models/body2music-piano/ (config.json, network.json, card.json with the evaluation).
 *
 *   npm run train:body2music-piano [-- --data .cache/pianist --out models/body2music-piano --seed 1 --views 3
 *     --epochs 8 --window 8 --lookahead 2 --hidden 64,32 --neg-keep 0.4 --onset-weight 2 --lr 0.002 --degrade full]
 *   (--degrade none: train and tune on clean keypoints instead, a reference for analyses, never shipped)
 *
 * Input: every training excerpt's stored degraded view plus `views - 1` more degradations of its clean keypoints
 * (features/piano/view.ts degradeSequence, seeded per excerpt and view), so the network never sees clean keypoints.
 * Every eighth training excerpt (by id) is kept out of the network's training to tune Roll2Midi's thresholds. Frames
 * where a finger neither presses nor changes state are kept with probability `neg-keep` and weighted by its inverse
 * (an unbiased loss). Deterministic for a seed (single-threaded typed-array training).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KEYS, LOWEST_MIDI } from '../src/features/piano/keyboard';
import { FINGERTIPS, LEFT_HAND, PIANIST_DIM, PIANIST_KEYPOINT_NAMES, RIGHT_HAND } from '../src/features/piano/layout';
import { createRng, gaussian, seedFrom, type Rng } from '../src/features/piano/random';
import { noteFrames } from '../src/features/piano/roll';
import { NO_DEGRADE, degradeSequence } from '../src/features/piano/view';
import { FingerFeatureTracker, HALF_KEYBOARD, NUM_FINGERS, NUM_PERSPECTIVE_FEATURES, fingerInputDim, perspectiveFeatures, type KeyboardPerspective } from '../src/models/body2music-piano/features';
import type { MlpWeights } from '../src/models/body2music-piano/mlp';
import { PIANO_FPS, PIANO_OUT, PIANO_POSE2ROLL_KIND, PIANO_POSE2ROLL_VERSION, PianoPose2RollCore, type PianoPose2RollConfig, type Roll2MidiSettings } from '../src/models/body2music-piano/pose2roll';
import { rollToNotes } from '../src/models/body2music-piano/roll2midi';
import { parseArgs, ROOT } from './lib/dance-data';
import { addCounts, countsToMetrics, evalBody2MusicPiano, runPose2Roll, zeroCounts } from './lib/eval-body2music-piano';
import { defaultDatasetDir, loadSplit, type LoadedExcerpt } from './pianist/dataset';

const args = parseArgs(process.argv.slice(2));
const num = (k: string, d: number): number => {
  const v = args[k] === undefined ? d : Number(args[k]);
  if (!Number.isFinite(v)) throw new Error(`--${k} must be a number (got ${args[k]})`);
  return v;
};
const dataDir = resolve(args.data ?? defaultDatasetDir(ROOT));
const outDir = resolve(args.out ?? join(ROOT, 'models', 'body2music-piano'));
const seed = num('seed', 1);
const views = num('views', 3);
const epochs = num('epochs', 8);
const window = num('window', 8);
const lookahead = num('lookahead', 2);
const hidden = (args.hidden ?? '64,32').split(',').map(Number);
const negKeep = num('neg-keep', 0.4);
const onsetWeight = num('onset-weight', 2);
const lr0 = num('lr', 0.002);
const batch = num('batch', 256);
/** 'full' (the webcam model, default) or 'none': clean keypoints through the default camera, for the analysis of what the degradation costs (training/pianist/analyze-degradation.ts); never shipped. */
const degrade = args.degrade ?? 'full';
if (degrade !== 'full' && degrade !== 'none') throw new Error(`--degrade must be full or none (got ${degrade})`);
if (!(views >= 1 && Number.isInteger(views))) throw new Error('--views must be an integer >= 1');
if (!hidden.every((h) => Number.isInteger(h) && h > 0)) throw new Error('--hidden must be comma-separated positive integers');
if (!(negKeep > 0 && negKeep <= 1)) throw new Error('--neg-keep must be in (0, 1]');

const t0 = performance.now();
const log = (msg: string): void => console.error(`[${((performance.now() - t0) / 1000).toFixed(0)} s] ${msg}`);
const dim = fingerInputDim(window);
const FPS = PIANO_FPS;

// ---------------- data ----------------
const trainAll = loadSplit(dataDir, 'train').sort((a, b) => (a.id < b.id ? -1 : 1));
const val = trainAll.filter((_, i) => i % 8 === 7);
const train = trainAll.filter((_, i) => i % 8 !== 7);
log(`${train.length} training excerpts, ${val.length} validation excerpts from ${dataDir}`);

/** Per-finger labels of an excerpt: press, onset (0/1), key index (-1 none), velocity at onsets. */
function fingerLabels(e: LoadedExcerpt): { press: Uint8Array; onset: Uint8Array; key: Int16Array; vel: Uint8Array } {
  const n = e.numFrames;
  const press = new Uint8Array(NUM_FINGERS * n);
  const onset = new Uint8Array(NUM_FINGERS * n);
  const key = new Int16Array(NUM_FINGERS * n).fill(-1);
  const vel = new Uint8Array(NUM_FINGERS * n);
  for (const note of e.notes) {
    const f = (note.hand === 'r' ? 0 : 5) + note.finger - 1;
    const [k0, k1] = noteFrames(note.start, note.end, FPS);
    if (k0 < n) {
      onset[f * n + k0] = 1;
      vel[f * n + k0] = note.velocity;
    }
    for (let k = k0; k < Math.min(k1, n); k++) {
      press[f * n + k] = 1;
      key[f * n + k] = note.midi - LOWEST_MIDI;
    }
  }
  return { press, onset, key, vel };
}

class Grow {
  data: Float32Array;
  length = 0;
  constructor(private readonly width: number) {
    this.data = new Float32Array(width * 65536);
  }
  push(src: ArrayLike<number>): void {
    if ((this.length + 1) * this.width > this.data.length) {
      const d = new Float32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    for (let i = 0; i < this.width; i++) this.data[this.length * this.width + i] = src[i];
    this.length++;
  }
}

// Views: the stored one plus views - 1 more degradations per excerpt.
// With --degrade none: one clean view per excerpt, for training and for Roll2Midi's tuning.
const cleanView = (e: LoadedExcerpt): { points: Float32Array; present: Uint8Array } => degradeSequence(e.keypoints, e.numFrames, createRng(seedFrom(seed, `b2m-piano:clean:${e.id}`)), NO_DEGRADE);
const trainViews = train.map((e) =>
  degrade === 'none' ? [cleanView(e)] : Array.from({ length: views }, (_, v) => (v === 0 ? { points: e.view, present: e.present } : degradeSequence(e.keypoints, e.numFrames, createRng(seedFrom(seed, `b2m-piano:view:${e.id}:${v}`))))),
);

// ---------------- perspective of the two-point calibration (see features.ts KeyboardPerspective) ----------------
const HALF = HALF_KEYBOARD;
const project1d = (x: number, g: number): number => (x + g * HALF * HALF) / (g * x + 1);
/** Per view: the g that best maps pressed keys' x to the pressing fingertips' view x, and the stream means of the perspective features. */
function viewPerspective(e: LoadedExcerpt, points: Float32Array, present: Uint8Array): { g: number; features: number[] } | null {
  const pts: number[] = [];
  for (const note of e.notes) {
    const [k0, k1] = noteFrames(note.start, note.end, FPS);
    const tip = ((note.hand === 'r' ? RIGHT_HAND : LEFT_HAND) + FINGERTIPS[note.finger - 1]) * 3;
    for (let k = k0; k < Math.min(k1, e.numFrames); k++) if (present[k]) pts.push(KEYS[note.midi - LOWEST_MIDI].x, points[k * PIANIST_DIM + tip]);
  }
  let n = 0;
  const sum = new Float64Array(NUM_PERSPECTIVE_FEATURES);
  const one = new Float64Array(NUM_PERSPECTIVE_FEATURES);
  for (let k = 0; k < e.numFrames; k++) {
    if (!present[k] || !perspectiveFeatures(points, k * PIANIST_DIM, one)) continue;
    n++;
    for (let i = 0; i < NUM_PERSPECTIVE_FEATURES; i++) sum[i] += one[i];
  }
  if (pts.length < 20 || n === 0) return null;
  let best = 0;
  let bestErr = Infinity;
  for (let g = -0.008; g <= 0.008 + 1e-12; g += 0.0001) {
    let err = 0;
    for (let i = 0; i < pts.length; i += 2) err += (project1d(pts[i], g) - pts[i + 1]) ** 2;
    if (err < bestErr) {
      bestErr = err;
      best = g;
    }
  }
  return { g: best, features: Array.from(sum, (x) => x / n) };
}
function leastSquares(rows: number[][], y: number[]): number[] {
  const k = rows[0].length;
  const A = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => rows.reduce((s, r) => s + r[i] * r[j], 0) + (i === j ? 1e-9 : 0)));
  const b = Array.from({ length: k }, (_, i) => rows.reduce((s, r, t) => s + r[i] * y[t], 0));
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      const m = A[j][i] / A[i][i];
      for (let l = i; l < k; l++) A[j][l] -= m * A[i][l];
      b[j] -= m * b[i];
    }
  }
  const w = new Array<number>(k).fill(0);
  for (let i = k - 1; i >= 0; i--) {
    let s2 = b[i];
    for (let l = i + 1; l < k; l++) s2 -= A[i][l] * w[l];
    w[i] = s2 / A[i][i];
  }
  return w;
}
const pRows: number[][] = [];
const pY: number[] = [];
train.forEach((e, i) => {
  for (const v of trainViews[i]) {
    const r = viewPerspective(e, v.points, v.present);
    if (r) {
      pRows.push([1, ...r.features]);
      pY.push(r.g);
    }
  }
});
const pw = leastSquares(pRows, pY);
const perspective: KeyboardPerspective | null = args['no-perspective'] !== undefined ? null : { weights: pw };
const pRes = Math.sqrt(pRows.reduce((s, r, i) => s + (r.reduce((a, v, j) => a + v * pw[j], 0) - pY[i]) ** 2, 0) / pRows.length);
const pSd = Math.sqrt(pY.reduce((s, g) => s + g * g, 0) / pY.length);
log(`perspective g from the body: ${JSON.stringify(perspective)}; rms of g ${pSd.toExponential(2)} -> residual ${pRes.toExponential(2)} over ${pRows.length} views`);

// Columns of the per-sample side table: press, onset, black (or -1), weight, tipX, keyX, velocity, speed.
const SIDE = 8;
const X = new Grow(dim);
const S = new Grow(SIDE);
const buf = new Float32Array(dim);
const side = new Float32Array(SIDE);
const sampleRng = createRng(seedFrom(seed, 'b2m-piano:samples'));
let frames = 0;
train.forEach((e, ei) => {
  const lab = fingerLabels(e);
  const n = e.numFrames;
  for (const view of trainViews[ei]) {
    const tr = new FingerFeatureTracker(window, lookahead, perspective);
    for (let k = 0; k < n + lookahead; k++) {
      if (k < n) tr.push(view.points, view.present[k] === 1, k * PIANIST_DIM);
      else tr.push(null, false);
      const t = k - lookahead;
      if (t < 0) continue;
      frames++;
      for (let f = 0; f < NUM_FINGERS; f++) {
        if (!tr.handSeen(f)) continue;
        const i = f * n + t;
        const p = lab.press[i];
        const changes = (t > 0 && lab.press[i - 1] !== p) || (t + 1 < n && lab.press[i + 1] !== p) || (t > 1 && lab.press[i - 2] !== p) || (t + 2 < n && lab.press[i + 2] !== p);
        const keep = p === 1 || changes || sampleRng() < negKeep;
        if (!keep) continue;
        tr.input(f, buf);
        const keyIdx = lab.key[i];
        side[0] = p;
        side[1] = lab.onset[i];
        side[2] = keyIdx >= 0 ? (KEYS[keyIdx].black ? 1 : 0) : -1;
        side[3] = p === 1 || changes ? 1 : 1 / negKeep;
        side[4] = tr.tipX(f);
        side[5] = keyIdx >= 0 ? KEYS[keyIdx].x : Number.NaN;
        side[6] = lab.vel[i];
        side[7] = ((tr.tipY(f, 2) - tr.tipY(f, 0)) * FPS) / 2;
        X.push(buf);
        S.push(side);
      }
    }
  }
});
const N = X.length;
log(`${N} finger samples from ${frames} frames (${trainViews[0]?.length ?? 0} views per excerpt)`);

// ---------------- normalization ----------------
const mean = new Float64Array(dim);
const sq = new Float64Array(dim);
for (let s = 0; s < N; s++) for (let i = 0; i < dim; i++) {
  const v = X.data[s * dim + i];
  mean[i] += v;
  sq[i] += v * v;
}
const std = new Float64Array(dim);
for (let i = 0; i < dim; i++) {
  mean[i] /= N;
  std[i] = Math.max(Math.sqrt(Math.max(sq[i] / N - mean[i] * mean[i], 0)), 1e-3);
}
for (let s = 0; s < N; s++) for (let i = 0; i < dim; i++) X.data[s * dim + i] = (X.data[s * dim + i] - mean[i]) / std[i];

// ---------------- MLP training (Adam, BCE) ----------------
const sizes = [dim, ...hidden, PIANO_OUT.size];
const L = sizes.length - 1;
const initRng: Rng = createRng(seedFrom(seed, 'b2m-piano:init'));
const W = sizes.slice(0, -1).map((nin, l) => Float32Array.from({ length: nin * sizes[l + 1] }, () => gaussian(initRng) * Math.sqrt(2 / nin)));
const B = sizes.slice(1).map((nout) => new Float32Array(nout));
const gW = W.map((w) => new Float32Array(w.length));
const gB = B.map((b) => new Float32Array(b.length));
const mW = W.map((w) => new Float32Array(w.length));
const vW = W.map((w) => new Float32Array(w.length));
const mB = B.map((b) => new Float32Array(b.length));
const vB = B.map((b) => new Float32Array(b.length));
const act = sizes.map((n) => new Float32Array(n));
const del = sizes.map((n) => new Float32Array(n));
const sig = (z: number): number => 1 / (1 + Math.exp(-z));

function forward(x: Float32Array, o: number): Float32Array {
  for (let i = 0; i < dim; i++) act[0][i] = x[o + i];
  for (let l = 0; l < L; l++) {
    const nin = sizes[l];
    const a = act[l];
    const z = act[l + 1];
    const w = W[l];
    for (let j = 0; j < sizes[l + 1]; j++) {
      let s = B[l][j];
      const r = j * nin;
      for (let i = 0; i < nin; i++) s += w[r + i] * a[i];
      z[j] = l < L - 1 && s < 0 ? 0 : s;
    }
  }
  return act[L];
}

/** Loss of one sample and, with `grad`, its gradient accumulated into gW/gB. */
function sampleLoss(s: number, grad: boolean): number {
  const y = forward(X.data, s * dim);
  const sd = S.data.subarray(s * SIDE, (s + 1) * SIDE);
  const w = sd[3];
  const out = del[L];
  let loss = 0;
  const bce = (z: number, t: number): number => Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
  loss += w * bce(y[PIANO_OUT.press], sd[0]);
  out[PIANO_OUT.press] = w * (sig(y[PIANO_OUT.press]) - sd[0]);
  loss += w * onsetWeight * bce(y[PIANO_OUT.onset], sd[1]);
  out[PIANO_OUT.onset] = w * onsetWeight * (sig(y[PIANO_OUT.onset]) - sd[1]);
  if (sd[2] >= 0) {
    loss += bce(y[PIANO_OUT.black], sd[2]);
    out[PIANO_OUT.black] = sig(y[PIANO_OUT.black]) - sd[2];
  } else out[PIANO_OUT.black] = 0;
  if (!grad) return loss;
  for (let l = L - 1; l >= 0; l--) {
    const nin = sizes[l];
    const d = del[l + 1];
    const a = act[l];
    const w2 = W[l];
    const g = gW[l];
    const dPrev = del[l];
    if (l > 0) dPrev.fill(0);
    for (let j = 0; j < sizes[l + 1]; j++) {
      const dj = d[j];
      if (dj === 0) continue;
      gB[l][j] += dj;
      const r = j * nin;
      for (let i = 0; i < nin; i++) {
        g[r + i] += dj * a[i];
        if (l > 0) dPrev[i] += dj * w2[r + i];
      }
    }
    if (l > 0) for (let i = 0; i < nin; i++) if (a[i] <= 0) dPrev[i] = 0;
  }
  return loss;
}

const order = new Uint32Array(N);
for (let i = 0; i < N; i++) order[i] = i;
const shuffleRng = createRng(seedFrom(seed, 'b2m-piano:shuffle'));
let step = 0;
const beta1 = 0.9;
const beta2 = 0.999;
for (let ep = 0; ep < epochs; ep++) {
  for (let i = N - 1; i > 0; i--) {
    const j = Math.floor(shuffleRng() * (i + 1));
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
  }
  const lr = lr0 * (ep < epochs - 2 ? 1 : ep === epochs - 2 ? 0.3 : 0.1);
  let total = 0;
  for (let b0 = 0; b0 < N; b0 += batch) {
    const b1 = Math.min(N, b0 + batch);
    for (const g of gW) g.fill(0);
    for (const g of gB) g.fill(0);
    for (let k = b0; k < b1; k++) total += sampleLoss(order[k], true);
    step++;
    const bc1 = 1 - beta1 ** step;
    const bc2 = 1 - beta2 ** step;
    const scale = 1 / (b1 - b0);
    const upd = (p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array): void => {
      for (let i = 0; i < p.length; i++) {
        const gi = g[i] * scale;
        m[i] = beta1 * m[i] + (1 - beta1) * gi;
        v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
        p[i] -= (lr * (m[i] / bc1)) / (Math.sqrt(v[i] / bc2) + 1e-8);
      }
    };
    for (let l = 0; l < L; l++) {
      upd(W[l], gW[l], mW[l], vW[l]);
      upd(B[l], gB[l], mB[l], vB[l]);
    }
  }
  log(`epoch ${ep + 1}/${epochs}: loss ${(total / N).toFixed(4)} (lr ${lr})`);
}

// ---------------- key assignment and velocity fits (training samples) ----------------
function fitLine(xs: number[], ys: number[]): { a: number; b: number; sd: number } {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const b = sxx > 0 ? sxy / sxx : 0;
  const a = my - b * mx;
  // Robust spread: 1.4826 x median absolute residual.
  const res = xs.map((x, i) => Math.abs(ys[i] - a - b * x)).sort((p, q) => p - q);
  return { a, b, sd: 1.4826 * res[Math.floor(n / 2)] };
}
const wx: number[] = [];
const wy: number[] = [];
const bx: number[] = [];
const by: number[] = [];
const vs: number[] = [];
const vv: number[] = [];
for (let s = 0; s < N; s++) {
  const sd = S.data.subarray(s * SIDE, (s + 1) * SIDE);
  if (sd[0] === 1 && Number.isFinite(sd[5]) && Number.isFinite(sd[4])) {
    (sd[2] === 1 ? bx : wx).push(sd[5]);
    (sd[2] === 1 ? by : wy).push(sd[4]);
  }
  if (sd[1] === 1 && sd[6] > 0 && Number.isFinite(sd[7])) {
    vs.push(sd[7]);
    vv.push(sd[6]);
  }
}
const wf = fitLine(wx, wy);
const bf = bx.length > 10 ? fitLine(bx, by) : wf;
const vf = fitLine(vs, vv);
const keyAssignment = { whiteScale: wf.b, whiteBias: wf.a, whiteSigma: Math.max(wf.sd, 0.3), blackScale: bf.b, blackBias: bf.a, blackSigma: Math.max(bf.sd, 0.3) };
log(`key assignment ${JSON.stringify(keyAssignment)}; velocity = ${vf.a.toFixed(1)} + ${vf.b.toFixed(2)} x descent speed (cm/s)`);

// ---------------- Roll2Midi thresholds (validation excerpts) ----------------
const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const baseConfig: PianoPose2RollConfig = {
  kind: PIANO_POSE2ROLL_KIND,
  version: PIANO_POSE2ROLL_VERSION,
  fps: FPS,
  keypoints: [...PIANIST_KEYPOINT_NAMES],
  window,
  lookahead,
  inputNorm: { mean: Array.from(mean, r6), std: Array.from(std, r6) },
  sizes,
  keyAssignment: Object.fromEntries(Object.entries(keyAssignment).map(([k, v]) => [k, r6(v)])) as unknown as PianoPose2RollConfig['keyAssignment'],
  velocity: { bias: r6(vf.a), perCmPerS: r6(vf.b) },
  perspective: perspective ? { weights: perspective.weights.map((w) => Number(w.toPrecision(8))) } : null,
  assignment: 'soft',
  roll2midi: { onThreshold: 0.5, offThreshold: 0.3, sustainThreshold: 0.7, minFrames: 2 },
};
const net: MlpWeights = { sizes, W, b: B };
const tuneSet = val.length > 0 ? val : train.slice(0, 4);
let best: { settings: Roll2MidiSettings; assignment: 'soft' | 'argmax'; onset: number; frame: number; score: number } | null = null;
for (const assignment of ['soft', 'argmax'] as const) {
const core = new PianoPose2RollCore({ ...baseConfig, assignment }, net);
const valFrames = tuneSet.map((e) => {
  const v = degrade === 'none' ? cleanView(e) : { points: e.view, present: e.present };
  return runPose2Roll(core, v.points, v.present, e.numFrames);
});
for (const onThreshold of [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]) {
  for (const offThreshold of [0.05, 0.1, 0.2, 0.3, 0.4]) {
    for (const sustainThreshold of [0.3, 0.5, 0.7, 0.9, 0.97]) {
      if (offThreshold > sustainThreshold) continue;
      for (const minFrames of [1, 2, 3]) {
        const settings = { onThreshold, offThreshold, sustainThreshold, minFrames };
        const c = zeroCounts();
        tuneSet.forEach((e, i) => addCounts(c, e, rollToNotes(valFrames[i], { fps: FPS, ...settings })));
        const m = countsToMetrics(c);
        const score = m.onset.f1 + 0.1 * m.frame.f1;
        if (!best || score > best.score) best = { settings, assignment, onset: m.onset.f1, frame: m.frame.f1, score };
      }
    }
  }
}
}
if (!best) throw new Error('no Roll2Midi setting evaluated');
log(`Roll2Midi ${JSON.stringify(best.settings)}, ${best.assignment} key assignment: validation onset F1 ${best.onset.toFixed(4)}, frame F1 ${best.frame.toFixed(4)}`);
const config: PianoPose2RollConfig = { ...baseConfig, assignment: best.assignment, roll2midi: best.settings };

// ---------------- write ----------------
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'config.json'), JSON.stringify(config, null, 1) + '\n');
writeFileSync(join(outDir, 'network.json'), JSON.stringify({ W: W.map((w) => Array.from(w, r6)), b: B.map((b) => Array.from(b, r6)) }) + '\n');
const trainSeconds = (performance.now() - t0) / 1000;
log(`wrote ${outDir}; evaluating on the test split`);
const evaluation = evalBody2MusicPiano({ datasetDir: dataDir, modelDir: outDir });
const card = {
  model: 'body2music-piano',
  description: 'Per-fingertip MLP over a window of the degraded camera view -> press/onset/black-key probabilities; soft key assignment from the fingertip x; Roll2Midi with hysteresis',
  command: `npm run train:body2music-piano -- ${process.argv.slice(2).join(' ')}`.trim(),
  data: dataDir,
  train: { excerpts: train.length, validation_excerpts: val.length, degrade, views: degrade === 'none' ? 1 : views, samples: N, epochs, window, lookahead, sizes, negKeep, onsetWeight, lr: lr0, batch, seed, seconds: Math.round(trainSeconds) },
  validation: { onset_f1: r6(best.onset), frame_f1: r6(best.frame) },
  metrics: evaluation,
};
writeFileSync(join(outDir, 'card.json'), JSON.stringify(card, null, 1) + '\n');
const { per_excerpt: _per, ...summary } = evaluation;
console.log(JSON.stringify(summary, null, 1));
