/**
 * Pianist Watch: camera or video file -> MediaPipe hands (features/hands, one estimate at a time, frames skipped while
 * one runs) -> 49-keypoint pianist frame through the keyboard calibration (features/piano/view.ts, the representation
 * the model was trained on; depth 'none') -> 25 fps resampling -> body2music-piano Pose2Roll -> Roll2Midi -> the
 * Salamander piano of src/synth (notes played as they are decided).
 *
 * Calibration (./pianist-calibration.ts): until the performer calibrates, a stated default calibration from the first
 * seen hand is used so that any video of hands plays ({@link defaultCalibration}). `startCalibration()` runs the
 * calibration flow (left index fingertip held at the keyboard's left end, then the right one at its right end); while
 * it runs no notes are played (the model is not stepped and sounding notes are released), and when it is done the
 * performer's calibration replaces the default one; a failed or cancelled calibration keeps the previous one.
 * The body (BlazePose) is not run here: the model reads the hands; without a body the perspective correction is off.
 *
 * Real time: everything runs from the video source's frame callbacks and promise continuations; nothing is awaited in
 * an animation frame, and the app only reads `keypoints`, `keys`, `havePose`, `notesPlayed`.
 */
import { createCameraSource, createVideoFileSource } from '../capture/camera';
import type { VideoFrameInfo, VideoSource } from '../capture/video-types';
import {
  composePianistFrame, createHandTracker, DEFAULT_PIANIST_FRAME_OPTIONS, PIANIST_LEFT_HAND, PIANIST_RIGHT_HAND,
  type HandAssignment, type HandsFrame, type HandTracker, type ImageToKeyboard,
} from '../features/hands';
import { NUM_KEYS } from '../features/piano/keyboard';
import { PIANIST_DIM } from '../features/piano/layout';
import { imageToKeyboard } from '../features/piano/view';
import { createFrameRateResampler } from '../features/pose';
import type { FrameRateResampler } from '../features/pose/types';
import { createPianoPose2Roll, emptyPianoRollFrame, type PianoPose2RollModel } from '../models/body2music-piano/pose2roll';
import { Roll2Midi, type Roll2MidiEvents } from '../models/body2music-piano/roll2midi';
import type { Synth } from '../synth/types';
import type { NoteEvent } from '../types';
import { ModelLoadError } from './errors';
import { PianistCalibration, type PianistCalibrationView } from './pianist-calibration';
import { PIANIST_MODEL_URLS, PianistModelMissingError, pianistModelInstalled, type PianistWatchInput, type PianistWatchSession } from './pianist-models';
import type { WatchFigures } from './latency-panel';
import { EstimateGate } from './estimate-gate';
import { Ema, RateMeter } from './stats';

/** Sounding length handed to the synth for each note, s (the sampler's own decay follows). */
export const WATCH_NOTE_SECONDS = 0.4;
/** Longest gap between two hand estimates that is interpolated, ms (estimates take ~0.3-1.7 s on software WebGL, plus the EstimateGate rest). */
const MAX_GAP_MS = 4000;

export { defaultCalibration, DEFAULT_HAND_OFFSET_CM, DEFAULT_KNUCKLE_HEIGHT_CM, DEFAULT_KNUCKLE_WIDTH_CM } from './pianist-calibration';

/** Options of {@link createPianistWatch}. */
export interface PianistWatchDeps {
  /** Creates (not loaded) the synth; loaded inside createPianistWatch (Start is a user gesture). */
  createSynth(): Synth;
  /** Model folder URL (default PIANIST_MODEL_URLS.body2music). */
  modelUrl?: string;
  /** Hand landmark model ('lite' on slow machines). */
  handModel?: 'lite' | 'full';
}

let handTracker: Promise<HandTracker> | null = null;
let pianoModel: Promise<PianoPose2RollModel> | null = null;

function once<T>(get: () => Promise<T> | null, set: (p: Promise<T> | null) => void, make: () => Promise<T>): Promise<T> {
  let p = get();
  if (!p) {
    p = make().catch((e: unknown) => {
      set(null);
      throw e;
    });
    set(p);
  }
  return p;
}

class PianistWatch implements PianistWatchSession {
  readonly keypoints = new Float32Array(PIANIST_DIM).fill(Number.NaN);
  readonly keys = new Float32Array(NUM_KEYS);
  havePose = false;
  readonly estimateMs = new Ema(20);
  /** Pose2Roll step + Roll2Midi per 25 fps tick, ms. */
  readonly rollMs = new Ema(50);
  /** Hand estimates completed per second. */
  private readonly handRate = new RateMeter(20);
  framesEstimated = 0;
  /** Which keyboard calibration is in use, and the calibration flow. */
  private readonly cal = new PianistCalibration();
  private readonly frame = new Float32Array(PIANIST_DIM);
  private readonly roll = emptyPianoRollFrame();
  private readonly events: Roll2MidiEvents = { started: [], ended: [] };
  private readonly noteBatch: NoteEvent[] = [];
  private readonly assignment: HandAssignment = { right: -1, left: -1 };
  private readonly scratch = new Float32Array(4);
  private readonly toKeyboard: ImageToKeyboard = {
    project: (u, v, out, o) => {
      const k = this.cal.keyboard;
      if (k) imageToKeyboard(k, u, v, out, o);
      else {
        out[o] = Number.NaN;
        out[o + 1] = Number.NaN;
      }
    },
  };
  private resampler: FrameRateResampler | null = null;
  private readonly roll2midi: Roll2Midi;
  /** One hand estimate at a time, with a rest after each (./estimate-gate.ts). */
  private readonly gate = new EstimateGate();
  private stopped = false;
  private unsubscribe: (() => void) | null = null;

  constructor(readonly source: VideoSource, private readonly hands: HandTracker, private readonly model: PianoPose2RollModel, private readonly synth: Synth, private readonly onError: (e: unknown) => void) {
    this.roll2midi = new Roll2Midi({ fps: model.config.fps, ...model.config.roll2midi });
  }

  get video(): HTMLVideoElement {
    return this.source.video;
  }

  get notesPlayed(): number {
    return this.synth.notesPlayed;
  }

  get calibration(): PianistCalibrationView {
    return this.cal;
  }

  startCalibration(): void {
    if (this.stopped) return;
    this.cal.start();
    this.restartStream();
  }

  cancelCalibration(): void {
    if (!this.cal.calibrating) return;
    this.cal.cancel();
    this.restartStream();
  }

  /** Silences the output and starts the model's stream afresh (a calibration begins or the mapping changed). */
  private restartStream(): void {
    this.synth.releaseAll();
    this.model.reset();
    this.roll2midi.reset();
    this.keys.fill(0);
    this.resampler = null; // recreated at the next frame: no interpolation across the calibration
  }

  start(): void {
    this.hands.reset();
    this.model.reset();
    this.roll2midi.reset();
    this.unsubscribe = this.source.onFrame(this.onFrame);
  }

  private readonly onFrame = (f: VideoFrameInfo): void => {
    // The hand tracker is slower than the camera: skip frames while one runs, and for a rest after it (EstimateGate).
    const t0 = performance.now();
    if (this.stopped || !this.gate.tryStart(t0)) return;
    const ts = f.timestampMs;
    this.hands
      .estimate(f.video, ts)
      .then((res) => {
        if (this.stopped || res === null) return;
        const done = performance.now();
        if (this.framesEstimated > 0) this.estimateMs.add(done - t0);
        this.handRate.tick(done);
        this.framesEstimated++;
        this.onHands(res, ts);
      })
      .catch((e: unknown) => this.onError(e))
      .finally(() => this.gate.end(performance.now()));
  };

  private onHands(res: HandsFrame, ts: number): void {
    if (this.cal.update(res, ts, res.imageWidth, res.imageHeight) === 'calibrated') this.restartStream();
    const mask = this.cal.keyboard ? composePianistFrame(null, res, this.toKeyboard, this.frame, DEFAULT_PIANIST_FRAME_OPTIONS, this.assignment, this.scratch) : 0;
    this.havePose = (mask & (PIANIST_RIGHT_HAND | PIANIST_LEFT_HAND)) !== 0;
    if (this.havePose) this.keypoints.set(this.frame);
    // Calibrating: the hands are shown but do not play (the model is not stepped).
    if (this.cal.calibrating) return;
    this.resampler ??= createFrameRateResampler({ dim: PIANIST_DIM, fps: this.model.config.fps, originMs: ts, maxGapMs: MAX_GAP_MS });
    this.resampler.push(this.havePose ? this.frame : null, ts, this.onTick);
  }

  private readonly onTick = (values: Float32Array | null): void => {
    const t0 = performance.now();
    this.model.step(values, this.roll);
    const ev = this.roll2midi.update(this.roll, 0, this.events);
    this.rollMs.add(performance.now() - t0);
    const sounding = this.roll2midi.sounding;
    for (let k = 0; k < NUM_KEYS; k++) this.keys[k] = sounding[k];
    if (ev.started.length === 0 || this.cal.calibrating) return;
    const now = this.synth.now();
    this.noteBatch.length = 0;
    for (const n of ev.started) this.noteBatch.push({ instrument: 'piano', midi: n.midi, time: now, duration: WATCH_NOTE_SECONDS, velocity: n.velocity / 127 });
    this.synth.play(this.noteBatch);
  };

  statusText(): string {
    const c = this.cal;
    const cal = c.calibrating ? `calibrating: ${c.message}` : c.inUse === 'calibrated' ? 'calibrated' : c.inUse === 'default' ? 'default calibration' : 'waiting for a hand';
    return `hands ${Number.isFinite(this.handRate.rate) ? this.handRate.rate.toFixed(1) : '-'} /s, ${this.framesEstimated} frames, ${cal}`;
  }

  fillLatency(out: WatchFigures): void {
    const synth = this.synth;
    out.poseMs = this.estimateMs.value;
    out.poseRate = this.handRate.rate;
    out.rollMs = this.rollMs.value;
    out.modelFps = this.model.config.fps;
    out.lookAheadMs = synth.lookAhead * 1000;
    out.baseLatencyMs = synth.baseLatency * 1000;
    out.outputLatencyMs = synth.outputLatency * 1000;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    this.source.stop();
    this.synth.releaseAll();
    this.synth.dispose();
  }
}

/**
 * Builds and starts Pianist Watch. Rejects with PianistModelMissingError when models/body2music-piano/ is absent, and
 * with a readable error when the video, the hand tracker, the model or the synth fails; the video is stopped then.
 */
export async function createPianistWatch(input: PianistWatchInput, onError: (e: unknown) => void, deps: PianistWatchDeps): Promise<PianistWatchSession> {
  const url = deps.modelUrl ?? PIANIST_MODEL_URLS.body2music;
  if (!(await pianistModelInstalled(url))) throw new PianistModelMissingError('body2music');
  const source = input.kind === 'camera' ? createCameraSource() : createVideoFileSource({ url: input.url, loop: true, muted: true });
  const synth = deps.createSynth();
  try {
    await source.start();
    const [hands, model] = await Promise.all([
      once(() => handTracker, (p) => (handTracker = p), async () => {
        const t = createHandTracker({ modelType: deps.handModel ?? 'lite' });
        try {
          await t.load();
        } catch (e) {
          throw new ModelLoadError('pose', `The hand tracker failed to load: ${(e as Error)?.message ?? String(e)}`, { cause: e });
        }
        return t;
      }),
      once(() => pianoModel, (p) => (pianoModel = p), async () => {
        const m = createPianoPose2Roll(url);
        try {
          await m.load();
        } catch (e) {
          throw new ModelLoadError('body2music', (e as Error)?.message ?? String(e), { cause: e });
        }
        return m;
      }),
      synth.load(),
    ]);
    const w = new PianistWatch(source, hands, model, synth, onError);
    w.start();
    return w;
  } catch (e) {
    source.stop();
    synth.dispose();
    throw e;
  }
}
