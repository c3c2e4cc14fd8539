/**
 * The 88-key piano keyboard in the pianist frame, shared by the dataset generator, the pianist models, the live
 * calibration and the renderer.
 *
 * Pianist frame (centimetres): x along the keyboard, increasing with pitch (toward the performer's right when seated);
 * y up, with y = 0 on the top surface of the white keys; z toward the performer, with z = 0 at the front edge of the
 * white keys (keys extend to negative z). x = 0 is the middle of the keyboard's 52 white keys (between E4 and F4).
 *
 * Standard key sizes: white keys 2.35 cm wide (an octave of 7 white keys is 16.45 cm), 15 cm long; black keys 1.37 cm
 * wide, 9.5 cm long, 1.2 cm above the white keys. Black keys sit between their white neighbours, offset as on real
 * pianos (C#, D# apart from each other; F#, G#, A# spread around G#).
 */

/** MIDI note of the lowest key (A0). */
export const LOWEST_MIDI = 21;
/** MIDI note of the highest key (C8). */
export const HIGHEST_MIDI = 108;
/** Number of keys. */
export const NUM_KEYS = 88;
/** Number of white keys. */
export const NUM_WHITE_KEYS = 52;
/** White key width, cm. */
export const WHITE_KEY_WIDTH = 2.35;
/** White key length, cm. */
export const WHITE_KEY_LENGTH = 15;
/** Black key width, cm. */
export const BLACK_KEY_WIDTH = 1.37;
/** Black key length, cm. */
export const BLACK_KEY_LENGTH = 9.5;
/** Height of a black key's top above the white keys' top, cm. */
export const BLACK_KEY_HEIGHT = 1.2;
/** How far a key travels when pressed, cm. */
export const KEY_DIP = 1.0;
/** Total keyboard width, cm. */
export const KEYBOARD_WIDTH = NUM_WHITE_KEYS * WHITE_KEY_WIDTH;

/** Pitch classes that are black keys. */
const BLACK = [false, true, false, true, false, false, true, false, true, false, true, false];
/** Black key centre offset from the boundary between its white neighbours, in white key widths (C#, D#, F#, G#, A#). */
const BLACK_OFFSET: Record<number, number> = { 1: -0.12, 3: 0.12, 6: -0.15, 8: 0, 10: 0.15 };

/** Geometry of one key. */
export interface Key {
  /** MIDI note number. */
  readonly midi: number;
  /** Index 0..87 from A0. */
  readonly index: number;
  readonly black: boolean;
  /** Centre of the key's playing surface along x, cm. */
  readonly x: number;
  /** Key width, cm. */
  readonly width: number;
  /** Top of the key at rest, cm. */
  readonly top: number;
  /** z of the front edge (0 for white keys, -(15 - 9.5) for black keys), cm. */
  readonly front: number;
  /** Key length, cm. */
  readonly length: number;
  /** z where a finger presses this key (2 cm behind a white key's front, 1.5 cm behind a black key's), cm. */
  readonly pressZ: number;
}

/** True for black keys. */
export function isBlack(midi: number): boolean {
  return BLACK[((midi % 12) + 12) % 12];
}

function buildKeys(): readonly Key[] {
  const keys: Key[] = [];
  let white = 0; // white keys to the left of the current key
  const left = -KEYBOARD_WIDTH / 2;
  for (let midi = LOWEST_MIDI; midi <= HIGHEST_MIDI; midi++) {
    const pc = midi % 12;
    if (!BLACK[pc]) {
      const x = left + (white + 0.5) * WHITE_KEY_WIDTH;
      keys.push(Object.freeze({ midi, index: midi - LOWEST_MIDI, black: false, x, width: WHITE_KEY_WIDTH, top: 0, front: 0, length: WHITE_KEY_LENGTH, pressZ: -2 }));
      white++;
    } else {
      const x = left + (white + BLACK_OFFSET[pc]) * WHITE_KEY_WIDTH;
      const front = -(WHITE_KEY_LENGTH - BLACK_KEY_LENGTH);
      keys.push(Object.freeze({ midi, index: midi - LOWEST_MIDI, black: true, x, width: BLACK_KEY_WIDTH, top: BLACK_KEY_HEIGHT, front, length: BLACK_KEY_LENGTH, pressZ: front - 1.5 }));
    }
  }
  return Object.freeze(keys);
}

/** All 88 keys from A0 (index 0) to C8 (index 87). */
export const KEYS: readonly Key[] = buildKeys();

/** The key of a MIDI note; throws outside 21..108. */
export function keyOf(midi: number): Key {
  if (!Number.isInteger(midi) || midi < LOWEST_MIDI || midi > HIGHEST_MIDI) throw new Error(`MIDI note ${midi} is not on an 88-key piano (valid: ${LOWEST_MIDI}..${HIGHEST_MIDI})`);
  return KEYS[midi - LOWEST_MIDI];
}

/**
 * The key under a point of the keyboard's top view (x, z in cm), or -1 off the keys. Black keys win where they
 * overlap white keys (z behind the black keys' front edge).
 */
export function keyAt(x: number, z: number): number {
  if (z > 0 || z < -WHITE_KEY_LENGTH) return -1;
  const left = -KEYBOARD_WIDTH / 2;
  const w = Math.floor((x - left) / WHITE_KEY_WIDTH);
  if (w < 0 || w >= NUM_WHITE_KEYS) return -1;
  if (z <= KEYS[1].front) {
    // Black keys near x: check the two neighbours of this white key.
    for (const k of KEYS) if (k.black && Math.abs(x - k.x) <= k.width / 2) return k.midi;
  }
  let white = 0;
  for (const k of KEYS) {
    if (k.black) continue;
    if (white === w) return k.midi;
    white++;
  }
  return -1;
}
