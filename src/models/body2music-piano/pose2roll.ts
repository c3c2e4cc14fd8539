/**
 * Piano Pose2Roll (Audeo-style, movement -> piano roll): a stream of view frames (features/piano/view.ts representation:
 * x, y in cm from the keyboard calibration, hand depth relative to the wrist or 0; NaN or a missing frame where nothing
 * was seen) -> per frame, 88 key probabilities (sounding), onset probabilities and velocities.
 *
 * How: per fingertip, a small MLP (./mlp.ts) over a window of that finger's trajectory (./features.ts) gives
 * p(pressing), p(onset) and p(black key | pressing). The finger's estimated keyboard x assigns it softly to keys: a
 * Gaussian around each key's expected view x (key centre x times a per-colour scale, the perspective of keys at
 * another depth than the calibration's), normalized within each colour and weighted by p(black). Key k's probability
 * is 1 - prod over the 10 fingers of (1 - p_f * a_f(k)), the same for onsets. Output frame = the window's frame
 * `lookahead` frames before the newest one (the model's latency, lookahead / fps s).
 *
 * Model folder models/body2music-piano/: config.json (checked by {@link checkPianoPose2RollConfig}) and network.json
 * (the MLP's weights). No tfjs: the network is a few thousand weights, run on typed arrays.
 */
import { KEYS, NUM_KEYS } from '../../features/piano/keyboard';
import { PIANIST_DIM, PIANIST_KEYPOINT_NAMES } from '../../features/piano/layout';
import { loadJson } from '../io';
import { FRAME_FEATURES, FingerFeatureTracker, NUM_FINGERS, NUM_PERSPECTIVE_FEATURES, checkViewLength, fingerInputDim, type KeyboardPerspective } from './features';
import { checkMlp, mlpForward, mlpScratch, type MlpWeights } from './mlp';

export const PIANO_POSE2ROLL_KIND = 'body2music-piano';
export const PIANO_POSE2ROLL_VERSION = 1;
export const PIANO_FPS = 25;
/**
 * A fingertip whose height varies by less than this over the whole window (cm) plays nothing: a key is struck and held
 * by a finger that moved onto it, and a frozen picture (a still camera frame, a hand held by the tracker) must stay
 * silent. Landmark jitter of real detectors and of the training views (~1 cm) is far above it.
 */
export const STILL_TRAVEL_CM = 0.15;
/** Network outputs (logits). */
export const PIANO_OUT = Object.freeze({ press: 0, onset: 1, black: 2, size: 3 });

/** Key assignment: expected view x of a key = scale * key.x + bias (per colour), spread sigma (cm). */
export interface KeyAssignment {
  readonly whiteScale: number;
  readonly whiteBias: number;
  readonly whiteSigma: number;
  readonly blackScale: number;
  readonly blackBias: number;
  readonly blackSigma: number;
}

/** Roll2Midi settings tuned with the model (see ./roll2midi.ts). */
export interface Roll2MidiSettings {
  readonly onThreshold: number;
  readonly offThreshold: number;
  readonly sustainThreshold: number;
  readonly minFrames: number;
  /** Non-maximum suppression of starts across keys (keys on either side; 0 or absent: off). */
  readonly peakRadius?: number;
}

/** config.json of models/body2music-piano/. */
export interface PianoPose2RollConfig {
  readonly kind: typeof PIANO_POSE2ROLL_KIND;
  readonly version: number;
  readonly fps: number;
  /** Keypoint names of the view frames (features/piano/layout.ts order). */
  readonly keypoints: readonly string[];
  /** Frames the per-finger network sees, and how many of them are after the output frame. */
  readonly window: number;
  readonly lookahead: number;
  /** z-score statistics of the per-finger input (fingerInputDim(window) values). */
  readonly inputNorm: { readonly mean: readonly number[]; readonly std: readonly number[] };
  /** MLP layer sizes, input first; the output has PIANO_OUT.size logits. */
  readonly sizes: readonly number[];
  readonly keyAssignment: KeyAssignment;
  /** Perspective correction of finger x (./features.ts), null for none. */
  readonly perspective: KeyboardPerspective | null;
  /** 'soft': each finger spreads over keys by the Gaussians; 'argmax': each finger goes wholly to its most likely key. */
  readonly assignment: 'soft' | 'argmax';
  /** MIDI velocity = velocity.bias + velocity.perCmPerS * fingertip descent speed (cm/s) at the onset, clamped to 1..127. */
  readonly velocity: { readonly bias: number; readonly perCmPerS: number };
  readonly roll2midi: Roll2MidiSettings;
}

function fail(where: string, msg: string): never {
  throw new Error(`body2music-piano model ${where}: ${msg}`);
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Checks a parsed config.json against the code (kind, version, fps, layout, shapes, ranges). */
export function checkPianoPose2RollConfig(cfg: unknown, where = ''): PianoPose2RollConfig {
  const c = cfg as Partial<PianoPose2RollConfig> | null;
  if (!c || typeof c !== 'object') fail(where, 'config.json is not an object');
  if (c.kind !== PIANO_POSE2ROLL_KIND) fail(where, `config.json kind is ${String(c.kind)}, expected '${PIANO_POSE2ROLL_KIND}'`);
  if (c.version !== PIANO_POSE2ROLL_VERSION) fail(where, `config.json version is ${String(c.version)}, this code reads version ${PIANO_POSE2ROLL_VERSION}`);
  if (c.fps !== PIANO_FPS) fail(where, `config.json fps is ${String(c.fps)}, the code runs at ${PIANO_FPS}`);
  if (!Array.isArray(c.keypoints) || c.keypoints.join(',') !== PIANIST_KEYPOINT_NAMES.join(',')) fail(where, `config.json keypoints differ from the code's ${PIANIST_KEYPOINT_NAMES.length}-keypoint pianist layout`);
  if (!Number.isInteger(c.window) || (c.window as number) < 2 || (c.window as number) > 64) fail(where, `config.json window must be an integer in 2..64 (got ${String(c.window)})`);
  const W = c.window as number;
  if (!Number.isInteger(c.lookahead) || (c.lookahead as number) < 0 || (c.lookahead as number) >= W) fail(where, `config.json lookahead must be an integer in 0..${W - 1} (got ${String(c.lookahead)})`);
  const dim = fingerInputDim(W);
  const n = c.inputNorm;
  if (!n || !Array.isArray(n.mean) || !Array.isArray(n.std) || n.mean.length !== dim || n.std.length !== dim) fail(where, `config.json inputNorm must have mean and std arrays of length ${dim}`);
  if (!n.mean.every(isNum) || !n.std.every((s) => isNum(s) && s > 0)) fail(where, 'config.json inputNorm has a non-finite mean or non-positive std');
  const s = c.sizes;
  if (!Array.isArray(s) || s.length < 2 || s[0] !== dim || s[s.length - 1] !== PIANO_OUT.size || !s.every((x) => Number.isInteger(x) && x > 0)) {
    fail(where, `config.json sizes must be positive integers from ${dim} (input) to ${PIANO_OUT.size} (output)`);
  }
  const k = c.keyAssignment;
  if (!k || ![k.whiteScale, k.whiteBias, k.blackScale, k.blackBias].every(isNum) || !(k.whiteSigma > 0) || !(k.blackSigma > 0)) {
    fail(where, 'config.json keyAssignment needs finite whiteScale, whiteBias, blackScale, blackBias and positive whiteSigma, blackSigma');
  }
  const pp = c.perspective;
  if (pp === undefined || (pp !== null && !(Array.isArray(pp.weights) && pp.weights.length === NUM_PERSPECTIVE_FEATURES + 1 && pp.weights.every(isNum)))) {
    fail(where, `config.json perspective must be null or { weights: ${NUM_PERSPECTIVE_FEATURES + 1} finite numbers }`);
  }
  if (c.assignment !== 'soft' && c.assignment !== 'argmax') fail(where, `config.json assignment must be 'soft' or 'argmax' (got ${String(c.assignment)})`);
  const v = c.velocity;
  if (!v || !isNum(v.bias) || !isNum(v.perCmPerS)) fail(where, 'config.json velocity needs finite bias and perCmPerS');
  const r = c.roll2midi;
  if (!r || ![r.onThreshold, r.offThreshold, r.sustainThreshold].every((x) => isNum(x) && x > 0 && x < 1) || !(Number.isInteger(r.minFrames) && r.minFrames >= 1)) {
    fail(where, 'config.json roll2midi needs onThreshold, offThreshold, sustainThreshold in (0, 1) and an integer minFrames >= 1');
  }
  return c as PianoPose2RollConfig;
}

/** Checks network.json against the config's sizes and returns typed weights. */
export function parsePianoNetwork(raw: unknown, cfg: PianoPose2RollConfig, where = ''): MlpWeights {
  const j = raw as { W?: unknown; b?: unknown } | null;
  if (!j || !Array.isArray(j.W) || !Array.isArray(j.b)) fail(where, 'network.json needs W and b arrays');
  const m: MlpWeights = { sizes: cfg.sizes, W: (j.W as number[][]).map((w) => Float32Array.from(w)), b: (j.b as number[][]).map((w) => Float32Array.from(w)) };
  try {
    checkMlp(m);
  } catch (e) {
    fail(where, `network.json does not match config.json sizes (${(e as Error).message})`);
  }
  return m;
}

/** One output frame of the piano Pose2Roll; arrays are 88 long (A0..C8). */
export interface PianoRollFrame {
  /** False while the stream is shorter than the model's lookahead (no output frame yet). */
  valid: boolean;
  /** Probability that each key sounds. */
  frame: Float32Array;
  /** Probability that each key is struck in this frame. */
  onset: Float32Array;
  /** Estimated MIDI velocity (1..127) of a strike of each key in this frame. */
  velocity: Float32Array;
}

export function emptyPianoRollFrame(): PianoRollFrame {
  return { valid: false, frame: new Float32Array(NUM_KEYS), onset: new Float32Array(NUM_KEYS), velocity: new Float32Array(NUM_KEYS) };
}

/** Per-finger outputs of one step, for evaluation and display. */
export interface FingerOutputs {
  press: Float32Array;
  onset: Float32Array;
  black: Float32Array;
  x: Float32Array;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** The core: features -> MLP -> key assignment, from a config and weights (no I/O). */
export class PianoPose2RollCore {
  readonly features: FingerFeatureTracker;
  readonly fingers: FingerOutputs = { press: new Float32Array(NUM_FINGERS), onset: new Float32Array(NUM_FINGERS), black: new Float32Array(NUM_FINGERS), x: new Float32Array(NUM_FINGERS) };
  private readonly input: Float32Array;
  private readonly mean: Float32Array;
  private readonly invStd: Float32Array;
  private readonly scratch: Float32Array[];
  private readonly notPressed = new Float64Array(NUM_KEYS);
  private readonly notStruck = new Float64Array(NUM_KEYS);
  private readonly bestStrike = new Float32Array(NUM_KEYS);
  private readonly assign = new Float64Array(NUM_KEYS);

  constructor(readonly config: PianoPose2RollConfig, readonly net: MlpWeights) {
    this.features = new FingerFeatureTracker(config.window, config.lookahead, config.perspective);
    this.input = new Float32Array(fingerInputDim(config.window));
    this.mean = Float32Array.from(config.inputNorm.mean);
    this.invStd = Float32Array.from(config.inputNorm.std, (s) => 1 / s);
    this.scratch = mlpScratch(net);
  }

  reset(): void {
    this.features.reset();
  }

  /** Soft assignment of a finger at view x (cm) to the keys, p(black) from the network; written to this.assign. */
  private assignKeys(x: number, pBlack: number): Float64Array {
    const k = this.config.keyAssignment;
    let zw = 0;
    let zb = 0;
    const a = this.assign;
    for (let i = 0; i < NUM_KEYS; i++) {
      const key = KEYS[i];
      const mu = key.black ? k.blackScale * key.x + k.blackBias : k.whiteScale * key.x + k.whiteBias;
      const sd = key.black ? k.blackSigma : k.whiteSigma;
      const d = (x - mu) / sd;
      const g = d * d > 60 ? 0 : Math.exp(-0.5 * d * d);
      a[i] = g;
      if (key.black) zb += g;
      else zw += g;
    }
    // Far off the keyboard both sums vanish and the finger plays nothing.
    let best = 0;
    for (let i = 0; i < NUM_KEYS; i++) {
      const black = KEYS[i].black;
      const z = black ? zb : zw;
      a[i] = z > 1e-300 ? ((black ? pBlack : 1 - pBlack) * a[i]) / z : 0;
      if (a[i] > a[best]) best = i;
    }
    if (this.config.assignment === 'argmax') for (let i = 0; i < NUM_KEYS; i++) a[i] = i === best ? 1 : 0;
    return a;
  }

  /** Adds a view frame (null or !present: missing) and writes the output frame. */
  step(view: ArrayLike<number> | null, present: boolean, out: PianoRollFrame, o = 0): PianoRollFrame {
    if (view !== null) checkViewLength(view.length - o);
    const F = this.features;
    F.push(view, present, o);
    const cfg = this.config;
    out.valid = F.count > cfg.lookahead;
    this.notPressed.fill(1);
    this.notStruck.fill(1);
    this.bestStrike.fill(0);
    out.velocity.fill(0);
    const dim = this.input.length;
    for (let f = 0; f < NUM_FINGERS; f++) {
      this.fingers.press[f] = 0;
      this.fingers.onset[f] = 0;
      if (!out.valid || !F.handSeen(f)) continue;
      F.input(f, this.input);
      // A hand unseen over the whole window plays nothing.
      let seen = 0;
      let lo = Infinity;
      let hi = -Infinity;
      for (let k = 0; k < cfg.window; k++) {
        seen += this.input[k * FRAME_FEATURES + FRAME_FEATURES - 1];
        lo = Math.min(lo, this.input[k * FRAME_FEATURES]);
        hi = Math.max(hi, this.input[k * FRAME_FEATURES]);
      }
      if (seen === 0 || hi - lo < STILL_TRAVEL_CM) continue;
      for (let i = 0; i < dim; i++) this.input[i] = (this.input[i] - this.mean[i]) * this.invStd[i];
      const y = mlpForward(this.net, this.input, this.scratch);
      const p = sigmoid(y[PIANO_OUT.press]);
      const q = sigmoid(y[PIANO_OUT.onset]);
      const pb = sigmoid(y[PIANO_OUT.black]);
      const x = F.tipX(f);
      this.fingers.press[f] = p;
      this.fingers.onset[f] = q;
      this.fingers.black[f] = pb;
      this.fingers.x[f] = x;
      const a = this.assignKeys(x, pb);
      const speed = ((F.tipY(f, 2) - F.tipY(f, 0)) * cfg.fps) / 2;
      const vel = Math.max(1, Math.min(127, Math.round(cfg.velocity.bias + cfg.velocity.perCmPerS * speed)));
      for (let i = 0; i < NUM_KEYS; i++) {
        const ai = a[i];
        if (ai === 0) continue;
        this.notPressed[i] *= 1 - p * ai;
        this.notStruck[i] *= 1 - q * ai;
        if (q * ai > this.bestStrike[i]) {
          this.bestStrike[i] = q * ai;
          out.velocity[i] = vel;
        }
      }
    }
    for (let i = 0; i < NUM_KEYS; i++) {
      out.frame[i] = 1 - this.notPressed[i];
      out.onset[i] = 1 - this.notStruck[i];
    }
    return out;
  }
}

/** The loadable model (Magenta.js lifecycle: constructor does no I/O; load() checks config.json and warms up). */
export interface PianoPose2RollModel {
  readonly config: PianoPose2RollConfig;
  load(): Promise<void>;
  /** One view frame (PIANIST_DIM values; NaN where unseen; null: no frame) -> the output frame (lookahead frames older). */
  step(view: ArrayLike<number> | null, out: PianoRollFrame): PianoRollFrame;
  /** Per-finger outputs of the last step. */
  readonly fingers: FingerOutputs;
  reset(): void;
  dispose(): void;
}

class LoadedPianoPose2Roll implements PianoPose2RollModel {
  private core: PianoPose2RollCore | null = null;
  private disposed = false;

  constructor(private readonly url: string) {}

  get config(): PianoPose2RollConfig {
    if (!this.core) throw new Error('body2music-piano model: call load() first');
    return this.core.config;
  }

  get fingers(): FingerOutputs {
    if (!this.core) throw new Error('body2music-piano model: call load() first');
    return this.core.fingers;
  }

  async load(): Promise<void> {
    if (this.disposed) throw new Error('body2music-piano model: load() after dispose()');
    if (this.core) return;
    const where = `at ${this.url}`;
    let raw: unknown;
    try {
      raw = await loadJson<unknown>(this.url, 'config.json');
    } catch (e) {
      fail(where, `cannot read config.json (${(e as Error).message})`);
    }
    const cfg = checkPianoPose2RollConfig(raw, where);
    let netRaw: unknown;
    try {
      netRaw = await loadJson<unknown>(this.url, 'network.json');
    } catch (e) {
      fail(where, `cannot read network.json (${(e as Error).message})`);
    }
    const core = new PianoPose2RollCore(cfg, parsePianoNetwork(netRaw, cfg, where));
    // Warm-up: a few frames of a resting pose, then a clean state.
    const rest = new Float32Array(PIANIST_DIM);
    const out = emptyPianoRollFrame();
    for (let k = 0; k <= cfg.lookahead; k++) core.step(rest, true, out);
    core.reset();
    this.core = core;
  }

  step(view: ArrayLike<number> | null, out: PianoRollFrame): PianoRollFrame {
    if (!this.core) throw new Error(this.disposed ? 'body2music-piano model: disposed' : 'body2music-piano model: call load() first');
    return this.core.step(view, view !== null, out);
  }

  reset(): void {
    this.core?.reset();
  }

  dispose(): void {
    this.disposed = true;
    this.core = null;
  }
}

/** Piano Pose2Roll of the folder `url` (a URL in the browser, a folder path in Node). No I/O until `load()`. */
export function createPianoPose2Roll(url: string): PianoPose2RollModel {
  return new LoadedPianoPose2Roll(url);
}
