/**
 * Live Sound -> pianist model: loads models/audio2body-piano (model.json + weights.bin + config.json) and maps audio
 * feature frames (src/features/extractor.ts, 41 values) plus pitch-band frames (src/features/pitch.ts, 88 semitone
 * bands, same frame convention) to the 49 pianist keypoints (src/features/piano/layout.ts; x, y, z in cm, pianist frame
 * of src/features/piano/keyboard.ts). Streams one frame at a time in typed arrays (no tensor, no allocation per step),
 * and runs whole sequences through tfjs for offline use; both compute the same function (see model.test.ts).
 *
 * The step at input frame t outputs the keypoints of frame t - lookahead (the hands move before the note sounds, so the
 * model hears a little of the future); `delayFrames` adds the output smoothing's lag.
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_FEATURE_SPEC, assertSameSpec } from '../../features/spec';
import { DEFAULT_PITCH_SPEC, type PitchSpec } from '../../features/pitch';
import { PIANIST_DIM, PIANIST_KEYPOINT_NAMES } from '../../features/piano/layout';
import type { AudioFeatureSpec, FeatureNormalization } from '../../features/types';
import { loadModelFolder } from '../io';
import { LstmStepper } from './lstm-stepper';
import { PIANO_LSTM_LAYER, PIANO_OUT_LAYER } from './network';

/** config.json kind and current format version. */
export const AUDIO2BODY_PIANO_KIND = 'audio2body-piano';
export const AUDIO2BODY_PIANO_CONFIG_VERSION = 1;

/** Audio feature values per frame. */
export const PIANO_FEATURE_DIM = DEFAULT_FEATURE_SPEC.names.length;
/** Pitch band values per frame. */
export const PIANO_PITCH_DIM = DEFAULT_PITCH_SPEC.bands;
/** Model input values per frame: features, then pitch bands. */
export const PIANO_INPUT_DIM = PIANO_FEATURE_DIM + PIANO_PITCH_DIM;

/** config.json of models/audio2body-piano. */
export interface Audio2BodyPianoConfig {
  readonly kind: typeof AUDIO2BODY_PIANO_KIND;
  readonly version: number;
  /** Frames per second of inputs and outputs (= featureSpec.fps = pitchSpec.fps). */
  readonly fps: number;
  readonly featureSpec: AudioFeatureSpec;
  readonly pitchSpec: PitchSpec;
  /** Output keypoint names in order (src/features/piano/layout.ts PIANIST_KEYPOINT_NAMES). */
  readonly keypoints: readonly string[];
  /** z-score statistics of the input frame (features then pitch bands, PIANO_INPUT_DIM values). */
  readonly inputNorm: FeatureNormalization;
  /** z-score statistics of the output (147 values, cm), applied inversely to the network output. */
  readonly outputNorm: FeatureNormalization;
  /** Output delay in frames: the step at input frame t outputs the keypoints of frame t - lookahead. */
  readonly lookahead: number;
  readonly hiddenUnits: number;
  /** One-pole smoothing of the output, y_t = a y_(t-1) + (1 - a) x_t (y_0 = x_0); 0 or absent = none. */
  readonly outputSmoothing?: number;
}

/** Sound -> pianist keypoints, stepped once per input frame with carried state. */
export interface Audio2BodyPianoModel {
  readonly config: Audio2BodyPianoConfig;
  /** Frames by which a step's output lags its input: lookahead + the smoothing's lag a / (1 - a), rounded. */
  readonly delayFrames: number;
  /** Loads the folder (URL, or a path in Node), checks config.json against the code, warms up. */
  load(): Promise<void>;
  /** One streaming step: raw feature frame (41) and pitch frame (88) in, 147 keypoint values (cm) out. Returns `out`. */
  step(features: Float32Array, pitch: Float32Array, out: Float32Array): Float32Array;
  /** Whole sequences (numFrames x 41, numFrames x 88) -> numFrames x 147; same math as `step` from a reset state. */
  predictSequence(features: Float32Array, pitch: Float32Array, numFrames: number): Float32Array;
  /** Clears the recurrent state (start of a new stream). */
  reset(): void;
  /** Frees weights; safe to call twice. */
  dispose(): void;
}

function fail(where: string, msg: string): never {
  throw new Error(`audio2body-piano model ${where}: ${msg}`);
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

/** Checks a parsed config.json against the code (kind, version, feature and pitch specs, fps, layout, shapes). */
export function checkAudio2BodyPianoConfig(cfg: unknown, where = ''): Audio2BodyPianoConfig {
  const c = cfg as Partial<Audio2BodyPianoConfig> | null;
  if (!c || typeof c !== 'object') fail(where, 'config.json is not an object');
  if (c.kind !== AUDIO2BODY_PIANO_KIND) fail(where, `config.json kind is ${String(c.kind)}, expected '${AUDIO2BODY_PIANO_KIND}'`);
  if (c.version !== AUDIO2BODY_PIANO_CONFIG_VERSION) fail(where, `config.json version is ${String(c.version)}, this code reads version ${AUDIO2BODY_PIANO_CONFIG_VERSION}`);
  if (!c.featureSpec) fail(where, 'config.json has no featureSpec');
  try {
    assertSameSpec(c.featureSpec);
  } catch (e) {
    fail(where, (e as Error).message);
  }
  const ps = c.pitchSpec as Partial<PitchSpec> | undefined;
  if (!ps) fail(where, 'config.json has no pitchSpec');
  for (const k of Object.keys(DEFAULT_PITCH_SPEC) as (keyof PitchSpec)[]) {
    if (ps[k] !== DEFAULT_PITCH_SPEC[k]) fail(where, `pitch spec mismatch: ${k} is ${String(ps[k])} in the model, ${String(DEFAULT_PITCH_SPEC[k])} in the code`);
  }
  if (c.fps !== DEFAULT_FEATURE_SPEC.fps || c.fps !== DEFAULT_PITCH_SPEC.fps) fail(where, `config.json fps is ${String(c.fps)}, the feature code runs at ${DEFAULT_FEATURE_SPEC.fps}`);
  if (!Array.isArray(c.keypoints) || c.keypoints.join(',') !== PIANIST_KEYPOINT_NAMES.join(',')) fail(where, `config.json keypoints differ from the code's ${PIANIST_KEYPOINT_NAMES.length}-keypoint pianist layout`);
  checkNorm(where, 'inputNorm', c.inputNorm, PIANO_INPUT_DIM);
  checkNorm(where, 'outputNorm', c.outputNorm, PIANIST_DIM);
  if (!Number.isInteger(c.lookahead) || (c.lookahead as number) < 0) fail(where, `config.json lookahead must be an integer >= 0 (got ${String(c.lookahead)})`);
  if (!Number.isInteger(c.hiddenUnits) || (c.hiddenUnits as number) < 1) fail(where, `config.json hiddenUnits must be a positive integer (got ${String(c.hiddenUnits)})`);
  const a = c.outputSmoothing ?? 0;
  if (!(a >= 0 && a < 1)) fail(where, `config.json outputSmoothing must be in [0, 1) (got ${String(a)})`);
  return c as Audio2BodyPianoConfig;
}

class LstmAudio2BodyPiano implements Audio2BodyPianoModel {
  private cfg: Audio2BodyPianoConfig | null = null;
  private net: tf.LayersModel | null = null;
  private lstm: LstmStepper | null = null;
  private disposed = false;
  private inMean = new Float32Array(0);
  private inInvStd = new Float32Array(0);
  private outMean = new Float32Array(0);
  private outStd = new Float32Array(0);
  private smoothing = 0;
  private readonly x = new Float32Array(PIANO_INPUT_DIM);
  private readonly raw = new Float32Array(PIANIST_DIM);
  private readonly prevOut = new Float32Array(PIANIST_DIM);
  private hasPrev = false;

  constructor(private readonly url: string) {}

  get config(): Audio2BodyPianoConfig {
    if (!this.cfg) throw new Error('audio2body-piano model: call load() first');
    return this.cfg;
  }

  get delayFrames(): number {
    const c = this.config;
    const a = c.outputSmoothing ?? 0;
    return c.lookahead + Math.round(a / (1 - a));
  }

  async load(): Promise<void> {
    if (this.disposed) throw new Error('audio2body-piano model: load() after dispose()');
    if (this.net) return;
    const { config: cfg, net } = await loadModelFolder(this.url, AUDIO2BODY_PIANO_KIND, checkAudio2BodyPianoConfig);
    try {
      let lstm: tf.layers.Layer;
      let dense: tf.layers.Layer;
      try {
        lstm = net.getLayer(PIANO_LSTM_LAYER);
        dense = net.getLayer(PIANO_OUT_LAYER);
      } catch {
        fail(`at ${this.url}`, `model.json lacks the layers ${PIANO_LSTM_LAYER} / ${PIANO_OUT_LAYER}`);
      }
      this.lstm = new LstmStepper(lstm, dense, PIANO_INPUT_DIM, cfg.hiddenUnits, PIANIST_DIM, `audio2body-piano model at ${this.url}`);
    } catch (e) {
      net.dispose();
      throw e;
    }
    this.net = net;
    this.cfg = cfg;
    this.inMean = Float32Array.from(cfg.inputNorm.mean);
    this.inInvStd = Float32Array.from(cfg.inputNorm.std, (s) => 1 / s);
    this.outMean = Float32Array.from(cfg.outputNorm.mean);
    this.outStd = Float32Array.from(cfg.outputNorm.std);
    this.smoothing = cfg.outputSmoothing ?? 0;
    // Warm-up: one step and one short sequence, then a clean state.
    const f = this.inMean.slice(0, PIANO_FEATURE_DIM);
    const p = this.inMean.slice(PIANO_FEATURE_DIM);
    this.step(f, p, new Float32Array(PIANIST_DIM));
    this.predictSequence(f, p, 1);
    this.reset();
  }

  step(features: Float32Array, pitch: Float32Array, out: Float32Array): Float32Array {
    const lstm = this.lstm;
    if (!this.cfg || !lstm) throw new Error('audio2body-piano model: call load() first');
    if (features.length !== PIANO_FEATURE_DIM) throw new Error(`audio2body-piano step: expected ${PIANO_FEATURE_DIM} feature values, got ${features.length}`);
    if (pitch.length !== PIANO_PITCH_DIM) throw new Error(`audio2body-piano step: expected ${PIANO_PITCH_DIM} pitch values, got ${pitch.length}`);
    if (out.length < PIANIST_DIM) throw new Error(`audio2body-piano step: out needs ${PIANIST_DIM} values, has ${out.length}`);
    const { x, inMean, inInvStd, raw } = this;
    for (let i = 0; i < PIANO_FEATURE_DIM; i++) x[i] = (features[i] - inMean[i]) * inInvStd[i];
    for (let i = 0; i < PIANO_PITCH_DIM; i++) {
      const j = PIANO_FEATURE_DIM + i;
      x[j] = (pitch[i] - inMean[j]) * inInvStd[j];
    }
    lstm.step(x, raw);
    const a = this.smoothing;
    for (let k = 0; k < PIANIST_DIM; k++) {
      let v = raw[k] * this.outStd[k] + this.outMean[k];
      if (a > 0 && this.hasPrev) v = a * this.prevOut[k] + (1 - a) * v;
      this.prevOut[k] = v;
      out[k] = v;
    }
    this.hasPrev = true;
    return out;
  }

  predictSequence(features: Float32Array, pitch: Float32Array, numFrames: number): Float32Array {
    const net = this.net;
    if (!this.cfg || !net) throw new Error('audio2body-piano model: call load() first');
    if (!Number.isInteger(numFrames) || numFrames < 1 || features.length < numFrames * PIANO_FEATURE_DIM || pitch.length < numFrames * PIANO_PITCH_DIM) {
      throw new Error(`audio2body-piano predictSequence: need numFrames >= 1, ${PIANO_FEATURE_DIM} feature and ${PIANO_PITCH_DIM} pitch values per frame (got ${features.length} and ${pitch.length} values for ${numFrames} frames)`);
    }
    const D = PIANO_INPUT_DIM;
    const xn = new Float32Array(numFrames * D);
    for (let t = 0; t < numFrames; t++) {
      for (let i = 0; i < PIANO_FEATURE_DIM; i++) xn[t * D + i] = (features[t * PIANO_FEATURE_DIM + i] - this.inMean[i]) * this.inInvStd[i];
      for (let i = 0; i < PIANO_PITCH_DIM; i++) {
        const j = PIANO_FEATURE_DIM + i;
        xn[t * D + j] = (pitch[t * PIANO_PITCH_DIM + i] - this.inMean[j]) * this.inInvStd[j];
      }
    }
    const y = tf.tidy(() => (net.predict(tf.tensor3d(xn, [1, numFrames, D])) as tf.Tensor).dataSync() as Float32Array);
    const out = new Float32Array(numFrames * PIANIST_DIM);
    const a = this.smoothing;
    for (let t = 0; t < numFrames; t++) {
      for (let k = 0; k < PIANIST_DIM; k++) {
        let v = y[t * PIANIST_DIM + k] * this.outStd[k] + this.outMean[k];
        if (a > 0 && t > 0) v = a * out[(t - 1) * PIANIST_DIM + k] + (1 - a) * v;
        out[t * PIANIST_DIM + k] = v;
      }
    }
    return out;
  }

  reset(): void {
    this.lstm?.reset();
    this.hasPrev = false;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.net?.dispose();
    this.net = null;
    this.lstm = null;
    this.cfg = null;
  }
}

/** Creates the Sound -> pianist model for a model folder URL (or a Node path); no I/O until `load()`. */
export function createAudio2BodyPiano(url: string): Audio2BodyPianoModel {
  if (typeof url !== 'string' || url.length === 0) throw new Error('createAudio2BodyPiano: url must be a non-empty string');
  return new LstmAudio2BodyPiano(url);
}
