/** Synth stage contract: note events on the AudioContext clock in, sound out. Never imports tfjs. */
import type { NoteEvent } from '../types';

/** Options for {@link import('./synth').createSynth}. */
export interface SynthOptions {
  /** URL folder of the Salamander piano samples. Default '/samples/piano/'. */
  readonly pianoBaseUrl?: string;
  /** Scheduling lookahead of the Tone.js context in seconds (0.005..0.2). Default 0.03. */
  readonly lookAhead?: number;
  /** Master volume in dB (-60..6). Default -6. */
  readonly volumeDb?: number;
}

export interface Synth {
  /** Creates the audio context (call from a user gesture), loads the piano samples. */
  load(): Promise<void>;
  /** Current time of the synth's AudioContext clock in seconds. */
  now(): number;
  /** Schedules notes (times on the AudioContext clock; times already past are played now). */
  play(events: readonly NoteEvent[]): void;
  /** Notes handed to instruments so far, total and per instrument. */
  readonly notesPlayed: number;
  readonly notesByInstrument: Readonly<Record<NoteEvent['instrument'], number>>;
  /** Silences everything now. */
  releaseAll(): void;
  dispose(): void;
}
