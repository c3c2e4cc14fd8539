/** Types shared by every stage. */

/** A note to be played, on the AudioContext clock. */
export interface NoteEvent {
  /** Instrument that plays it. */
  readonly instrument: 'piano' | 'bass' | 'kick' | 'snare' | 'hihat';
  /** MIDI pitch (ignored by unpitched drums). */
  readonly midi: number;
  /** Start time in seconds on the AudioContext clock. */
  readonly time: number;
  /** Duration in seconds. */
  readonly duration: number;
  /** Velocity in 0..1. */
  readonly velocity: number;
}

/** Dance styles of the Dance with Melody data, in model output order. */
export const STYLES = Object.freeze(['cha-cha', 'rumba', 'tango', 'waltz'] as const);
export type Style = (typeof STYLES)[number];
