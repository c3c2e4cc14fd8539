/**
 * Which keyboard calibration Pianist Watch uses, decided once per hands estimate (pure, explicit timestamps, no DOM):
 *
 *   none        no hand seen yet: nothing is mapped onto the keyboard;
 *   default     {@link defaultCalibration} from the first seen hand (so any video of hands plays);
 *   calibrated  the performer's: {@link CalibrationFlow} (features/hands/calibration.ts) took the left end from the left
 *               index fingertip and the right end from the right one, each held still, and `keyboardCalibration` maps
 *               them onto the outer edges of A0 and C8.
 *
 * `start()` begins a calibration; while it runs (`calibrating`) the session mutes its note output and the calibration in
 * use stays as it was. It ends done (the performer's calibration replaces the one in use), failed (the two ends too
 * close together, or no held-still hand within `stepTimeoutMs` of a step: the previous calibration stays, `message`
 * says why) or cancelled (`cancel()`, the previous calibration stays).
 *
 * Per hands estimate the session calls `update(hands, tMs, imageWidth, imageHeight)` and acts on the returned event.
 */
import { CalibrationFlow, fillCalibrationOptions, handPoint, keyboardCalibration, type CalibrationOptions, type CalibrationStep } from '../features/hands/calibration';
import type { HandsFrame } from '../features/hands/types';
import { KEYS } from '../features/piano/keyboard';
import { calibrateKeyboard, type KeyboardCalibration } from '../features/piano/view';

/** Default calibration: knuckle width of the first seen hand, cm (median of the training views). */
export const DEFAULT_KNUCKLE_WIDTH_CM = 5.5;
/** Default calibration: height of the knuckles' midpoint above the keys, cm (median of the training views). */
export const DEFAULT_KNUCKLE_HEIGHT_CM = 4.9;
/** Default calibration: the right hand's knuckles this far right of middle C, cm (mirrored for a left hand). */
export const DEFAULT_HAND_OFFSET_CM = 6;
const MIDDLE_C_X = KEYS[60 - 21].x;

/**
 * The default calibration from one hand (image px of its index and little-finger knuckles, landmarks 5 and 17, and
 * whether it is the performer's right hand): the keyboard horizontal in the image (left end to the image's left), its
 * scale set so that the knuckle width is {@link DEFAULT_KNUCKLE_WIDTH_CM} cm, the knuckles' midpoint
 * {@link DEFAULT_KNUCKLE_HEIGHT_CM} cm above the keys and {@link DEFAULT_HAND_OFFSET_CM} cm right of middle C for a right
 * hand (left of it for a left one). Returns null for a degenerate hand (knuckles under 2 px apart).
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

/** Which calibration maps the image onto the keyboard. */
export type CalibrationInUse = 'none' | 'default' | 'calibrated';

/** What one `update` changed: nothing, the default calibration set, the performer's calibration set, a calibration failed. */
export type CalibrationEvent = 'none' | 'default' | 'calibrated' | 'failed';

/** Options of {@link PianistCalibration}. */
export interface PianistCalibrationOptions {
  /** Options of the calibration flow (features/hands/calibration.ts); see {@link DEFAULT_PIANIST_CALIBRATION_OPTIONS}. */
  readonly flow: CalibrationOptions;
  /** Longest time one step (left end, right end) may take before the calibration fails, ms. */
  readonly stepTimeoutMs: number;
}

/**
 * Defaults. The flow's `maxGapMs` is 4000 ms here (the flow's own default is 250 ms), the same bound as the Watch
 * resamplers' gap: the app estimates one frame at a time, a hand estimate takes 0.3-1.7 s on software WebGL (measured on
 * the 2-core dev machine) and the EstimateGate then rests half as long, so sightings come up to ~2.6 s apart there; a
 * shorter gap would restart the hold at every estimate and a calibration could never finish.
 */
export const DEFAULT_PIANIST_CALIBRATION_OPTIONS: PianistCalibrationOptions = Object.freeze({
  flow: fillCalibrationOptions({ maxGapMs: 4000 }),
  stepTimeoutMs: 30_000,
});

/** Fills missing options with the defaults and range-checks them; errors list the valid values. */
export function fillPianistCalibrationOptions(options: { flow?: Partial<CalibrationOptions>; stepTimeoutMs?: number } = {}): PianistCalibrationOptions {
  const d = DEFAULT_PIANIST_CALIBRATION_OPTIONS;
  const o: PianistCalibrationOptions = {
    flow: fillCalibrationOptions({ ...d.flow, ...(options.flow ?? {}) }),
    stepTimeoutMs: options.stepTimeoutMs ?? d.stepTimeoutMs,
  };
  if (!(o.stepTimeoutMs > o.flow.holdMs && o.stepTimeoutMs <= 600_000)) {
    throw new Error(`pianist calibration: stepTimeoutMs must be in (flow.holdMs = ${o.flow.holdMs}, 600000] ms (got ${String(o.stepTimeoutMs)})`);
  }
  return Object.freeze(o);
}

/** Messages (constant strings, so reading them per frame allocates nothing). */
export const CALIBRATION_MESSAGES = Object.freeze({
  done: 'Keyboard calibrated: the left and right ends you showed are the lowest and highest keys. Notes play again.',
  tooClose: 'Calibration failed: the two ends were too close together (show the left end with your left hand, the right end with your right hand). The previous calibration is kept.',
  timeoutLeft: 'Calibration failed: no left hand held still at the keyboard\'s left end in time. The previous calibration is kept.',
  timeoutRight: 'Calibration failed: no right hand held still at the keyboard\'s right end in time. The previous calibration is kept.',
});

/** Read-only view of the calibration for the page (no allocation to read). */
export interface PianistCalibrationView {
  /** Which calibration maps the image onto the keyboard now. */
  readonly inUse: CalibrationInUse;
  /** The flow's step: 'idle' (never started or cancelled), 'left', 'right', 'done' or 'failed' (the last try). */
  readonly step: CalibrationStep;
  /** True while a calibration runs (note output muted). */
  readonly calibrating: boolean;
  /** Fraction of the current hold, [0, 1]. */
  readonly progress: number;
  /** While calibrating: the hand this step asks for was seen within {@link HAND_SEEN_MS} (false before it is seen). */
  readonly handSeen: boolean;
  /** What to tell the performer now: the step's prompt, the result or why it failed ('' when idle). */
  readonly message: string;
}

/** Snapshot of {@link PianistCalibrationView} for tests and the test hook. */
export interface PianistCalibrationState {
  inUse: CalibrationInUse;
  step: CalibrationStep;
  calibrating: boolean;
  progress: number;
  handSeen: boolean;
  message: string;
}

/** A step's hand counts as seen while its last sighting is at most this old, ms. */
export const HAND_SEEN_MS = 1500;

/**
 * The calibration message: the step's prompt, and while calibrating either the hold's progress or that the hand the
 * step asks for is not seen (so a performer out of view, or showing the other hand, knows why nothing happens).
 */
export function calibrationText(c: PianistCalibrationView): string {
  if (!c.calibrating) return c.message;
  const side = c.step === 'right' ? 'right' : 'left';
  return c.handSeen
    ? `${c.message} Holding still: ${Math.floor(c.progress * 10) * 10}%.`
    : `${c.message} No ${side} hand seen yet: bring it into the camera picture.`;
}

/** The per-frame decision; no allocation per update once a calibration is set. */
export class PianistCalibration implements PianistCalibrationView {
  readonly options: PianistCalibrationOptions;
  /** The calibration in use (null while `inUse` is 'none'). */
  keyboard: KeyboardCalibration | null = null;
  inUse: CalibrationInUse = 'none';
  message = '';
  private readonly flow: CalibrationFlow;
  private readonly point = new Float32Array(2);
  /** Time the current step began (first update after it began), ms; NaN until then. */
  private stepStartMs = Number.NaN;
  private stepShown: CalibrationStep = 'idle';
  /** The step, with 'failed' also for a timeout (the flow itself is then cancelled). */
  private stepValue: CalibrationStep = 'idle';
  /** Last time the step's hand was seen, and the latest update's time, ms (NaN: not yet). */
  private handSeenMs = Number.NaN;
  private lastUpdateMs = Number.NaN;

  constructor(options: { flow?: Partial<CalibrationOptions>; stepTimeoutMs?: number } = {}) {
    this.options = fillPianistCalibrationOptions(options);
    this.flow = new CalibrationFlow(this.options.flow);
  }

  get step(): CalibrationStep {
    return this.stepValue;
  }

  get calibrating(): boolean {
    return this.stepValue === 'left' || this.stepValue === 'right';
  }

  get handSeen(): boolean {
    return this.calibrating && this.lastUpdateMs - this.handSeenMs <= HAND_SEEN_MS;
  }

  get progress(): number {
    return this.calibrating ? this.flow.progress : this.stepValue === 'done' ? 1 : 0;
  }

  /** Starts (or restarts) a calibration at the left end; the calibration in use is kept until it is done. */
  start(): void {
    this.flow.start();
    this.stepValue = 'left';
    this.stepShown = 'left';
    this.stepStartMs = Number.NaN;
    this.handSeenMs = Number.NaN;
    this.message = this.flow.prompt;
  }

  /** Cancels a running calibration (the calibration in use stays); does nothing otherwise. */
  cancel(): void {
    if (!this.calibrating) return;
    this.flow.cancel();
    this.stepValue = 'idle';
    this.message = '';
  }

  /**
   * One hands estimate `hands` (null: none) at `tMs` (ms, increasing) of an `imageWidth` x `imageHeight` px image.
   * Returns what changed.
   */
  update(hands: HandsFrame | null, tMs: number, imageWidth: number, imageHeight: number): CalibrationEvent {
    if (this.calibrating) return this.updateFlow(hands, tMs, imageWidth, imageHeight);
    if (this.inUse !== 'none' || !hands || hands.count === 0) return 'none';
    const h = hands.hands[0];
    const k = h.keypoints;
    const cal = defaultCalibration({ u: k[10], v: k[11] }, { u: k[34], v: k[35] }, h.side === 'right');
    if (!cal) return 'none';
    this.keyboard = cal;
    this.inUse = 'default';
    return 'default';
  }

  private updateFlow(hands: HandsFrame | null, tMs: number, imageWidth: number, imageHeight: number): CalibrationEvent {
    const flow = this.flow;
    const side = flow.hand ?? 'left';
    handPoint(hands, side, this.options.flow.landmark, this.point);
    this.lastUpdateMs = tMs;
    if (Number.isFinite(this.point[0])) this.handSeenMs = tMs;
    const step = flow.update(tMs, this.point[0], this.point[1], imageWidth, imageHeight);
    if (step !== this.stepShown || Number.isNaN(this.stepStartMs)) {
      this.stepShown = step;
      this.stepStartMs = tMs;
    }
    if (step === 'done') {
      const r = flow.result;
      let cal: KeyboardCalibration | null = null;
      try {
        cal = r ? keyboardCalibration(r) : null;
      } catch {
        cal = null; // ends under 10 px apart (only with minSeparation near 0)
      }
      if (!cal) return this.fail(CALIBRATION_MESSAGES.tooClose);
      this.keyboard = cal;
      this.inUse = 'calibrated';
      this.stepValue = 'done';
      this.message = CALIBRATION_MESSAGES.done;
      return 'calibrated';
    }
    if (step === 'failed') return this.fail(CALIBRATION_MESSAGES.tooClose);
    if (tMs - this.stepStartMs > this.options.stepTimeoutMs) {
      flow.cancel();
      return this.fail(step === 'left' ? CALIBRATION_MESSAGES.timeoutLeft : CALIBRATION_MESSAGES.timeoutRight);
    }
    if (step !== this.stepValue) {
      this.stepValue = step;
      this.handSeenMs = Number.NaN; // the next step asks for the other hand
      this.message = flow.prompt;
    }
    return 'none';
  }

  private fail(message: string): CalibrationEvent {
    this.stepValue = 'failed';
    this.message = message;
    return 'failed';
  }

  /** Snapshot (allocates; for tests and the test hook). */
  state(): PianistCalibrationState {
    return { inUse: this.inUse, step: this.step, calibrating: this.calibrating, progress: this.progress, handSeen: this.handSeen, message: this.message };
  }
}
