/**
 * Per-fingertip input features of the piano Pose2Roll, computed the same way in training and live from the shared view
 * representation of features/piano/view.ts (x, y in cm from the keyboard calibration; z: hand landmark depth relative
 * to its wrist in cm, 0 where unknown).
 *
 * A {@link FingerFeatureTracker} keeps the last `window` view frames (ring buffer, preallocated). A hand that is not
 * seen in a frame (missing frame, or NaN from the live tracker) holds its last seen values with presence 0, so the
 * network sees a frozen hand and a flag. For each of the 10 fingers (right thumb..little, then left), the input of the
 * window's output frame (`lookahead` frames before the newest) is, per window frame (oldest first), FRAME_FEATURES values:
 *   0 tip y (cm), 1 tip y - mean y of the hand's four finger knuckles (MCP), 2 tip y - wrist y, 3 tip y - mean y of the
 *   hand's other four tips, 4 tip y - the finger's previous joint (IP/DIP) y, 5 tip z (relative depth, cm),
 *   6 tip x - mean x of the knuckles (cm), 7 presence (0/1);
 * then a one-hot finger number (thumb..little, 5 values). The finger's keyboard position is estimated separately
 * ({@link FingerFeatureTracker.tipX}): the hand's x in the output frame (mean of wrist and knuckles, five landmarks:
 * less jitter than one) plus the fingertip's offset from it averaged over the seen frames of the window, then corrected
 * for the perspective of the two-point keyboard calibration ({@link KeyboardPerspective}).
 */
import { KEYBOARD_WIDTH } from '../../features/piano/keyboard';
import { FINGERTIPS, LEFT_HAND, NUM_HAND_LANDMARKS, PIANIST_DIM, RIGHT_HAND } from '../../features/piano/layout';

/** Values per window frame in a finger's input. */
export const FRAME_FEATURES = 8;
/** Fingers: right thumb..little finger, then left thumb..little finger. */
export const NUM_FINGERS = 10;
/** Hand landmarks whose mean x is the hand's x (wrist and the four finger knuckles). */
const HAND_X_LANDMARKS = Object.freeze([0, 5, 9, 13, 17] as const);
const MCP = Object.freeze([5, 9, 13, 17] as const);

/**
 * Perspective of the two-point calibration: with a camera turned by a yaw, the keyboard's ends map exactly but points in
 * between do not (a 1D projective map fixing both ends): view x = (x + g a^2) / (g x + 1), a = half the keyboard width.
 * g is estimated per stream from how the body and hands are seen (the head and shoulders sit behind the keyboard's line,
 * so a turned camera shifts and tilts them; a nearer hand looks wider): g = weights[0] + sum_i weights[i + 1] * mean of
 * PERSPECTIVE_FEATURES[i] over the stream's frames that see all of them, clamped to +-0.008; with no such frame, g = 0
 * (no correction). The weights are fitted in training (least squares against each training view's best g).
 */
export interface KeyboardPerspective {
  /** Intercept, then one weight per PERSPECTIVE_FEATURES entry. */
  readonly weights: readonly number[];
}

/** Per-frame view measurements behind the perspective estimate (cm, or a log ratio). */
export const PERSPECTIVE_FEATURES = Object.freeze([
  'head_x', 'shoulder_mid_x', 'wrist_mid_x', 'shoulder_dx', 'shoulder_dy', 'head_above_shoulders', 'r_hand_x', 'l_hand_x', 'log_knuckle_width_r_over_l',
] as const);
export const NUM_PERSPECTIVE_FEATURES = PERSPECTIVE_FEATURES.length;

/** Writes the PERSPECTIVE_FEATURES of one view frame (at v[o..]) to out; returns false if any is not finite. */
export function perspectiveFeatures(v: ArrayLike<number>, o: number, out: Float64Array): boolean {
  const R = RIGHT_HAND * 3;
  const L = LEFT_HAND * 3;
  const kw = (h: number): number => Math.hypot(v[o + h + 15] - v[o + h + 51], v[o + h + 16] - v[o + h + 52]); // knuckles 5 and 17
  out[0] = v[o];
  out[1] = (v[o + 3] + v[o + 6]) / 2;
  out[2] = (v[o + 15] + v[o + 18]) / 2;
  out[3] = v[o + 3] - v[o + 6];
  out[4] = v[o + 4] - v[o + 7];
  out[5] = v[o + 1] - (v[o + 4] + v[o + 7]) / 2;
  out[6] = v[o + R];
  out[7] = v[o + L];
  out[8] = Math.log(kw(R) / kw(L));
  for (let i = 0; i < NUM_PERSPECTIVE_FEATURES; i++) if (!Number.isFinite(out[i])) return false;
  return true;
}

/** Half the keyboard width (cm), the fixed points of the calibration's perspective map. */
export const HALF_KEYBOARD = KEYBOARD_WIDTH / 2;

/** True keyboard x from view x under perspective parameter g (inverse of the map above). */
export function unprojectKeyboardX(viewX: number, g: number): number {
  const d = 1 - g * viewX;
  return Math.abs(d) < 1e-6 ? viewX : (viewX - g * HALF_KEYBOARD * HALF_KEYBOARD) / d;
}

/** Input size of the per-finger network for a window of `window` frames. */
export function fingerInputDim(window: number): number {
  return window * FRAME_FEATURES + 5;
}

/** First keypoint of finger f's hand (f 0..4 right, 5..9 left). */
export function fingerHand(f: number): number {
  return f < 5 ? RIGHT_HAND : LEFT_HAND;
}

/** Streaming per-finger features over a ring of view frames; no allocation per frame. */
export class FingerFeatureTracker {
  /** Ring of per-frame, per-finger values: [slot][finger][FRAME_FEATURES]. */
  private readonly ring: Float32Array;
  /** Ring of per-frame, per-finger tip x (cm) and per-hand x (cm): [slot][finger] and [slot][hand]. */
  private readonly tipXRing: Float32Array;
  private readonly handXRing: Float32Array;
  /** Last seen view values per hand (21 x 3), held while the hand is not seen. */
  private readonly held = new Float32Array(2 * NUM_HAND_LANDMARKS * 3);
  private readonly seen = new Uint8Array(2);
  private head = 0;
  private filled = 0;
  /** Stream sums of the perspective features, and the frames summed. */
  private bodyN = 0;
  private readonly pSum = new Float64Array(NUM_PERSPECTIVE_FEATURES);
  private readonly pFrame = new Float64Array(NUM_PERSPECTIVE_FEATURES);

  constructor(readonly window: number, readonly lookahead: number, readonly perspective: KeyboardPerspective | null = null) {
    if (!Number.isInteger(window) || window < 2 || window > 64) throw new Error(`finger features: window must be an integer in 2..64 (got ${window})`);
    if (!Number.isInteger(lookahead) || lookahead < 0 || lookahead >= window) throw new Error(`finger features: lookahead must be an integer in 0..${window - 1} (got ${lookahead})`);
    this.ring = new Float32Array(window * NUM_FINGERS * FRAME_FEATURES);
    this.tipXRing = new Float32Array(window * NUM_FINGERS);
    this.handXRing = new Float32Array(window * 2);
  }

  /** Frames pushed since the last reset (at most `window`). */
  get count(): number {
    return this.filled;
  }

  reset(): void {
    this.head = 0;
    this.filled = 0;
    this.seen.fill(0);
    this.held.fill(0);
    this.bodyN = 0;
    this.pSum.fill(0);
  }

  /** The stream's perspective parameter g (see {@link KeyboardPerspective}); 0 without coefficients or body. */
  get perspectiveG(): number {
    const p = this.perspective;
    if (!p || this.bodyN === 0) return 0;
    let g = p.weights[0];
    for (let i = 0; i < NUM_PERSPECTIVE_FEATURES; i++) g += (p.weights[i + 1] * this.pSum[i]) / this.bodyN;
    return Math.max(-0.008, Math.min(0.008, g));
  }

  /**
   * Adds one view frame (PIANIST_DIM values at `view[o..]`, or null when the frame is missing). A hand counts as seen
   * when `present` and its wrist's x and y are finite.
   */
  push(view: ArrayLike<number> | null, present: boolean, o = 0): void {
    const slot = this.head;
    if (present && view !== null && this.perspective && perspectiveFeatures(view, o, this.pFrame)) {
      this.bodyN++;
      for (let i = 0; i < NUM_PERSPECTIVE_FEATURES; i++) this.pSum[i] += this.pFrame[i];
    }
    for (let h = 0; h < 2; h++) {
      const base = h === 0 ? RIGHT_HAND : LEFT_HAND;
      const ok = present && view !== null && Number.isFinite(view[o + base * 3]) && Number.isFinite(view[o + base * 3 + 1]);
      const hb = h * NUM_HAND_LANDMARKS * 3;
      if (ok) {
        for (let i = 0; i < NUM_HAND_LANDMARKS * 3; i++) {
          const v = view[o + base * 3 + i];
          // A single unseen landmark of a seen hand keeps its last value.
          if (Number.isFinite(v)) this.held[hb + i] = v;
        }
        this.seen[h] = 1;
      }
      const p = ok ? 1 : 0;
      const H = this.held;
      let mcpY = 0;
      let mcpX = 0;
      for (const m of MCP) {
        mcpY += H[hb + m * 3 + 1] / 4;
        mcpX += H[hb + m * 3] / 4;
      }
      let handX = 0;
      for (const m of HAND_X_LANDMARKS) handX += H[hb + m * 3] / HAND_X_LANDMARKS.length;
      this.handXRing[slot * 2 + h] = handX;
      let tipSum = 0;
      for (const t of FINGERTIPS) tipSum += H[hb + t * 3 + 1];
      const wristY = H[hb + 1];
      for (let i = 0; i < 5; i++) {
        const f = h * 5 + i;
        const t = FINGERTIPS[i];
        const tipY = H[hb + t * 3 + 1];
        const r = (slot * NUM_FINGERS + f) * FRAME_FEATURES;
        this.ring[r] = tipY;
        this.ring[r + 1] = tipY - mcpY;
        this.ring[r + 2] = tipY - wristY;
        this.ring[r + 3] = tipY - (tipSum - tipY) / 4;
        this.ring[r + 4] = tipY - H[hb + (t - 1) * 3 + 1];
        this.ring[r + 5] = H[hb + t * 3 + 2];
        this.ring[r + 6] = H[hb + t * 3] - mcpX;
        this.ring[r + 7] = p * this.seen[h];
        this.tipXRing[slot * NUM_FINGERS + f] = H[hb + t * 3];
      }
    }
    this.head = (this.head + 1) % this.window;
    this.filled = Math.min(this.filled + 1, this.window);
  }

  /** Ring slot of window position k (0 oldest .. window-1 newest); positions before the stream's start repeat its first frame. */
  private slot(k: number): number {
    const W = this.window;
    const missing = W - this.filled;
    const first = (this.head - this.filled + W) % W;
    return k < missing ? first : (first + k - missing) % W;
  }

  /** Whether any frame has been pushed and finger f's hand has been seen at all. */
  handSeen(f: number): boolean {
    return this.filled > 0 && this.seen[f < 5 ? 0 : 1] === 1;
  }

  /** Writes finger f's network input (fingerInputDim(window) raw values) to out[o..]. */
  input(f: number, out: Float32Array, o = 0): void {
    const W = this.window;
    for (let k = 0; k < W; k++) {
      const r = (this.slot(k) * NUM_FINGERS + f) * FRAME_FEATURES;
      // Positions before the stream's start: copies of its first frame, flagged unseen.
      const before = k < W - this.filled;
      for (let i = 0; i < FRAME_FEATURES; i++) out[o + k * FRAME_FEATURES + i] = this.ring[r + i];
      if (before) out[o + k * FRAME_FEATURES + 7] = 0;
    }
    const b = o + W * FRAME_FEATURES;
    for (let i = 0; i < 5; i++) out[b + i] = i === f % 5 ? 1 : 0;
  }

  /** Finger f's estimated keyboard x (cm) at the output frame (see the module comment). */
  tipX(f: number): number {
    const W = this.window;
    const h = f < 5 ? 0 : 1;
    const outSlot = this.slot(W - 1 - this.lookahead);
    let sum = 0;
    let n = 0;
    for (let k = 0; k < W; k++) {
      const s = this.slot(k);
      if (k < W - this.filled) continue;
      const r = (s * NUM_FINGERS + f) * FRAME_FEATURES;
      if (this.ring[r + 7] === 0) continue;
      sum += this.tipXRing[s * NUM_FINGERS + f] - this.handXRing[s * 2 + h];
      n++;
    }
    const off = n > 0 ? sum / n : this.tipXRing[outSlot * NUM_FINGERS + f] - this.handXRing[outSlot * 2 + h];
    return unprojectKeyboardX(this.handXRing[outSlot * 2 + h] + off, this.perspectiveG);
  }

  /** Finger f's tip y (cm) `back` frames before the output frame (0: the output frame), for descent speeds. */
  tipY(f: number, back: number): number {
    const k = Math.max(0, this.window - 1 - this.lookahead - back);
    return this.ring[(this.slot(k) * NUM_FINGERS + f) * FRAME_FEATURES];
  }
}

/** Checks that a view frame has the pianist layout's size. */
export function checkViewLength(n: number): void {
  if (n < PIANIST_DIM) throw new Error(`piano pose2roll: a view frame needs ${PIANIST_DIM} values (got ${n})`);
}
