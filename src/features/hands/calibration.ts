/**
 * The keyboard calibration flow, as a pure state machine driven by explicit timestamps:
 *   'left'  "Hold your left index fingertip at the keyboard's left end (the lowest key) and keep it still",
 *   'right' "Now your right index fingertip at the right end (the highest key)",
 *   'done'  the two image points (px) for the shared calibration: `keyboardCalibration(result)` calls
 *           features/piano/view.ts `calibrateKeyboard`, whose KEYBOARD_ENDS are the outer edges of A0 and C8.
 * Each step needs the hand held still (within `stillRadius` of the image's larger side) for `holdMs`; the hand leaving
 * the view for longer than `maxGapMs`, or moving, restarts that step's hold. It fails when the two points are closer
 * than `minSeparation` of the image's larger side (the same hand shown twice, or a keyboard too small to play).
 *
 * Per camera frame the app calls `update(tMs, x, y, imageWidth, imageHeight)` with the point of the hand the current
 * step asks for (`handPoint` picks it from a HandsFrame), or `update(tMs, NaN, NaN, w, h)` when that hand is not seen.
 */
import { calibrateKeyboard, type KeyboardCalibration } from '../piano/view';
import type { HandSide, HandsFrame } from './types';

export type CalibrationStep = 'idle' | 'left' | 'right' | 'done' | 'failed';

/** Options of {@link CalibrationFlow}. */
export interface CalibrationOptions {
  /** How long a hand must stay still to be taken, ms. */
  readonly holdMs: number;
  /** Largest distance from the mean of the hold that still counts as still, as a fraction of the image's larger side. */
  readonly stillRadius: number;
  /** Longest run of frames without the hand that does not break a hold, ms. */
  readonly maxGapMs: number;
  /** Smallest distance between the two ends, as a fraction of the image's larger side. */
  readonly minSeparation: number;
  /** Hand landmark whose position is taken (default 8, the index fingertip). */
  readonly landmark: number;
}

export const DEFAULT_CALIBRATION_OPTIONS: CalibrationOptions = Object.freeze({
  holdMs: 1000,
  stillRadius: 0.03,
  maxGapMs: 250,
  minSeparation: 0.15,
  landmark: 8,
});

/** Fills missing options with the defaults and range-checks them; errors list the valid values. */
export function fillCalibrationOptions(options: Partial<CalibrationOptions> = {}): CalibrationOptions {
  const d = DEFAULT_CALIBRATION_OPTIONS;
  const o: CalibrationOptions = {
    holdMs: options.holdMs ?? d.holdMs,
    stillRadius: options.stillRadius ?? d.stillRadius,
    maxGapMs: options.maxGapMs ?? d.maxGapMs,
    minSeparation: options.minSeparation ?? d.minSeparation,
    landmark: options.landmark ?? d.landmark,
  };
  if (!(o.holdMs > 0 && o.holdMs <= 10_000)) throw new Error(`calibration: holdMs must be in (0, 10000] ms (got ${String(o.holdMs)})`);
  if (!(o.stillRadius > 0 && o.stillRadius <= 0.5)) throw new Error(`calibration: stillRadius must be in (0, 0.5] of the image's larger side (got ${String(o.stillRadius)})`);
  if (!(o.maxGapMs >= 0 && o.maxGapMs <= 5_000)) throw new Error(`calibration: maxGapMs must be in [0, 5000] ms (got ${String(o.maxGapMs)})`);
  if (!(o.minSeparation >= 0 && o.minSeparation < 1)) throw new Error(`calibration: minSeparation must be in [0, 1) of the image's larger side (got ${String(o.minSeparation)})`);
  if (!(Number.isInteger(o.landmark) && o.landmark >= 0 && o.landmark <= 20)) throw new Error(`calibration: landmark must be a hand landmark index 0..20 (got ${String(o.landmark)})`);
  return Object.freeze(o);
}

/** What a finished calibration hands to the shared keyboard calibration. */
export interface CalibrationPoints {
  /** Image point (px) of the keyboard's left end (lowest key), from the left hand. */
  readonly leftX: number;
  readonly leftY: number;
  /** Image point (px) of the keyboard's right end (highest key), from the right hand. */
  readonly rightX: number;
  readonly rightY: number;
  /** Image size the points refer to, px. */
  readonly imageWidth: number;
  readonly imageHeight: number;
}

/** Prompt per step (the app may show its own). */
export const CALIBRATION_PROMPTS: Readonly<Record<CalibrationStep, string>> = Object.freeze({
  idle: 'Calibrate the keyboard: press start.',
  left: "Hold your left index fingertip at the keyboard's left end (the lowest key) and keep it still.",
  right: "Now hold your right index fingertip at the keyboard's right end (the highest key) and keep it still.",
  done: 'Keyboard calibrated.',
  failed: 'The two ends were too close together: show the left end with your left hand and the right end with your right hand.',
});

/** The state machine; no allocation per update. */
export class CalibrationFlow {
  readonly options: CalibrationOptions;
  private stepValue: CalibrationStep = 'idle';
  private holdStartMs = Number.NaN;
  private lastSeenMs = Number.NaN;
  private lastMs = Number.NaN;
  private sumX = 0;
  private sumY = 0;
  private n = 0;
  private leftX = Number.NaN;
  private leftY = Number.NaN;
  private resultValue: CalibrationPoints | null = null;
  private progressValue = 0;

  constructor(options: Partial<CalibrationOptions> = {}) {
    this.options = fillCalibrationOptions(options);
  }

  /** Current step. */
  get step(): CalibrationStep {
    return this.stepValue;
  }

  /** Which hand the current step asks for (null when idle, done or failed). */
  get hand(): HandSide | null {
    return this.stepValue === 'left' ? 'left' : this.stepValue === 'right' ? 'right' : null;
  }

  /** Fraction of the current hold completed, in [0, 1] (for a progress ring). */
  get progress(): number {
    return this.progressValue;
  }

  /** The two points once `step` is 'done', else null. */
  get result(): CalibrationPoints | null {
    return this.resultValue;
  }

  /** The prompt for the current step. */
  get prompt(): string {
    return CALIBRATION_PROMPTS[this.stepValue];
  }

  /** Starts (or restarts) the flow at the left end. */
  start(): void {
    this.stepValue = 'left';
    this.resultValue = null;
    this.leftX = Number.NaN;
    this.leftY = Number.NaN;
    this.lastMs = Number.NaN;
    this.restartHold();
  }

  /** Back to idle (the app cancelled). */
  cancel(): void {
    this.stepValue = 'idle';
    this.restartHold();
  }

  private restartHold(): void {
    this.holdStartMs = Number.NaN;
    this.lastSeenMs = Number.NaN;
    this.sumX = 0;
    this.sumY = 0;
    this.n = 0;
    this.progressValue = 0;
  }

  /**
   * One camera frame: the asked-for hand's point (x, y px; NaN when not seen) at `timestampMs` in an image of
   * `imageWidth` x `imageHeight` px. Timestamps that do not increase are ignored. Returns the step after the update.
   */
  update(timestampMs: number, x: number, y: number, imageWidth: number, imageHeight: number): CalibrationStep {
    if (this.stepValue !== 'left' && this.stepValue !== 'right') return this.stepValue;
    if (!Number.isFinite(timestampMs)) throw new Error(`calibration: timestampMs must be a finite number of ms (got ${timestampMs})`);
    if (!(timestampMs > this.lastMs) && !Number.isNaN(this.lastMs)) return this.stepValue;
    this.lastMs = timestampMs;
    const o = this.options;
    const size = Math.max(imageWidth, imageHeight);
    const seen = Number.isFinite(x) && Number.isFinite(y) && size > 0;
    if (!seen) {
      // A short dropout keeps the hold; a long one restarts it.
      if (!Number.isNaN(this.lastSeenMs) && timestampMs - this.lastSeenMs > o.maxGapMs) this.restartHold();
      return this.stepValue;
    }
    if (this.n > 0) {
      const mx = this.sumX / this.n;
      const my = this.sumY / this.n;
      const gap = timestampMs - this.lastSeenMs;
      if (gap > o.maxGapMs || Math.hypot(x - mx, y - my) > o.stillRadius * size) this.restartHold();
    }
    if (this.n === 0) this.holdStartMs = timestampMs;
    this.sumX += x;
    this.sumY += y;
    this.n++;
    this.lastSeenMs = timestampMs;
    const held = timestampMs - this.holdStartMs;
    this.progressValue = Math.min(1, held / o.holdMs);
    if (held < o.holdMs) return this.stepValue;
    const px = this.sumX / this.n;
    const py = this.sumY / this.n;
    if (this.stepValue === 'left') {
      this.leftX = px;
      this.leftY = py;
      this.stepValue = 'right';
      this.restartHold();
      return this.stepValue;
    }
    this.restartHold();
    if (Math.hypot(px - this.leftX, py - this.leftY) < o.minSeparation * size) {
      this.stepValue = 'failed';
      return this.stepValue;
    }
    this.resultValue = Object.freeze({ leftX: this.leftX, leftY: this.leftY, rightX: px, rightY: py, imageWidth, imageHeight });
    this.stepValue = 'done';
    this.progressValue = 1;
    return this.stepValue;
  }
}

/**
 * Writes the image point (px) of `landmark` of the performer's `side` hand in `hands` to out[0], out[1], or NaN when
 * that hand is not in the frame; returns `out`. Uses the tracker's handedness (no BlazePose needed while calibrating).
 */
export function handPoint(hands: HandsFrame | null, side: HandSide, landmark: number, out: Float32Array): Float32Array {
  out[0] = Number.NaN;
  out[1] = Number.NaN;
  if (!hands) return out;
  for (let i = 0; i < hands.count; i++) {
    const h = hands.hands[i];
    if (h.side !== side) continue;
    out[0] = h.keypoints[landmark * 2];
    out[1] = h.keypoints[landmark * 2 + 1];
    return out;
  }
  return out;
}

/** The shared keyboard calibration (features/piano/view.ts) from a finished flow's two points. */
export function keyboardCalibration(points: CalibrationPoints): KeyboardCalibration {
  return calibrateKeyboard({ u: points.leftX, v: points.leftY }, { u: points.rightX, v: points.rightY });
}
