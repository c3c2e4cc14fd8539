/**
 * Pianist Watch: camera or video file -> MediaPipe hands (features/hands, one estimate at a time, frames skipped while
 * one runs) -> 49-keypoint pianist frame through the keyboard calibration (features/piano/view.ts, the representation
 * the model was trained on; depth 'none') -> 25 fps resampling -> body2music-piano Pose2Roll -> Roll2Midi -> the
 * Salamander piano of src/synth (notes played as they are decided).
 *
 * Calibration: until the performer calibrates, a stated default calibration is used so that any video of hands plays
 * ({@link defaultCalibration}): the keyboard horizontal in the image (left end to the image's left), its scale set so
 * that the first seen hand's index-to-little-finger knuckle width is {@link DEFAULT_KNUCKLE_WIDTH_CM} cm (the median
 * in the training views), the knuckles' midpoint at {@link DEFAULT_KNUCKLE_HEIGHT_CM} cm above the keys (the median in
 * training) and at middle C + {@link DEFAULT_HAND_OFFSET_CM} cm for a right hand (mirrored for a left one).
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
import { KEYS, NUM_KEYS } from '../features/piano/keyboard';
import { PIANIST_DIM } from '../features/piano/layout';
import { calibrateKeyboard, imageToKeyboard, type KeyboardCalibration } from '../features/piano/view';
import { createFrameRateResampler } from '../features/pose';
import type { FrameRateResampler } from '../features/pose/types';
import { createPianoPose2Roll, emptyPianoRollFrame, type PianoPose2RollModel } from '../models/body2music-piano/pose2roll';
import { Roll2Midi, type Roll2MidiEvents } from '../models/body2music-piano/roll2midi';
import type { Synth } from '../synth/types';
import type { NoteEvent } from '../types';
import { ModelLoadError } from './errors';
import { PIANIST_MODEL_URLS, PianistModelMissingError, pianistModelInstalled, type PianistWatchInput, type PianistWatchSession } from './pianist-models';
import { Ema } from './stats';

/** Default calibration: knuckle width of the first seen hand, cm (median of the training views). */
export const DEFAULT_KNUCKLE_WIDTH_CM = 5.5;
/** Default calibration: height of the knuckles' midpoint above the keys, cm (median of the training views). */
export const DEFAULT_KNUCKLE_HEIGHT_CM = 4.9;
/** Default calibration: the right hand's knuckles this far right of middle C, cm (mirrored for a left hand). */
export const DEFAULT_HAND_OFFSET_CM = 6;
/** Sounding length handed to the synth for each note, s (the sampler's own decay follows). */
export const WATCH_NOTE_SECONDS = 0.4;
/** Longest gap between two hand estimates that is interpolated, ms (estimates take ~0.3-1 s on software WebGL). */
const MAX_GAP_MS = 4000;
const MIDDLE_C_X = KEYS[60 - 21].x;

/**
 * The default calibration from one hand (image px of its index and little-finger knuckles, landmarks 5 and 17, and
 * whether it is the performer's right hand); see the module comment. Returns null for a degenerate hand.
 */
export function defaultCalibration(indexMcp: { u: number; v: number }, littleMcp: { u: number; v: number }, right: boolean): KeyboardCalibration | null {
  const px = Math.hypot(indexMcp.u - littleMcp.u, indexMcp.v - littleMcp.v);
  if (!(px >= 2)) return null;
  const cmPerPx = DEFAULT_KNUCKLE_WIDTH_CM / px;
  const mu = (indexMcp.u + littleMcp.u) / 2;
  const mv = (indexMcp.v + littleMcp.v) / 2;
  const handX = MIDDLE_C_X + (right ? DEFAULT_HAND_OFFSET_CM : -DEFAULT_HAND_OFFSET_CM);
  // Two image points 100 cm apart on the horizontal through the keys' top, with keyboard x handX - 50 and handX + 50.
  const keysV = mv + DEFAULT_KNUCKLE_HEIGHT_CM / cmPerPx;
  const half = 50 / cmPerPx;
  return calibrateKeyboard({ u: mu - half, v: keysV }, { u: mu + half, v: keysV }, [handX - 50, 0], [handX + 50, 0]);
}

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
  framesEstimated = 0;
  calibration: KeyboardCalibration | null = null;
  private readonly frame = new Float32Array(PIANIST_DIM);
  private readonly roll = emptyPianoRollFrame();
  private readonly events: Roll2MidiEvents = { started: [], ended: [] };
  private readonly noteBatch: NoteEvent[] = [];
  private readonly assignment: HandAssignment = { right: -1, left: -1 };
  private readonly scratch = new Float32Array(4);
  private readonly toKeyboard: ImageToKeyboard = {
    project: (u, v, out, o) => {
      if (this.calibration) imageToKeyboard(this.calibration, u, v, out, o);
      else {
        out[o] = Number.NaN;
        out[o + 1] = Number.NaN;
      }
    },
  };
  private resampler: FrameRateResampler | null = null;
  private readonly roll2midi: Roll2Midi;
  private busy = false;
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

  start(): void {
    this.hands.reset();
    this.model.reset();
    this.roll2midi.reset();
    this.unsubscribe = this.source.onFrame(this.onFrame);
  }

  private readonly onFrame = (f: VideoFrameInfo): void => {
    if (this.stopped || this.busy) return; // the hand tracker is slower than the camera: skip frames while one runs
    this.busy = true;
    const ts = f.timestampMs;
    const t0 = performance.now();
    this.hands
      .estimate(f.video, ts)
      .then((res) => {
        if (this.stopped || res === null) return;
        if (this.framesEstimated > 0) this.estimateMs.add(performance.now() - t0);
        this.framesEstimated++;
        this.onHands(res, ts);
      })
      .catch((e: unknown) => this.onError(e))
      .finally(() => {
        this.busy = false;
      });
  };

  private onHands(res: HandsFrame, ts: number): void {
    if (!this.calibration && res.count > 0) {
      const h = res.hands[0];
      const k = h.keypoints;
      this.calibration = defaultCalibration({ u: k[10], v: k[11] }, { u: k[34], v: k[35] }, h.side === 'right');
    }
    this.resampler ??= createFrameRateResampler({ dim: PIANIST_DIM, fps: this.model.config.fps, originMs: ts, maxGapMs: MAX_GAP_MS });
    const mask = this.calibration ? composePianistFrame(null, res, this.toKeyboard, this.frame, DEFAULT_PIANIST_FRAME_OPTIONS, this.assignment, this.scratch) : 0;
    this.havePose = (mask & (PIANIST_RIGHT_HAND | PIANIST_LEFT_HAND)) !== 0;
    if (this.havePose) {
      this.keypoints.set(this.frame);
      this.resampler.push(this.frame, ts, this.onTick);
    } else {
      this.resampler.push(null, ts, this.onTick);
    }
  }

  private readonly onTick = (values: Float32Array | null): void => {
    this.model.step(values, this.roll);
    const ev = this.roll2midi.update(this.roll, 0, this.events);
    const sounding = this.roll2midi.sounding;
    for (let k = 0; k < NUM_KEYS; k++) this.keys[k] = sounding[k];
    if (ev.started.length === 0) return;
    const now = this.synth.now();
    this.noteBatch.length = 0;
    for (const n of ev.started) this.noteBatch.push({ instrument: 'piano', midi: n.midi, time: now, duration: WATCH_NOTE_SECONDS, velocity: n.velocity / 127 });
    this.synth.play(this.noteBatch);
  };

  statusText(): string {
    const cal = this.calibration ? 'default calibration' : 'waiting for a hand';
    return `hands ${this.estimateMs.value > 0 ? (1000 / this.estimateMs.value).toFixed(1) : '-'} /s, ${this.framesEstimated} frames, ${cal}`;
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
        await m.load();
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
