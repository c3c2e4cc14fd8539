/**
 * Live Sound -> body model: loads models/audio2body-* (model.json + weights.bin + config.json), steps the LSTM one
 * feature frame at a time in plain typed arrays (no tensor per step, no allocation per step), and runs whole sequences
 * through tfjs for offline use. Both paths compute the same function (see model.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_FEATURE_SPEC, assertSameSpec } from '../../features/spec';
import { JOINT_NAMES, POSE_DIM } from '../../features/skeleton';
import { loadModelFolder } from '../io';
import type { Audio2BodyConfig, Audio2BodyModel } from '../types';
import { LSTM_LAYER, POSE_LAYER } from './network';
import { PostureStage, postureConfigError, type PostureConfig } from './posture';

/** Current config.json format version. */
export const AUDIO2BODY_CONFIG_VERSION = 1;

/** config.json of an audio2body model folder, with this implementation's optional extras. */
export interface Audio2BodyConfigV1 extends Audio2BodyConfig {
  /**
   * One-pole smoothing of the output pose, applied after de-normalization: y_t = a * y_{t-1} + (1 - a) * x_t, with
   * y_0 = x_0. 0 (or absent) = none. Adds latency of a / (1 - a) frames.
   */
  readonly outputSmoothing?: number;
  /** Posture from the music's dance family plus the LSTM's high-passed motion (./posture.ts); absent = none. */
  readonly posture?: PostureConfig;
}

function fail(where: string, msg: string): never {
  throw new Error(`audio2body model ${where}: ${msg}`);
}

function checkNorm(where: string, name: string, norm: unknown, dim: number): void {
  const n = norm as { mean?: unknown; std?: unknown } | undefined;
  if (!n || !Array.isArray(n.mean) || !Array.isArray(n.std) || n.mean.length !== dim || n.std.length !== dim) {
    fail(where, `config.json ${name} must have mean and std arrays of length ${dim}`);
  }
  for (let i = 0; i < dim; i++) {
    if (!Number.isFinite(n.mean[i]) || !(n.std[i] > 0)) fail(where, `config.json ${name} has a non-finite mean or non-positive std at ${i}`);
  }
}

/** Checks a parsed config.json against the code (kind, version, feature spec, fps, joint layout, shapes). */
export function checkAudio2BodyConfig(cfg: unknown, where = ''): Audio2BodyConfigV1 {
  const c = cfg as Partial<Audio2BodyConfigV1> | null;
  if (!c || typeof c !== 'object') fail(where, 'config.json is not an object');
  if (c.kind !== 'audio2body') fail(where, `config.json kind is ${String(c.kind)}, expected 'audio2body'`);
  if (c.version !== AUDIO2BODY_CONFIG_VERSION) fail(where, `config.json version is ${String(c.version)}, this code reads version ${AUDIO2BODY_CONFIG_VERSION}`);
  if (!c.featureSpec) fail(where, 'config.json has no featureSpec');
  try {
    assertSameSpec(c.featureSpec);
  } catch (e) {
    fail(where, (e as Error).message);
  }
  if (c.fps !== DEFAULT_FEATURE_SPEC.fps) fail(where, `config.json fps is ${String(c.fps)}, the feature code runs at ${DEFAULT_FEATURE_SPEC.fps}`);
  if (!Array.isArray(c.joints) || c.joints.join(',') !== JOINT_NAMES.join(',')) fail(where, `config.json joints differ from the code's ${JOINT_NAMES.length}-joint layout`);
  if (c.bodyFacing !== true) fail(where, 'config.json bodyFacing must be true (poses in the body-facing frame)');
  checkNorm(where, 'featureNorm', c.featureNorm, DEFAULT_FEATURE_SPEC.names.length);
  checkNorm(where, 'poseNorm', c.poseNorm, POSE_DIM);
  if (!Number.isInteger(c.lookahead) || (c.lookahead as number) < 0) fail(where, `config.json lookahead must be an integer >= 0 (got ${String(c.lookahead)})`);
  if (!Number.isInteger(c.hiddenUnits) || (c.hiddenUnits as number) < 1) fail(where, `config.json hiddenUnits must be a positive integer (got ${String(c.hiddenUnits)})`);
  const a = c.outputSmoothing ?? 0;
  if (!(a >= 0 && a < 1)) fail(where, `config.json outputSmoothing must be in [0, 1) (got ${String(a)})`);
  if (c.posture !== undefined) {
    const err = postureConfigError(c.posture, DEFAULT_FEATURE_SPEC.names.length, DEFAULT_FEATURE_SPEC.fps);
    if (err) fail(where, `config.json ${err}`);
  }
  return c as Audio2BodyConfigV1;
}

/** Dot product of a[ao .. ao + n) and b[bo .. bo + n), four partial sums (instruction-level parallelism). */
function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[ao + i] * b[bo + i];
    s1 += a[ao + i + 1] * b[bo + i + 1];
    s2 += a[ao + i + 2] * b[bo + i + 2];
    s3 += a[ao + i + 3] * b[bo + i + 3];
  }
  for (; i < n; i++) s0 += a[ao + i] * b[bo + i];
  return s0 + s1 + s2 + s3;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

class LstmAudio2Body implements Audio2BodyModel {
  private cfg: Audio2BodyConfigV1 | null = null;
  private net: tf.LayersModel | null = null;
  private disposed = false;
  // Weights as typed arrays (row-major, as tfjs stores them): kernel [in, 4H], recurrent [H, 4H], bias [4H],
  // dense [H, 69], dense bias [69]. Gate order i, f, c, o.
  /** LSTM input and recurrent kernels side by side, transposed: row g holds gate g's weights over [x, h] (float64). */
  private gateWeights = new Float64Array(0);
  private bias = new Float32Array(0);
  /** Output layer, transposed: row k holds output k's weights over h (float64). */
  private denseT = new Float64Array(0);
  private denseBias = new Float32Array(0);
  private featMean = new Float32Array(0);
  private featInvStd = new Float32Array(0);
  private poseMean = new Float32Array(0);
  private poseStd = new Float32Array(0);
  private smoothing = 0;
  private postureStage: PostureStage | null = null;
  posture: { readonly classes: readonly string[]; readonly probs: Float64Array } | null = null;
  // State and scratch.
  /** Step input [normalized features, h] (h lives in its tail), cell state and gate pre-activations (float64). */
  private xh = new Float64Array(0);
  private c = new Float64Array(0);
  private z = new Float64Array(0);
  private inDim = 0;
  private prevOut = new Float32Array(0);
  private hasPrev = false;

  constructor(private readonly url: string) {}

  get config(): Audio2BodyConfig {
    if (!this.cfg) throw new Error('audio2body model: call load() first');
    return this.cfg;
  }

  async load(): Promise<void> {
    if (this.disposed) throw new Error('audio2body model: load() after dispose()');
    if (this.net) return;
    const { config: cfg, net } = await loadModelFolder(this.url, 'audio2body', checkAudio2BodyConfig);
    try {
      this.adopt(cfg, net);
    } catch (e) {
      net.dispose();
      throw e;
    }
    this.net = net;
    this.cfg = cfg;
    // Warm-up: one step and one short sequence, then a clean state.
    this.step(new Float32Array(this.featMean), new Float32Array(POSE_DIM));
    this.predictSequence(new Float32Array(this.featMean), 1);
    this.reset();
  }

  /** Copies weights and normalization into typed arrays and checks their shapes. */
  private adopt(cfg: Audio2BodyConfigV1, net: tf.LayersModel): void {
    const where = `at ${this.url}`;
    const inDim = DEFAULT_FEATURE_SPEC.names.length;
    const H = cfg.hiddenUnits;
    let lstm: tf.layers.Layer;
    let pose: tf.layers.Layer;
    try {
      lstm = net.getLayer(LSTM_LAYER);
      pose = net.getLayer(POSE_LAYER);
    } catch {
      fail(where, `model.json lacks the layers ${LSTM_LAYER} / ${POSE_LAYER}`);
    }
    const lw = lstm.getWeights();
    const pw = pose.getWeights();
    const shapes = [...lw, ...pw].map((t) => t.shape.join('x')).join(', ');
    const expected = [`${inDim}x${4 * H}`, `${H}x${4 * H}`, `${4 * H}`, `${H}x${POSE_DIM}`, `${POSE_DIM}`].join(', ');
    if (shapes !== expected) fail(where, `weight shapes are [${shapes}], expected [${expected}] for hiddenUnits ${H}`);
    const kernel = lw[0].dataSync() as Float32Array;
    const recurrent = lw[1].dataSync() as Float32Array;
    this.bias = (lw[2].dataSync() as Float32Array).slice();
    const dense = pw[0].dataSync() as Float32Array;
    this.denseBias = (pw[1].dataSync() as Float32Array).slice();
    for (const a of [kernel, recurrent, this.bias, dense, this.denseBias]) {
      for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) fail(where, 'weights contain non-finite values (corrupt model?)');
    }
    // Transposed so that each gate (and each output) is one contiguous dot product in step().
    const G = 4 * H;
    const W = inDim + H;
    this.gateWeights = new Float64Array(G * W);
    for (let g = 0; g < G; g++) {
      for (let i = 0; i < inDim; i++) this.gateWeights[g * W + i] = kernel[i * G + g];
      for (let j = 0; j < H; j++) this.gateWeights[g * W + inDim + j] = recurrent[j * G + g];
    }
    this.denseT = new Float64Array(POSE_DIM * H);
    for (let k = 0; k < POSE_DIM; k++) for (let j = 0; j < H; j++) this.denseT[k * H + j] = dense[j * POSE_DIM + k];
    this.featMean = Float32Array.from(cfg.featureNorm.mean);
    this.featInvStd = Float32Array.from(cfg.featureNorm.std, (s) => 1 / s);
    this.poseMean = Float32Array.from(cfg.poseNorm.mean);
    this.poseStd = Float32Array.from(cfg.poseNorm.std);
    this.smoothing = cfg.outputSmoothing ?? 0;
    this.postureStage = cfg.posture ? new PostureStage(cfg.posture, inDim, cfg.fps) : null;
    this.posture = this.postureStage && cfg.posture ? { classes: cfg.posture.classes, probs: this.postureStage.probs } : null;
    this.inDim = inDim;
    this.xh = new Float64Array(inDim + H);
    this.c = new Float64Array(H);
    this.z = new Float64Array(4 * H);
    this.prevOut = new Float32Array(POSE_DIM);
    this.hasPrev = false;
  }

  step(features: Float32Array, out: Float32Array): Float32Array {
    if (!this.cfg) throw new Error('audio2body model: call load() first');
    const inDim = this.inDim;
    if (features.length !== inDim) throw new Error(`audio2body step: expected ${inDim} feature values, got ${features.length}`);
    if (out.length < POSE_DIM) throw new Error(`audio2body step: out needs ${POSE_DIM} values, has ${out.length}`);
    const { xh, z, c, gateWeights, denseT, bias, denseBias } = this;
    const H = c.length;
    const W = xh.length;
    for (let i = 0; i < inDim; i++) xh[i] = (features[i] - this.featMean[i]) * this.featInvStd[i];
    // Gate pre-activations: one dot product over [x, h_prev] per gate.
    for (let g = 0, row = 0; g < 4 * H; g++, row += W) z[g] = bias[g] + dot(gateWeights, row, xh, 0, W);
    for (let k = 0; k < H; k++) {
      const ig = sigmoid(z[k]);
      const fg = sigmoid(z[H + k]);
      const cc = Math.tanh(z[2 * H + k]);
      const og = sigmoid(z[3 * H + k]);
      const ck = fg * c[k] + ig * cc;
      c[k] = ck;
      xh[inDim + k] = og * Math.tanh(ck);
    }
    for (let k = 0, row = 0; k < POSE_DIM; k++, row += H) out[k] = denseBias[k] + dot(denseT, row, xh, inDim, H);
    const a = this.smoothing;
    for (let k = 0; k < POSE_DIM; k++) {
      let v = out[k] * this.poseStd[k] + this.poseMean[k];
      if (a > 0 && this.hasPrev) v = a * this.prevOut[k] + (1 - a) * v;
      this.prevOut[k] = v;
      out[k] = v;
    }
    this.hasPrev = true;
    this.postureStage?.apply(xh, out);
    return out;
  }

  predictSequence(features: Float32Array, numFrames: number): Float32Array {
    if (!this.cfg || !this.net) throw new Error('audio2body model: call load() first');
    const inDim = this.inDim;
    if (!Number.isInteger(numFrames) || numFrames < 1 || features.length < numFrames * inDim) {
      throw new Error(`audio2body predictSequence: need numFrames >= 1 and ${inDim} values per frame (got ${features.length} values for ${numFrames} frames)`);
    }
    const xn = new Float32Array(numFrames * inDim);
    for (let t = 0; t < numFrames; t++) {
      for (let i = 0; i < inDim; i++) xn[t * inDim + i] = (features[t * inDim + i] - this.featMean[i]) * this.featInvStd[i];
    }
    const net = this.net;
    const y = tf.tidy(() => (net.predict(tf.tensor3d(xn, [1, numFrames, inDim])) as tf.Tensor).dataSync() as Float32Array);
    const out = new Float32Array(numFrames * POSE_DIM);
    const a = this.smoothing;
    // The smoothing recursion reads the previous frame before the posture stage rewrites it, as step() does.
    const prev = new Float32Array(POSE_DIM);
    const posture = this.cfg.posture ? new PostureStage(this.cfg.posture, inDim, this.cfg.fps) : null;
    for (let t = 0; t < numFrames; t++) {
      const o = out.subarray(t * POSE_DIM, (t + 1) * POSE_DIM);
      for (let k = 0; k < POSE_DIM; k++) {
        let v = y[t * POSE_DIM + k] * this.poseStd[k] + this.poseMean[k];
        if (a > 0 && t > 0) v = a * prev[k] + (1 - a) * v;
        prev[k] = v;
        o[k] = v;
      }
      posture?.apply(xn.subarray(t * inDim, (t + 1) * inDim), o);
    }
    return out;
  }

  reset(): void {
    this.xh.fill(0, this.inDim);
    this.c.fill(0);
    this.hasPrev = false;
    this.postureStage?.reset();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.net?.dispose();
    this.net = null;
    this.cfg = null;
  }
}

/** Creates the Sound -> body model for a model folder URL (or a Node path); no I/O until `load()`. */
export function createAudio2Body(url: string): Audio2BodyModel {
  if (typeof url !== 'string' || url.length === 0) throw new Error('createAudio2Body: url must be a non-empty string');
  return new LstmAudio2Body(url);
}

/** Times `steps` streaming steps of a loaded model on a steady input (ms per step: median, p95, max). Resets the model. */
export function timeSteps(model: Audio2BodyModel, steps = 500, now: () => number = () => performance.now()): { medianMs: number; p95Ms: number; maxMs: number } {
  const dim = model.config.featureNorm.mean.length;
  const feats = Float32Array.from(model.config.featureNorm.mean);
  const out = new Float32Array(POSE_DIM);
  const ms = new Float64Array(steps);
  model.reset();
  for (let i = 0; i < steps; i++) {
    feats[i % dim] += 0.01;
    const t0 = now();
    model.step(feats, out);
    ms[i] = now() - t0;
  }
  model.reset();
  ms.sort();
  return { medianMs: ms[Math.floor(steps / 2)], p95Ms: ms[Math.min(steps - 1, Math.floor(steps * 0.95))], maxMs: ms[steps - 1] };
}
