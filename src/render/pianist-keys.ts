/**
 * Pure parts of the Pianist view's keyboard (no three.js): the box drawn for each of the 88 keys (from
 * ../features/piano/keyboard.ts), how far a key dips and what colour it takes for an activation, and the keys under
 * fingertips that touch them (to light the keys the avatar plays when a model gives keypoints only).
 *
 * Units: cm in the pianist frame (x toward high notes, y up from the white keys' top, z toward the performer);
 * activations 0..1 (probability or velocity of a sounding key; values outside are clamped, NaN counts as 0).
 */
import { KEY_DIP, KEYS, NUM_KEYS, keyAt } from '../features/piano/keyboard';
import { FINGERTIPS, LEFT_HAND, RIGHT_HAND } from '../features/piano/layout';

/** Gap between neighbouring white keys, cm (drawn, not in the geometry contract). */
export const WHITE_KEY_GAP = 0.16;
/** Drawn depth (thickness) of a white key below its top, cm. */
export const WHITE_KEY_DEPTH = 2.2;
/** Drawn depth of a black key below its top, cm (it stands BLACK_KEY_HEIGHT above the white keys). */
export const BLACK_KEY_DEPTH = 2.4;

/** Values per key box: centre x, y, z, then size x (width), y (depth), z (length). */
export const KEY_BOX_DIM = 6;

/** Activation clamped to 0..1 (NaN: 0). */
export function clampActivation(a: number): number {
  return a > 0 ? (a < 1 ? a : 1) : 0;
}

/** How far a key is pushed down for an activation, cm (KEY_DIP at 1). */
export function keyDip(activation: number): number {
  return clampActivation(activation) * KEY_DIP;
}

/**
 * Writes the drawn box of key `index` (0..87 from A0), dipped by `activation`, into `out` at `offset`:
 * centre (x, y, z) and size (width, depth, length), cm. Returns `out`.
 */
export function keyBox(index: number, activation: number, out: Float32Array, offset = 0): Float32Array {
  const k = KEYS[index];
  if (!k) throw new Error(`key index ${index} is not on an 88-key piano (valid: 0..${NUM_KEYS - 1})`);
  const depth = k.black ? BLACK_KEY_DEPTH : WHITE_KEY_DEPTH;
  const width = k.black ? k.width : k.width - WHITE_KEY_GAP;
  out[offset] = k.x;
  out[offset + 1] = k.top - depth / 2 - keyDip(activation);
  out[offset + 2] = k.front - k.length / 2;
  out[offset + 3] = width;
  out[offset + 4] = depth;
  out[offset + 5] = k.length;
  return out;
}

/** Colours (0xRRGGBB) of the keyboard. */
export interface KeyPalette {
  /** White key at rest. */
  readonly white: number;
  /** Black key at rest. */
  readonly black: number;
  /** A key played by the avatar (Listen), at activation 1. */
  readonly listen: number;
  /** A key played by the performer (Watch), at activation 1. */
  readonly watch: number;
}

export const DEFAULT_KEY_PALETTE: KeyPalette = Object.freeze({ white: 0xf2efe6, black: 0x1c1d22, listen: 0x4aa3ff, watch: 0xff9a3c });

function channel(c: number, shift: number): number {
  return ((c >> shift) & 0xff) / 255;
}

/**
 * Writes the colour (sRGB components 0..1) of a key into `out` (r, g, b at `offset`): its rest colour blended toward
 * the Listen colour by `listen`, then toward the Watch colour by `watch`. Returns `out`.
 */
export function keyColor(black: boolean, listen: number, watch: number, out: Float32Array, offset = 0, palette: KeyPalette = DEFAULT_KEY_PALETTE): Float32Array {
  const base = black ? palette.black : palette.white;
  const a = clampActivation(listen);
  const b = clampActivation(watch);
  for (let i = 0; i < 3; i++) {
    const shift = 16 - 8 * i;
    const c = channel(base, shift) * (1 - a) + channel(palette.listen, shift) * a;
    out[offset + i] = c * (1 - b) + channel(palette.watch, shift) * b;
  }
  return out;
}

/** A fingertip this far (cm) above a key's top still lights it a little (linear fade from 1 at the top to 0). */
export const DEFAULT_TOUCH_TOLERANCE = 1.0;

/**
 * Key activations implied by fingertips touching keys: for each of the 10 fingertips of a 49-keypoint pose (cm, pianist
 * frame), the key under it (top view) gets 1 when the fingertip is at or below the key's top and fades to 0 at
 * `tolerance` cm above it; the largest value wins. Missing fingertips (NaN) light nothing. Writes 88 values into `out`
 * (cleared first) and returns it. No allocation.
 */
export function fingertipKeyActivations(pose: ArrayLike<number>, out: Float32Array, tolerance = DEFAULT_TOUCH_TOLERANCE): Float32Array {
  if (!(tolerance > 0)) throw new Error(`tolerance must be > 0 cm (got ${tolerance})`);
  out.fill(0, 0, NUM_KEYS);
  for (let h = 0; h < 2; h++) {
    const base = h === 0 ? RIGHT_HAND : LEFT_HAND;
    for (let f = 0; f < FINGERTIPS.length; f++) {
      const k = (base + FINGERTIPS[f]) * 3;
      const x = pose[k];
      const y = pose[k + 1];
      const z = pose[k + 2];
      if (!(Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z))) continue;
      const midi = keyAt(x, z);
      if (midi < 0) continue;
      const key = KEYS[midi - KEYS[0].midi];
      const a = clampActivation(1 - (y - key.top) / tolerance);
      if (a > out[key.index]) out[key.index] = a;
    }
  }
  return out;
}
