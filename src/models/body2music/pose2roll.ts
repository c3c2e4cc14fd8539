/**
 * Live Body -> roll model: loads models/body2music-* (model.json + weights.bin + config.json) and turns a stream of
 * normalized poses into roll frames. The network sees a causal window of `config.window` frames (ring buffer,
 * preallocated) and predicts the energy, tempo, style and music-beat likelihood of the window's last frame. `beat` is
 * that likelihood when config.beatSource is 'network', or the motion's own pulse (features.ts MotionBeat: joint-speed
 * dips) when it is 'motion'. `activity` is rule-based: the mean joint speed over ACTIVITY_LAG frames mapped through the
 * config's still / full speeds, 0 for null (no person).
 * With `stride` k > 1 the network runs every k-th frame and its outputs (a network beat too) are held in between.
 *
 * Wiring: poses at 25 fps normalized with features/skeleton normalizePose({ scale, bodyFacing: true }) -> step() ->
 * createRoll2Score({ fps: 25, styleBpm: model.config.styleBpm }).update(roll, audioContextTime) -> NoteEvents.
 */
import * as tf from '@tensorflow/tfjs';
import { JOINT_NAMES, POSE_DIM } from '../../features/skeleton';
import { STYLES } from '../../types';
import { loadModelFolder } from '../io';
import type { Body2MusicConfig, Pose2RollModel, RollFrame } from '../types';
import { ACTIVITY_LAG, INPUT_DIM, MotionBeat, activityFromSpeed, inputFrame, motionSpeed } from './features';
import { OUT } from './network';

/** Current config.json format version. */
export const BODY2MUSIC_CONFIG_VERSION = 1;
/** Frame rate of poses and rolls. */
export const BODY2MUSIC_FPS = 25;

/** config.json of a body2music model folder with this implementation's fields. */
export interface Pose2RollConfig extends Body2MusicConfig {
  /** Motion speed (body scales/s, over ACTIVITY_LAG frames) at or below which activity is 0. */
  readonly activityStill: number;
  /** Motion speed at which activity reaches 1. */
  readonly activityFull: number;
  /** Median training tempo per style (STYLES order), bpm. */
  readonly styleBpm: readonly number[];
  /** Where roll.beat comes from: the network's beat output, or the rule-based MotionBeat. */
  readonly beatSource: BeatSource;
}

/** Sources of roll.beat: the network's music-beat likelihood, or the dancer's own pulse (MotionBeat). */
export const BEAT_SOURCES = Object.freeze(['network', 'motion'] as const);
export type BeatSource = (typeof BEAT_SOURCES)[number];

/** Options of {@link createPose2Roll}. */
export interface Pose2RollOptions {
  /** Run the network every `stride` frames (1 = every frame). */
  stride: number;
  /** Source of roll.beat; null = the config's beatSource. */
  beatSource: BeatSource | null;
}
export const DEFAULT_POSE2ROLL_OPTIONS: Readonly<Pose2RollOptions> = Object.freeze({ stride: 1, beatSource: null });

/** Fills and range-checks Pose2Roll options. */
export function pose2RollOptions(opts: Partial<Pose2RollOptions> = {}): Pose2RollOptions {
  const o = { ...DEFAULT_POSE2ROLL_OPTIONS, ...opts };
  if (!Number.isInteger(o.stride) || o.stride < 1 || o.stride > 8) throw new Error(`pose2roll: stride must be an integer in 1..8 (got ${o.stride})`);
  if (o.beatSource !== null && !BEAT_SOURCES.includes(o.beatSource)) throw new Error(`pose2roll: beatSource must be null or one of ${BEAT_SOURCES.join(', ')} (got ${String(o.beatSource)})`);
  return o;
}

function fail(where: string, msg: string): never {
  throw new Error(`body2music model ${where}: ${msg}`);
}

/** Checks a parsed config.json against the code (kind, version, fps, joint layout, shapes). */
export function checkBody2MusicConfig(cfg: unknown, where = ''): Pose2RollConfig {
  const c = cfg as Partial<Pose2RollConfig> | null;
  if (!c || typeof c !== 'object') fail(where, 'config.json is not an object');
  if (c.kind !== 'body2music') fail(where, `config.json kind is ${String(c.kind)}, expected 'body2music'`);
  if (c.version !== BODY2MUSIC_CONFIG_VERSION) fail(where, `config.json version is ${String(c.version)}, this code reads version ${BODY2MUSIC_CONFIG_VERSION}`);
  if (c.fps !== BODY2MUSIC_FPS) fail(where, `config.json fps is ${String(c.fps)}, the code runs at ${BODY2MUSIC_FPS}`);
  if (!Array.isArray(c.joints) || c.joints.join(',') !== JOINT_NAMES.join(',')) fail(where, `config.json joints differ from the code's ${JOINT_NAMES.length}-joint layout`);
  if (c.bodyFacing !== true) fail(where, 'config.json bodyFacing must be true (poses in the body-facing frame)');
  if (!Number.isInteger(c.window) || (c.window as number) < 8) fail(where, `config.json window must be an integer >= 8 (got ${String(c.window)})`);
  const n = c.inputNorm as { mean?: unknown; std?: unknown } | undefined;
  if (!n || !Array.isArray(n.mean) || !Array.isArray(n.std) || n.mean.length !== INPUT_DIM || n.std.length !== INPUT_DIM) {
    fail(where, `config.json inputNorm must have mean and std arrays of length ${INPUT_DIM}`);
  }
  if (!n.mean.every(Number.isFinite) || !n.std.every((s: number) => s > 0)) fail(where, 'config.json inputNorm has a non-finite mean or non-positive std');
  if (!Array.isArray(c.styles) || c.styles.join(',') !== STYLES.join(',')) fail(where, `config.json styles must be ${STYLES.join(', ')}`);
  if (!Array.isArray(c.styleBpm) || c.styleBpm.length !== STYLES.length || !c.styleBpm.every((b) => b > 0)) fail(where, `config.json styleBpm needs ${STYLES.length} positive tempos`);
  if (!(Number(c.medianBpm) > 0)) fail(where, 'config.json medianBpm must be > 0');
  if (!BEAT_SOURCES.includes(c.beatSource as BeatSource)) fail(where, `config.json beatSource is ${String(c.beatSource)}, expected one of ${BEAT_SOURCES.join(', ')}`);
  if (!(Number(c.activityStill) >= 0 && Number(c.activityFull) > Number(c.activityStill))) fail(where, 'config.json needs 0 <= activityStill < activityFull');
  return c as Pose2RollConfig;
}

/** A roll frame with its own style array. */
export function emptyRoll(): RollFrame {
  return { beat: 0, energy: 0, style: new Float32Array(STYLES.length), activity: 0, tempo: 0 };
}

/** Decodes a row of raw network outputs (OUT.size at offset `o`) into the roll's energy, tempo, style and beat. */
export function decodeOutput(raw: ArrayLike<number>, o: number, out: RollFrame): RollFrame {
  out.energy = 1 / (1 + Math.exp(-raw[o + OUT.energy]));
  out.beat = 1 / (1 + Math.exp(-raw[o + OUT.beat]));
  out.tempo = 100 * 2 ** raw[o + OUT.tempo];
  let m = -Infinity;
  for (let k = 0; k < STYLES.length; k++) m = Math.max(m, raw[o + OUT.style + k]);
  let z = 0;
  for (let k = 0; k < STYLES.length; k++) z += Math.exp(raw[o + OUT.style + k] - m);
  for (let k = 0; k < STYLES.length; k++) out.style[k] = Math.exp(raw[o + OUT.style + k] - m) / z;
  return out;
}

class ConvPose2Roll implements Pose2RollModel {
  private cfg: Pose2RollConfig | null = null;
  private net: tf.LayersModel | null = null;
  private disposed = false;
  private mean = new Float32Array(0);
  private invStd = new Float32Array(0);
  /** Ring buffer of normalized input frames (window x INPUT_DIM) and of raw poses (ACTIVITY_LAG + 1 x 69). */
  private ring = new Float32Array(0);
  private poses = new Float32Array(0);
  /** The window in time order, the network input. */
  private ordered = new Float32Array(0);
  private frame = new Float32Array(INPUT_DIM);
  private raw = new Float32Array(OUT.size);
  private head = 0;
  private filled = 0;
  private poseHead = 0;
  private posesFilled = 0;
  private sinceRun = 0;
  private readonly last = emptyRoll();
  private readonly pulse = new MotionBeat(BODY2MUSIC_FPS);

  constructor(private readonly url: string, private readonly options: Pose2RollOptions) {}

  get config(): Pose2RollConfig {
    if (!this.cfg) throw new Error('body2music model: call load() first');
    return this.cfg;
  }

  async load(): Promise<void> {
    if (this.disposed) throw new Error('body2music model: load() after dispose()');
    if (this.net) return;
    const where = `at ${this.url}`;
    const { config: cfg, net } = await loadModelFolder(this.url, 'body2music', checkBody2MusicConfig);
    const inShape = net.inputs[0].shape.slice(1).join('x');
    const outShape = net.outputs[0].shape.slice(1).join('x');
    if (inShape !== `${cfg.window}x${INPUT_DIM}` || outShape !== `${OUT.size}`) {
      net.dispose();
      fail(where, `network maps [${inShape}] -> [${outShape}], expected [${cfg.window}x${INPUT_DIM}] -> [${OUT.size}]`);
    }
    this.net = net;
    this.cfg = cfg;
    this.mean = Float32Array.from(cfg.inputNorm.mean);
    this.invStd = Float32Array.from(cfg.inputNorm.std, (s) => 1 / s);
    this.ring = new Float32Array(cfg.window * INPUT_DIM);
    this.ordered = new Float32Array(cfg.window * INPUT_DIM);
    this.poses = new Float32Array((ACTIVITY_LAG + 1) * POSE_DIM);
    // Warm-up: one step through the network, then a clean state.
    this.step(new Float32Array(POSE_DIM), emptyRoll());
    this.reset();
  }

  reset(): void {
    this.head = 0;
    this.filled = 0;
    this.poseHead = 0;
    this.posesFilled = 0;
    this.sinceRun = 0;
    this.pulse.reset();
    const l = this.last;
    l.beat = 0;
    l.energy = 0;
    l.activity = 0;
    l.tempo = 0;
    l.style.fill(1 / STYLES.length);
  }

  step(pose: Float32Array | null, out: RollFrame): RollFrame {
    const cfg = this.config;
    const net = this.net;
    if (!net) throw new Error('body2music model: disposed');
    if (pose === null) {
      // No person: silence, and the next person starts a fresh window.
      this.reset();
      out.beat = 0;
      out.energy = 0;
      out.activity = 0;
      out.tempo = 0;
      out.style.set(this.last.style);
      return out;
    }
    const W = cfg.window;
    // Velocity against the previous pose (none at the start of a stream).
    const prevIndex = (this.poseHead - 1 + ACTIVITY_LAG + 1) % (ACTIVITY_LAG + 1);
    const prev = this.posesFilled > 0 ? this.poses.subarray(prevIndex * POSE_DIM, (prevIndex + 1) * POSE_DIM) : null;
    inputFrame(pose, prev, cfg.fps, this.frame);
    // Activity: displacement over ACTIVITY_LAG frames (or as many as there are); the pulse from frame-to-frame speed.
    const lag = Math.min(this.posesFilled, ACTIVITY_LAG);
    let activity = 0;
    if (lag > 0) {
      const oldIndex = (this.poseHead - lag + ACTIVITY_LAG + 1) % (ACTIVITY_LAG + 1);
      const speed = motionSpeed(pose, this.poses.subarray(oldIndex * POSE_DIM, (oldIndex + 1) * POSE_DIM), lag / cfg.fps);
      activity = activityFromSpeed(speed, cfg.activityStill, cfg.activityFull);
    }
    const pulse = this.pulse.update(prev ? motionSpeed(pose, prev, 1 / cfg.fps) : 0);
    this.poses.set(pose.subarray(0, POSE_DIM), this.poseHead * POSE_DIM);
    this.poseHead = (this.poseHead + 1) % (ACTIVITY_LAG + 1);
    this.posesFilled = Math.min(this.posesFilled + 1, ACTIVITY_LAG + 1);
    // Normalize into the ring.
    const base = this.head * INPUT_DIM;
    for (let i = 0; i < INPUT_DIM; i++) this.ring[base + i] = (this.frame[i] - this.mean[i]) * this.invStd[i];
    this.head = (this.head + 1) % W;
    this.filled = Math.min(this.filled + 1, W);
    this.sinceRun++;
    const l = this.last;
    if (this.sinceRun >= this.options.stride || this.filled === 1) {
      this.sinceRun = 0;
      // Time order; frames before the stream's first are copies of the first (velocity 0 as at the stream start).
      const missing = W - this.filled;
      const first = (this.head - this.filled + W) % W;
      for (let k = 0; k < W; k++) {
        const src = k < missing ? first : (first + k - missing) % W;
        this.ordered.set(this.ring.subarray(src * INPUT_DIM, (src + 1) * INPUT_DIM), k * INPUT_DIM);
      }
      if (missing > 0) for (let k = 0; k < missing; k++) for (let i = POSE_DIM; i < INPUT_DIM; i++) this.ordered[k * INPUT_DIM + i] = -this.mean[i] * this.invStd[i];
      const data = tf.tidy(() => (net.predict(tf.tensor3d(this.ordered, [1, W, INPUT_DIM])) as tf.Tensor).dataSync());
      this.raw.set(data);
      decodeOutput(this.raw, 0, l);
    }
    out.beat = (this.options.beatSource ?? cfg.beatSource) === 'network' ? l.beat : pulse;
    out.energy = l.energy;
    out.tempo = l.tempo;
    out.style.set(l.style);
    out.activity = activity;
    return out;
  }

  predictSequence(poses: Float32Array, numFrames: number): RollFrame[] {
    this.reset();
    const rolls: RollFrame[] = [];
    for (let t = 0; t < numFrames; t++) rolls.push(this.step(poses.subarray(t * POSE_DIM, (t + 1) * POSE_DIM), emptyRoll()));
    this.reset();
    return rolls;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.net?.dispose();
    this.net = null;
  }
}

/** Pose2Roll model of the folder `url` (a URL in the browser, a folder path in Node). No I/O until `load()`. */
export function createPose2Roll(url: string, options: Partial<Pose2RollOptions> = {}): Pose2RollModel & { readonly config: Pose2RollConfig } {
  return new ConvPose2Roll(url, pose2RollOptions(options));
}
