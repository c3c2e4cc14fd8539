/**
 * The kinematic virtual pianist: fingered notes -> 49 keypoints (layout of src/features/piano/layout.ts) per frame,
 * in the pianist frame of src/features/piano/keyboard.ts (cm).
 *
 * Assumptions of the model (a plausible pianist, not a measured one):
 * - Frame k shows time k / fps. A note sounds at frame k iff start <= k / fps < end ({@link noteFrames}); while it
 *   sounds, the fingertip landmark of its finger is exactly at the key's press point (key.x, key.top - KEY_DIP,
 *   key.pressZ). Every other fingertip is at least {@link LIFT_MIN} cm above the top of the keys below it.
 * - Hands: an adult hand (bone lengths below, scaled 0.92-1.08 per performer) with MediaPipe's 21 landmarks. Each finger
 *   is a planar chain from its knuckle (MCP; the thumb from its CMC joint) with the distal joint bending 0.7 times the
 *   middle one, solved in closed form for the fingertip target; a target out of reach stretches or shrinks the chain
 *   (counted in `stats.stretchedFingerFrames`, worst ratio in `stats.maxStretch`). Idle fingers hover at their
 *   natural place over the keys, {@link LIFT_MIN}..lift cm above them, and travel to their next key in the last
 *   `approach` seconds before its onset (and back after release).
 * - Wrists: lateral position planned per hand so that every pressed fingertip lies within a lateral tolerance of its
 *   natural place, with a speed limit of {@link WRIST_PLAN_SPEED} cm/s; where a leap is too fast for the limit, the
 *   notes before it are released earlier (one frame at a time, counted in `stats.leapTruncated`). Between notes a wrist
 *   holds, then moves to its next position in the last 0.35 s. Height and depth follow the keys (black keys further
 *   in, wide chords lower), smoothed. Where a pressed fingertip is still beyond its finger's reach (octaves, wide
 *   chords), the wrist moves toward it (the hand flattens, lower and further in; not below {@link WRIST_MIN_Y}), ramped
 *   over a few frames. The 3D wrist speed is clamped to {@link WRIST_MAX_SPEED} cm/s.
 *   Hand yaw follows the forearm (30 % of the shoulder-to-wrist direction, at most 0.2 rad).
 * - Body: seated, hips 18 cm below the keys and ~43 cm behind their front; torso (50 cm, scaled 0.93-1.07) leans
 *   sideways toward the hands' mean x and forward when the hands are far; head above the shoulders, slightly forward;
 *   elbows by two-bone IK (upper arm 29 cm, forearm 27 cm, elbows out and down).
 */
import { KEY_DIP, keyOf } from '../../src/features/piano/keyboard';
import { FINGERTIPS, LEFT_HAND, NUM_PIANIST_KEYPOINTS, PIANIST_DIM, RIGHT_HAND } from '../../src/features/piano/layout';
import { uniform, type Rng } from '../../src/features/piano/random';
import { noteFrames } from '../../src/features/piano/roll';
import type { FingeredNote } from './fingering';
import type { Hand } from './midi';

/** Peak 3D wrist speed, cm/s (fast piano leaps reach ~2-3 m/s). */
export const WRIST_MAX_SPEED = 300;
/** Lateral wrist speed the planner allows, cm/s (below the 3D limit, leaving room for height and depth). */
export const WRIST_PLAN_SPEED = 260;
/** Lowest wrist height above the white keys' top, cm. */
export const WRIST_MIN_Y = 1;
/** Lowest height of an idle fingertip above the keys' top, cm. */
export const LIFT_MIN = 0.3;


/** A performer: per-piece random proportions and habits. */
export interface PianistParams {
  /** Hand size factor. */
  handScale: number;
  /** Body size factor. */
  bodyScale: number;
  /** Wrist height above the white keys while playing, cm. */
  wristHeight: number;
  /** Height of idle fingertips above the keys, cm. */
  lift: number;
  /** Time an idle finger takes to reach its next key, s. */
  approach: number;
  /** Hip distance behind the keys' front edge, cm. */
  hipZ: number;
}

/** Draws a performer. */
export function randomPianist(rng: Rng): PianistParams {
  return {
    handScale: uniform(rng, 0.92, 1.08),
    bodyScale: uniform(rng, 0.93, 1.07),
    wristHeight: uniform(rng, 3.0, 4.5),
    lift: uniform(rng, 1.2, 2.2),
    approach: uniform(rng, 0.1, 0.18),
    hipZ: uniform(rng, 38, 48),
  };
}

/** A mid-sized performer (tests). */
export const DEFAULT_PIANIST: PianistParams = Object.freeze({ handScale: 1, bodyScale: 1, wristHeight: 3.75, lift: 1.7, approach: 0.14, hipZ: 43 });

// ---- hand model (right hand; hand frame: lat toward the little finger, up, fwd toward the fingertips), cm ----

/** Chain bases: thumb CMC (landmark 1), then the MCPs of fingers 2..5 (landmarks 5, 9, 13, 17). */
const BASES: readonly (readonly [number, number, number])[] = [
  [-2.6, -0.5, 3.2],
  [-2.4, 1.0, 8.4],
  [-0.4, 1.1, 8.6],
  [1.5, 0.9, 8.1],
  [3.2, 0.5, 7.2],
];
/** Segment lengths per finger (thumb: metacarpal, proximal, distal; others: proximal, middle, distal). */
const SEGMENTS: readonly (readonly [number, number, number])[] = [
  [4.6, 3.2, 2.8],
  [4.0, 2.4, 1.9],
  [4.4, 2.8, 2.0],
  [4.1, 2.7, 2.0],
  [3.3, 1.9, 1.8],
];
/** Natural fingertip place relative to the wrist (lat, fwd), cm. */
const NATURAL: readonly (readonly [number, number])[] = [
  [-5.0, 9.5],
  [-2.6, 12.6],
  [-0.3, 13.1],
  [1.9, 12.5],
  [3.9, 11.2],
];
/**
 * How far a pressed fingertip may sit from its natural place, toward the thumb side and toward the little finger, cm:
 * wide enough for the practical spans of ./fingering.ts (e.g. thumb to little finger 15 semitones, about 21 cm).
 */
const TOL: readonly (readonly [number, number])[] = [
  [7.0, 7.0],
  [3.0, 5.0],
  [2.5, 4.5],
  [2.5, 5.7],
  [2.5, 5.5],
];
/** Wrist depth behind the pressed keys' press points, cm (fingertips ahead of the wrist). */
const WRIST_BEHIND = 10.5;
/** Curl range of the finger chains, rad (middle joint; distal = 0.7 x). */
const CURL_MIN = 0.05;
const CURL_MAX = 1.7;

/** Counts describing how plausible the motion had to be bent to fit the notes. */
export interface KinematicStats {
  frames: number;
  /** Pressed finger-frames. */
  pressedFingerFrames: number;
  /** Pressed finger-frames whose chain had to stretch or shrink to reach its key (idle fingers are clamped silently). */
  stretchedFingerFrames: number;
  /** Largest |ratio - 1| of a chain's length to its natural reach. */
  maxStretch: number;
  /** Pressed finger-frames stretched or shrunk by more than 10 %. */
  stretchedOver10: number;
  /** Stretched pressed finger-frames per finger (thumb first), and how many of them were too far (vs too close). */
  stretchedByFinger: number[];
  stretchedTooFar: number;
  /** Notes released early before a leap the wrist could not make in time. */
  leapTruncated: number;
  /** Frames whose lateral constraint could not be met (finger chains stretch there). */
  relaxedFrames: number;
  /** Arm-frames where the wrist was beyond the arm's reach (arm straight, stretched). */
  armStretchFrames: number;
}

function smoothstep(x: number): number {
  const t = Math.min(1, Math.max(0, x));
  return t * t * (3 - 2 * t);
}

/** Zero-phase Gaussian smoothing of a series (sigma in frames), edges held. */
function gaussianSmooth(x: Float64Array, sigma: number): Float64Array {
  if (sigma <= 0) return x.slice();
  const r = Math.ceil(3 * sigma);
  const w = new Float64Array(2 * r + 1);
  let s = 0;
  for (let i = -r; i <= r; i++) s += w[i + r] = Math.exp((-0.5 * i * i) / (sigma * sigma));
  for (let i = 0; i < w.length; i++) w[i] /= s;
  const n = x.length;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let v = 0;
    for (let i = -r; i <= r; i++) v += w[i + r] * x[Math.min(n - 1, Math.max(0, k + i))];
    out[k] = v;
  }
  return out;
}

/** Fills `hold` frames (NaN) of a series by holding, then moving to the next value in the last `moveFrames`. */
function fillGaps(x: Float64Array, moveFrames: number, fallback: number): void {
  const n = x.length;
  let prev = -1;
  for (let k = 0; k <= n; k++) {
    if (k < n && Number.isNaN(x[k])) continue;
    // gap (prev, k)
    if (k - prev > 1) {
      const a = prev >= 0 ? x[prev] : k < n ? x[k] : fallback;
      const b = k < n ? x[k] : a;
      const len = k - prev - 1;
      const m = Math.min(len + 1, moveFrames);
      for (let j = prev + 1; j < k; j++) {
        const s = smoothstep((j - (k - m)) / m);
        x[j] = a + (b - a) * s;
      }
    }
    prev = k;
  }
}

/** Scratch for the chain solver. */
const P = new Float64Array(8);

/** Shape of a chain at curl c: joints P1..P3 in 2D, written to P[2..7] (P0 = origin). Returns |P3|. */
function chainShape(L: readonly number[], c: number, scale: number): number {
  const a2 = c;
  const a3 = c + 0.7 * c;
  P[0] = 0;
  P[1] = 0;
  P[2] = L[0] * scale;
  P[3] = 0;
  P[4] = P[2] + L[1] * scale * Math.cos(a2);
  P[5] = L[1] * scale * Math.sin(a2);
  P[6] = P[4] + L[2] * scale * Math.cos(a3);
  P[7] = P[5] + L[2] * scale * Math.sin(a3);
  return Math.hypot(P[6], P[7]);
}

/**
 * Solves a 3-segment chain from `base` to `target` (exactly, stretching if out of range), bulging toward `bulge`.
 * Writes the three joint positions after the base (xyz each) into out[o..o+9). Returns the stretch ratio (1 in range).
 */
function solveChain(base: ArrayLike<number>, target: ArrayLike<number>, L: readonly number[], scale: number, bulge: ArrayLike<number>, out: Float32Array, o: number): number {
  const dx = target[0] - base[0];
  const dy = target[1] - base[1];
  const dz = target[2] - base[2];
  const D = Math.hypot(dx, dy, dz);
  const dmax = chainShape(L, CURL_MIN, scale);
  const dmin = chainShape(L, CURL_MAX, scale);
  let c: number;
  let ratio = 1;
  if (D >= dmax) {
    c = CURL_MIN;
    ratio = D / dmax;
  } else if (D <= dmin) {
    c = CURL_MAX;
    ratio = D / dmin;
  } else {
    let lo = CURL_MIN;
    let hi = CURL_MAX;
    for (let it = 0; it < 30; it++) {
      const mid = 0.5 * (lo + hi);
      if (chainShape(L, mid, scale) > D) lo = mid;
      else hi = mid;
    }
    c = 0.5 * (lo + hi);
  }
  const E = chainShape(L, c, scale);
  const s = D / E; // 1 within tolerance of the bisection; the ratio when out of range
  // Shape frame: e along the chord, q perpendicular on the joints' side.
  const ex = P[6] / E;
  const ey = P[7] / E;
  let qx = -ey;
  let qy = ex;
  if (P[2] * qx + P[3] * qy < 0) {
    qx = -qx;
    qy = -qy;
  }
  const inv = D > 1e-9 ? 1 / D : 0;
  const ux = dx * inv;
  const uy = dy * inv;
  const uz = dz * inv;
  const bd = bulge[0] * ux + bulge[1] * uy + bulge[2] * uz;
  let vx = bulge[0] - bd * ux;
  let vy = bulge[1] - bd * uy;
  let vz = bulge[2] - bd * uz;
  const vn = Math.hypot(vx, vy, vz) || 1;
  vx /= vn;
  vy /= vn;
  vz /= vn;
  for (let j = 1; j <= 3; j++) {
    const px = P[2 * j] * s;
    const py = P[2 * j + 1] * s;
    const a = px * ex + py * ey;
    const b = px * qx + py * qy;
    out[o + 3 * (j - 1)] = base[0] + a * ux + b * vx;
    out[o + 3 * (j - 1) + 1] = base[1] + a * uy + b * vy;
    out[o + 3 * (j - 1) + 2] = base[2] + a * uz + b * vz;
  }
  if (ratio === 1) {
    // Exact end point (bisection leaves ~1e-9 cm).
    out[o + 6] = target[0];
    out[o + 7] = target[1];
    out[o + 8] = target[2];
  }
  return ratio;
}

/** Per-hand plan: wrist trajectory and yaw per frame. */
interface HandPlan {
  wx: Float64Array;
  wy: Float64Array;
  wz: Float64Array;
  yaw: Float64Array;
}

/** A note of one hand during planning. */
interface PlanNote {
  note: FingeredNote;
  k0: number;
  k1: number;
}

/** What {@link performPiano} returns. */
export interface Performance {
  /** numFrames x PIANIST_DIM, cm. */
  keypoints: Float32Array;
  numFrames: number;
  /** The notes as finally played (ends may be earlier than the input's, notes without a frame removed). */
  notes: FingeredNote[];
  stats: KinematicStats;
}

/** Lateral wrist interval allowed by a pressed note under finger f (1..5) of a hand. */
function lateralInterval(hand: Hand, midi: number, finger: number, hs: number): [number, number] {
  const side = hand === 'r' ? 1 : -1;
  const x = keyOf(midi).x;
  const [thumbSide, pinkySide] = TOL[finger - 1];
  // The fingertip may sit at lat in [nat - thumbSide, nat + pinkySide] (hand frame); world x offset = side * lat.
  const a = x - side * (NATURAL[finger - 1][0] - thumbSide) * hs;
  const b = x - side * (NATURAL[finger - 1][0] + pinkySide) * hs;
  return [Math.min(a, b), Math.max(a, b)];
}

/** Plans one hand's wrist; may shorten notes (leaps). */
function planHand(hand: Hand, notes: PlanNote[], numFrames: number, fps: number, p: PianistParams, stats: KinematicStats): HandPlan {
  const side = hand === 'r' ? 1 : -1;
  const hs = p.handScale;
  const vdt = WRIST_PLAN_SPEED / fps;
  const lo = new Float64Array(numFrames);
  const hi = new Float64Array(numFrames);
  const pressedBy: number[][] = Array.from({ length: numFrames }, () => []);
  const rebuild = (): void => {
    for (let k = 0; k < numFrames; k++) pressedBy[k].length = 0;
    notes.forEach((n, i) => {
      for (let k = n.k0; k < n.k1 && k < numFrames; k++) pressedBy[k].push(i);
    });
    for (let k = 0; k < numFrames; k++) {
      let a = -Infinity;
      let b = Infinity;
      for (const i of pressedBy[k]) {
        const [l, h] = lateralInterval(hand, notes[i].note.midi, notes[i].note.finger, hs);
        a = Math.max(a, l);
        b = Math.min(b, h);
      }
      if (a > b) {
        const m = 0.5 * (a + b);
        a = b = m;
        stats.relaxedFrames++;
      }
      lo[k] = a;
      hi[k] = b;
    }
  };
  rebuild();
  // Forward pass: reachable wrist x intervals; on a conflict, release the notes before the leap one frame earlier.
  const rLo = new Float64Array(numFrames);
  const rHi = new Float64Array(numFrames);
  const LIMIT = 70;
  let k = 0;
  let guard = 0;
  while (k < numFrames) {
    const pl = k === 0 ? -LIMIT : rLo[k - 1] - vdt;
    const ph = k === 0 ? LIMIT : rHi[k - 1] + vdt;
    const a = Math.max(pl, lo[k]);
    const b = Math.min(ph, hi[k]);
    if (a <= b) {
      rLo[k] = a;
      rHi[k] = b;
      k++;
      continue;
    }
    // Conflict at k: the latest earlier frame s with pressed notes not pressed at k.
    let fixed = false;
    if (guard++ < 100000) {
      for (let s = k - 1; s >= Math.max(0, k - 25) && !fixed; s--) {
        const ending = pressedBy[s].filter((i) => !pressedBy[k].includes(i) && notes[i].k1 === s + 1);
        if (ending.length === 0) continue;
        if (ending.every((i) => notes[i].k1 - 1 > notes[i].k0)) {
          for (const i of ending) {
            notes[i].k1--;
            if (!(notes[i] as PlanNote & { cut?: boolean }).cut) {
              (notes[i] as PlanNote & { cut?: boolean }).cut = true;
              stats.leapTruncated++;
            }
          }
          fixed = true;
          rebuild();
          k = Math.max(0, s - 1);
        }
        break;
      }
    }
    if (!fixed) {
      // Cannot release earlier: go as far as the speed limit allows (fingers stretch).
      const v = a > ph ? ph : pl;
      rLo[k] = rHi[k] = v;
      stats.relaxedFrames++;
      k++;
    }
  }
  // Desired lateral position: middle of the allowed interval while playing; hold, then move, between notes.
  const want = new Float64Array(numFrames).fill(Number.NaN);
  for (let k2 = 0; k2 < numFrames; k2++) {
    const ps = pressedBy[k2];
    if (ps.length === 0) continue;
    // Natural wrist place of each pressed finger, averaged, kept inside the allowed interval.
    let m = 0;
    for (const i of ps) m += keyOf(notes[i].note.midi).x - side * NATURAL[notes[i].note.finger - 1][0] * hs;
    want[k2] = Math.min(rHi[k2], Math.max(rLo[k2], m / ps.length));
  }
  const firstX = notes.length ? keyOf(notes[0].note.midi).x : side * 15;
  fillGaps(want, Math.round(0.35 * fps), firstX);
  const sm = gaussianSmooth(want, 1.5);
  // Backward pass: inside the reachable intervals, within the speed limit.
  const wx = new Float64Array(numFrames);
  for (let k2 = numFrames - 1; k2 >= 0; k2--) {
    let a = rLo[k2];
    let b = rHi[k2];
    if (k2 < numFrames - 1) {
      a = Math.max(a, wx[k2 + 1] - vdt);
      b = Math.min(b, wx[k2 + 1] + vdt);
    }
    if (a > b) a = b = k2 < numFrames - 1 ? wx[k2 + 1] : a; // cannot happen; guard
    wx[k2] = Math.min(b, Math.max(a, sm[k2]));
  }
  // Height and depth of the wrist.
  const wy = new Float64Array(numFrames).fill(Number.NaN);
  const wz = new Float64Array(numFrames).fill(Number.NaN);
  for (let k2 = 0; k2 < numFrames; k2++) {
    const ps = pressedBy[k2];
    if (ps.length === 0) continue;
    let z = 0;
    let black = 0;
    let xmin = Infinity;
    let xmax = -Infinity;
    for (const i of ps) {
      const key = keyOf(notes[i].note.midi);
      z += key.pressZ;
      if (key.black) black++;
      xmin = Math.min(xmin, key.x);
      xmax = Math.max(xmax, key.x);
    }
    wz[k2] = z / ps.length + WRIST_BEHIND * hs;
    wy[k2] = p.wristHeight + (0.8 * black) / ps.length - Math.min(2, 0.25 * Math.max(0, xmax - xmin - 9 * hs));
  }
  fillGaps(wy, Math.round(0.35 * fps), p.wristHeight + 1);
  fillGaps(wz, Math.round(0.35 * fps), -2 + WRIST_BEHIND * hs);
  const wys = gaussianSmooth(wy, 2.5);
  const wzs = gaussianSmooth(wz, 2.5);
  const yaw = new Float64Array(numFrames);
  const sx = side * 18 * p.bodyScale;
  for (let k2 = 0; k2 < numFrames; k2++) yaw[k2] = Math.max(-0.2, Math.min(0.2, 0.3 * Math.atan2(wx[k2] - sx, p.hipZ - wzs[k2])));
  const yawS = gaussianSmooth(yaw, 3);
  // Reach: where a pressed fingertip is beyond its finger's reach (wide chords, octaves), the wrist moves toward it
  // (lower, further in: the hand flattens), by alternating projections over the pressed fingers.
  const reach = SEGMENTS.map((L) => 0.98 * chainShape(L, CURL_MIN, hs));
  const cx = new Float64Array(numFrames);
  const cy = new Float64Array(numFrames);
  const cz = new Float64Array(numFrames);
  for (let k2 = 0; k2 < numFrames; k2++) {
    const ps = pressedBy[k2];
    if (ps.length === 0) continue;
    const psi = yawS[k2];
    const fx = Math.sin(psi);
    const fz = -Math.cos(psi);
    const lx = side * Math.cos(psi);
    const lz = side * Math.sin(psi);
    let x = wx[k2];
    let y = wys[k2];
    let z = wzs[k2];
    for (let it = 0; it < 8; it++) {
      let moved = false;
      for (const i of ps) {
        const f = notes[i].note.finger;
        const key = keyOf(notes[i].note.midi);
        const b = BASES[f - 1];
        const dx = key.x - (x + (b[0] * lx + b[2] * fx) * hs);
        const dy = key.top - KEY_DIP - (y + b[1] * hs);
        const dz = key.pressZ - (z + (b[0] * lz + b[2] * fz) * hs);
        const D = Math.hypot(dx, dy, dz);
        if (D > reach[f - 1]) {
          const m = (D - reach[f - 1]) / D;
          x += dx * m;
          y += dy * m;
          z += dz * m;
          moved = true;
        }
      }
      if (!moved) break;
    }
    cx[k2] = x - wx[k2];
    cy[k2] = Math.max(WRIST_MIN_Y, y) - wys[k2];
    cz[k2] = z - wzs[k2];
  }
  // Corrections ramp in and out over a few frames (the larger of the raw and the smoothed correction).
  for (const [c, w] of [
    [cx, wx],
    [cy, wys],
    [cz, wzs],
  ] as const) {
    const sm = gaussianSmooth(c, 1.2);
    for (let k2 = 0; k2 < numFrames; k2++) w[k2] += Math.abs(c[k2]) > Math.abs(sm[k2]) ? c[k2] : sm[k2];
  }
  // 3D speed clamp.
  const vmax = WRIST_MAX_SPEED / fps;
  for (let k2 = 1; k2 < numFrames; k2++) {
    const dx = wx[k2] - wx[k2 - 1];
    const dy = wys[k2] - wys[k2 - 1];
    const dz = wzs[k2] - wzs[k2 - 1];
    const d = Math.hypot(dx, dy, dz);
    if (d > vmax) {
      const f = vmax / d;
      wx[k2] = wx[k2 - 1] + dx * f;
      wys[k2] = wys[k2 - 1] + dy * f;
      wzs[k2] = wzs[k2 - 1] + dz * f;
    }
  }
  return { wx, wy: wys, wz: wzs, yaw: yawS };
}

/**
 * Animates the pianist for `numFrames` frames at `fps`. `notes` must be fingered ({@link fingerPiece}); notes whose
 * span has no frame time are dropped, and notes before a leap the wrist cannot make are released earlier.
 */
export function performPiano(notes: readonly FingeredNote[], numFrames: number, fps: number, p: PianistParams = DEFAULT_PIANIST): Performance {
  const stats: KinematicStats = {
    frames: numFrames,
    pressedFingerFrames: 0,
    stretchedFingerFrames: 0,
    maxStretch: 0,
    stretchedOver10: 0,
    stretchedByFinger: [0, 0, 0, 0, 0],
    stretchedTooFar: 0,
    leapTruncated: 0,
    relaxedFrames: 0,
    armStretchFrames: 0,
  };
  const kp = new Float32Array(numFrames * PIANIST_DIM);
  const hands: Record<Hand, PlanNote[]> = { r: [], l: [] };
  for (const n of notes) {
    const [k0, k1] = noteFrames(n.start, n.end, fps);
    const k1c = Math.min(k1, numFrames);
    if (k1c <= k0) continue;
    hands[n.hand].push({ note: { ...n }, k0, k1: k1c });
  }
  const plans = { r: planHand('r', hands.r, numFrames, fps, p, stats), l: planHand('l', hands.l, numFrames, fps, p, stats) };
  // Notes as played: an end cut by the planner becomes the time of its last frame's successor.
  const played: FingeredNote[] = [];
  for (const h of ['r', 'l'] as const) {
    for (const pn of hands[h]) {
      const [, k1] = noteFrames(pn.note.start, pn.note.end, fps);
      if (pn.k1 < Math.min(k1, numFrames)) pn.note.end = pn.k1 / fps - 1e-4;
      played.push(pn.note);
    }
  }
  played.sort((a, b) => a.start - b.start || a.midi - b.midi);

  const hs = p.handScale;
  const base = new Float64Array(3);
  const target = new Float64Array(3);
  const bulge = new Float64Array(3);
  for (const hand of ['r', 'l'] as const) {
    const side = hand === 'r' ? 1 : -1;
    const off = hand === 'r' ? RIGHT_HAND : LEFT_HAND;
    const plan = plans[hand];
    // Per finger: notes in time order, and a cursor.
    const byFinger: PlanNote[][] = [[], [], [], [], [], []];
    for (const pn of hands[hand]) byFinger[pn.note.finger].push(pn);
    for (const l of byFinger) l.sort((a, b) => a.k0 - b.k0);
    const cursor = [0, 0, 0, 0, 0, 0];
    for (let k = 0; k < numFrames; k++) {
      const t = k / fps;
      const o = k * PIANIST_DIM;
      const W = [plan.wx[k], plan.wy[k], plan.wz[k]];
      const psi = plan.yaw[k];
      // Hand axes in the pianist frame.
      const fwd = [Math.sin(psi), 0, -Math.cos(psi)];
      const lat = [side * Math.cos(psi), 0, side * Math.sin(psi)];
      const toWorld = (l: number, u: number, f: number, out: Float64Array | Float32Array, at: number): void => {
        out[at] = W[0] + l * lat[0] + f * fwd[0];
        out[at + 1] = W[1] + u;
        out[at + 2] = W[2] + l * lat[2] + f * fwd[2];
      };
      toWorld(0, 0, 0, kp, o + off * 3);
      for (let f = 1; f <= 5; f++) {
        const b = BASES[f - 1];
        const baseLm = f === 1 ? 1 : 4 * f - 3; // 1, 5, 9, 13, 17
        toWorld(b[0] * hs, b[1] * hs, b[2] * hs, base, 0);
        kp.set(base, o + (off + baseLm) * 3);
        // Current, previous and next note of this finger.
        const list = byFinger[f];
        while (cursor[f] < list.length && list[cursor[f]].k1 <= k) cursor[f]++;
        const cur = cursor[f] < list.length && list[cursor[f]].k0 <= k ? list[cursor[f]] : null;
        if (cur) {
          const key = keyOf(cur.note.midi);
          target[0] = key.x;
          target[1] = key.top - KEY_DIP;
          target[2] = key.pressZ;
          stats.pressedFingerFrames++;
        } else {
          const prev = cursor[f] > 0 ? list[cursor[f] - 1] : null;
          const next = cursor[f] < list.length ? list[cursor[f]] : null;
          const dPrev = prev ? t - prev.k1 / fps + 1 / fps : Infinity;
          const dNext = next ? next.k0 / fps - t : Infinity;
          const nat = NATURAL[f - 1];
          toWorld(nat[0] * hs, 0, nat[1] * hs, target, 0);
          let keyTop = 0;
          const wNext = next ? 1 - smoothstep(dNext / p.approach) : 0;
          const wPrev = prev ? 1 - smoothstep(dPrev / p.approach) : 0;
          const near = wNext >= wPrev ? next : prev;
          const w = Math.max(wNext, wPrev);
          if (near && w > 0) {
            const key = keyOf(near.note.midi);
            target[0] += (key.x - target[0]) * w;
            target[2] += (key.pressZ - target[2]) * w;
            keyTop = key.top * w;
          }
          const lift = LIFT_MIN + (p.lift - LIFT_MIN) * smoothstep(Math.min(dPrev, dNext) / p.approach);
          target[1] = keyTop + lift;
        }
        if (f === 1) {
          bulge[0] = -0.8 * lat[0];
          bulge[1] = 0.6;
          bulge[2] = -0.8 * lat[2];
        } else {
          bulge[0] = 0.3 * fwd[0];
          bulge[1] = 1;
          bulge[2] = 0.3 * fwd[2];
        }
        const ratio = solveChain(base, target, SEGMENTS[f - 1], hs, bulge, kp, o + (off + baseLm + 1) * 3);
        if (ratio !== 1 && cur) {
          stats.stretchedFingerFrames++;
          stats.stretchedByFinger[f - 1]++;
          if (ratio > 1) stats.stretchedTooFar++;
          if (Math.abs(ratio - 1) > 0.1) stats.stretchedOver10++;
          stats.maxStretch = Math.max(stats.maxStretch, Math.abs(ratio - 1));
        }
      }
    }
  }
  bodyPose(kp, numFrames, fps, p, stats);
  return { keypoints: kp, numFrames, notes: played, stats };
}

/** Upper body from the wrists: torso lean, shoulders, head, elbows (keypoints 0..6). */
function bodyPose(kp: Float32Array, numFrames: number, fps: number, p: PianistParams, stats: KinematicStats): void {
  const bs = p.bodyScale;
  const torso = 50 * bs;
  const halfShoulder = 18 * bs;
  const upper = 29 * bs;
  const fore = 27 * bs;
  const hip = [0, -18, p.hipZ];
  const lateral = new Float64Array(numFrames);
  const forward = new Float64Array(numFrames);
  for (let k = 0; k < numFrames; k++) {
    const o = k * PIANIST_DIM;
    const xr = kp[o + RIGHT_HAND * 3];
    const xl = kp[o + LEFT_HAND * 3];
    lateral[k] = Math.max(-0.2, Math.min(0.2, 0.0035 * 0.5 * (xr + xl)));
    const far = Math.max(Math.abs(xr - halfShoulder), Math.abs(xl + halfShoulder));
    forward[k] = 0.12 + 0.12 * smoothstep((far - 25) / 25);
  }
  const lat = gaussianSmooth(lateral, 0.4 * fps);
  const fw = gaussianSmooth(forward, 0.4 * fps);
  const S = new Float64Array(3);
  for (let k = 0; k < numFrames; k++) {
    const o = k * PIANIST_DIM;
    const phi = lat[k];
    const th = fw[k];
    const u = [Math.sin(phi) * Math.cos(th), Math.cos(phi) * Math.cos(th), -Math.sin(th)];
    const r = [Math.cos(phi), -Math.sin(phi), 0];
    const c = [hip[0] + u[0] * torso, hip[1] + u[1] * torso, hip[2] + u[2] * torso];
    // head (nose): 22 cm up the neck line, 8 cm forward
    kp[o] = c[0] + u[0] * 22 * bs;
    kp[o + 1] = c[1] + u[1] * 22 * bs;
    kp[o + 2] = c[2] + u[2] * 22 * bs - 8 * bs;
    for (const side of [1, -1]) {
      const si = side > 0 ? 1 : 2; // r_shoulder, l_shoulder
      const ei = side > 0 ? 3 : 4;
      const wi = side > 0 ? 5 : 6;
      const hand = side > 0 ? RIGHT_HAND : LEFT_HAND;
      S[0] = c[0] + r[0] * halfShoulder * side;
      S[1] = c[1] + r[1] * halfShoulder * side;
      S[2] = c[2] + r[2] * halfShoulder * side;
      kp.set(S, o + si * 3);
      const W = [kp[o + hand * 3], kp[o + hand * 3 + 1], kp[o + hand * 3 + 2]];
      kp[o + wi * 3] = W[0];
      kp[o + wi * 3 + 1] = W[1];
      kp[o + wi * 3 + 2] = W[2];
      const d = [W[0] - S[0], W[1] - S[1], W[2] - S[2]];
      const D = Math.hypot(d[0], d[1], d[2]);
      const n = [d[0] / D, d[1] / D, d[2] / D];
      let E: number[];
      if (D >= upper + fore - 1e-6) {
        stats.armStretchFrames++;
        const f = upper / (upper + fore);
        E = [S[0] + d[0] * f, S[1] + d[1] * f, S[2] + d[2] * f];
      } else {
        const a = (upper * upper - fore * fore + D * D) / (2 * D);
        const h = Math.sqrt(Math.max(0, upper * upper - a * a));
        const pole = [side * 0.5, -1, 0.4];
        const pd = pole[0] * n[0] + pole[1] * n[1] + pole[2] * n[2];
        const q = [pole[0] - pd * n[0], pole[1] - pd * n[1], pole[2] - pd * n[2]];
        const qn = Math.hypot(q[0], q[1], q[2]) || 1;
        E = [S[0] + a * n[0] + (h * q[0]) / qn, S[1] + a * n[1] + (h * q[1]) / qn, S[2] + a * n[2] + (h * q[2]) / qn];
      }
      kp[o + ei * 3] = E[0];
      kp[o + ei * 3 + 1] = E[1];
      kp[o + ei * 3 + 2] = E[2];
    }
  }
}

/** Number of keypoints (re-exported for callers that only import the kinematics). */
export const KEYPOINTS = NUM_PIANIST_KEYPOINTS;
/** Fingertip landmark of finger f (1..5) within a hand. */
export function fingertipLandmark(f: number): number {
  return FINGERTIPS[f - 1];
}
