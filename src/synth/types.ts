/** Synth stage contract: note events on the AudioContext clock in, sound out. Never imports tfjs. */
import type { NoteEvent } from '../types';

/** Options for {@link import('./synth').createSynth}. */
export interface SynthOptions {
  /** URL folder of the Salamander piano samples. Default '/samples/piano/'. */
  readonly pianoBaseUrl?: string;
  /**
   * Lookahead of the Tone.js context in seconds (0.005..0.2), the margin a note is handed to the audio thread before it
   * starts. Default 0.01.
   */
  readonly lookAhead?: number;
  /** Period of the scheduler clock ({@link Synth.onTick}) in seconds (0.003..0.05, at most `lookAhead`). Default 0.005. */
  readonly updateInterval?: number;
  /**
   * AudioContext latencyHint: 'interactive' (default; the browser's glitch-free low latency), 'balanced', 'playback', or
   * seconds (0: the smallest buffer the device allows; lower latency, more risk of glitches under load).
   */
  readonly latencyHint?: 'interactive' | 'balanced' | 'playback' | number;
  /** Master volume in dB (-60..6). Default -6. */
  readonly volumeDb?: number;
}

export interface Synth {
  /** Creates the audio context (call from a user gesture), loads the piano samples. */
  load(): Promise<void>;
  /** Current time of the synth's AudioContext clock in seconds. */
  now(): number;
  /** The context's lookahead and scheduler period, seconds (see {@link SynthOptions}). */
  readonly lookAhead: number;
  readonly updateInterval: number;
  /**
   * The AudioContext's `baseLatency` and `outputLatency` in seconds (0 before `load()` or where the browser does not
   * report them): the time from a start time on the context clock to the sound leaving the output device.
   */
  readonly baseLatency: number;
  readonly outputLatency: number;
  /**
   * Calls `cb(now)` (now: AudioContext seconds) on every tick of the scheduler clock, a Web Worker timer every
   * `updateInterval` s that keeps running in background tabs; the caller decides the notes due before
   * `now + lookAhead + updateInterval` and passes them to `play`. Returns the unsubscribe function.
   */
  onTick(cb: (now: number) => void): () => void;
  /** Schedules notes (times on the AudioContext clock; times already past are played now). */
  play(events: readonly NoteEvent[]): void;
  /** Notes handed to instruments so far, total and per instrument. */
  readonly notesPlayed: number;
  readonly notesByInstrument: Readonly<Record<NoteEvent['instrument'], number>>;
  /** Silences everything now. */
  releaseAll(): void;
  dispose(): void;
}
