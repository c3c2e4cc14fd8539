/**
 * Piano roll at a frame rate: which of the 88 keys sound at each frame, where notes start, and how hard.
 * Frame k shows time k / fps; a note sounds at frame k iff start <= k / fps < end, and its onset frame is its first
 * sounding frame (the first frame time at or after its start).
 */
import { LOWEST_MIDI, NUM_KEYS } from './keyboard';

/** A note for the roll: MIDI pitch 21..108, start and end in s, MIDI velocity 1..127. */
export interface RollNote {
  readonly midi: number;
  readonly start: number;
  readonly end: number;
  readonly velocity: number;
}

/** Frames [k0, k1) at which a note (start, end in s) sounds: start <= k / fps < end (k0 is its onset frame). */
export function noteFrames(start: number, end: number, fps: number): [number, number] {
  const k0 = Math.max(0, Math.ceil(start * fps - 1e-9));
  const k1 = Math.max(0, Math.ceil(end * fps - 1e-9));
  return [k0, Math.max(k0, k1)];
}

/** The roll of `numFrames` frames: numFrames x 88 each, row-major, key index = midi - 21. */
export interface PianoRoll {
  /** 1 while a key sounds. */
  sounding: Uint8Array;
  /** 1 at a note's onset frame. */
  onsets: Uint8Array;
  /** MIDI velocity of the sounding note (0 when silent). */
  velocity: Uint8Array;
  numFrames: number;
}

/** Builds the roll of notes (keys outside 21..108 and frames past `numFrames` are ignored). */
export function pianoRoll(notes: readonly RollNote[], numFrames: number, fps: number): PianoRoll {
  const sounding = new Uint8Array(numFrames * NUM_KEYS);
  const onsets = new Uint8Array(numFrames * NUM_KEYS);
  const velocity = new Uint8Array(numFrames * NUM_KEYS);
  for (const n of notes) {
    const key = n.midi - LOWEST_MIDI;
    if (key < 0 || key >= NUM_KEYS) continue;
    const [k0, k1] = noteFrames(n.start, n.end, fps);
    if (k0 < numFrames && k1 > k0) onsets[k0 * NUM_KEYS + key] = 1;
    for (let k = k0; k < Math.min(k1, numFrames); k++) {
      sounding[k * NUM_KEYS + key] = 1;
      velocity[k * NUM_KEYS + key] = Math.max(1, Math.min(127, Math.round(n.velocity)));
    }
  }
  return { sounding, onsets, velocity, numFrames };
}
