/**
 * Tone.js band: a real piano (Salamander samples served locally), a bass synth and three drum voices. Notes are
 * scheduled on the AudioContext clock, just in time: the Tone context's worker clock ticks every `updateInterval`
 * (5 ms) and the caller hands over the notes starting within `lookAhead + updateInterval` (15 ms), as Tone's own
 * Transport does, instead of Tone's 0.1 s default lookahead.
 */
import * as Tone from 'tone';
import type { NoteEvent } from '../types';
import type { Synth, SynthOptions } from './types';

/** Salamander sample notes served from the piano folder (every minor third, A1..C7 is plenty for our range). */
const PIANO_NOTES = Object.freeze(['A1', 'C2', 'D#2', 'F#2', 'A2', 'C3', 'D#3', 'F#3', 'A3', 'C4', 'D#4', 'F#4', 'A4', 'C5', 'D#5', 'F#5', 'A5', 'C6', 'D#6', 'F#6', 'A6', 'C7']);

/** Sampler url map: note -> file name, with '#' escaped (fetch would read it as a fragment). */
export function pianoUrls(notes: readonly string[] = PIANO_NOTES): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const n of notes) urls[n] = `${encodeURIComponent(n)}v10.mp3`;
  return urls;
}

const DEFAULTS = Object.freeze({ pianoBaseUrl: '/samples/piano/', lookAhead: 0.01, updateInterval: 0.005, latencyHint: 'interactive' as const, volumeDb: -6 });

export function fillSynthOptions(o: SynthOptions = {}): Required<SynthOptions> {
  const lookAhead = o.lookAhead ?? DEFAULTS.lookAhead;
  if (!(lookAhead >= 0.005 && lookAhead <= 0.2)) throw new Error(`lookAhead must be seconds in 0.005..0.2 (got ${String(lookAhead)})`);
  const updateInterval = o.updateInterval ?? Math.min(DEFAULTS.updateInterval, lookAhead);
  if (!(updateInterval >= 0.003 && updateInterval <= 0.05 && updateInterval <= lookAhead)) {
    throw new Error(`updateInterval must be seconds in 0.003..0.05 and at most lookAhead ${lookAhead} (got ${String(updateInterval)})`);
  }
  const volumeDb = o.volumeDb ?? DEFAULTS.volumeDb;
  if (!(volumeDb >= -60 && volumeDb <= 6)) throw new Error(`volumeDb must be in -60..6 (got ${String(volumeDb)})`);
  const latencyHint = o.latencyHint ?? DEFAULTS.latencyHint;
  const hints: readonly unknown[] = ['interactive', 'balanced', 'playback'];
  if (!(hints.includes(latencyHint) || (typeof latencyHint === 'number' && latencyHint >= 0 && latencyHint <= 1))) {
    throw new Error(`latencyHint must be 'interactive', 'balanced', 'playback' or seconds in 0..1 (got ${String(latencyHint)})`);
  }
  return { pianoBaseUrl: o.pianoBaseUrl ?? DEFAULTS.pianoBaseUrl, lookAhead, updateInterval, latencyHint, volumeDb };
}

/** Minimum spacing of two starts on one monophonic voice (Tone requires strictly increasing start times). */
const MONO_EPS = 1e-3;

class ToneSynth implements Synth {
  private readonly o: Required<SynthOptions>;
  private piano: Tone.Sampler | null = null;
  private bass: Tone.MonoSynth | null = null;
  private kick: Tone.MembraneSynth | null = null;
  private snare: Tone.NoiseSynth | null = null;
  private hihat: Tone.MetalSynth | null = null;
  private master: Tone.Volume | null = null;
  private readonly last = { bass: -1, kick: -1, snare: -1, hihat: -1 };
  notesPlayed = 0;
  readonly notesByInstrument = { piano: 0, bass: 0, kick: 0, snare: 0, hihat: 0 };

  private context: Tone.Context | null = null;

  constructor(options: SynthOptions) {
    this.o = fillSynthOptions(options);
  }

  get lookAhead(): number {
    return this.o.lookAhead;
  }

  get updateInterval(): number {
    return this.o.updateInterval;
  }

  /**
   * The browser's own AudioContext. Tone wraps it in standardized-audio-context, whose AudioContext has no
   * `outputLatency` (it would always read undefined), so the latencies are read from the native context it holds.
   */
  private native(): Partial<AudioContext> | null {
    const raw = this.context?.rawContext as unknown as (Partial<AudioContext> & { _nativeContext?: AudioContext }) | undefined;
    return raw?._nativeContext ?? raw ?? null;
  }

  get baseLatency(): number {
    return this.native()?.baseLatency ?? 0;
  }

  get outputLatency(): number {
    return this.native()?.outputLatency ?? 0;
  }

  onTick(cb: (now: number) => void): () => void {
    const ctx = this.context;
    if (!ctx) throw new Error('synth.onTick() before load()');
    const raw = ctx.rawContext;
    const listener = (): void => cb(raw.currentTime);
    ctx.on('tick', listener);
    return () => {
      ctx.off('tick', listener);
    };
  }

  async load(): Promise<void> {
    if (this.piano) return;
    // An explicit updateInterval keeps Tone from deriving it (lookAhead / 2).
    this.context = new Tone.Context({ latencyHint: this.o.latencyHint as AudioContextLatencyCategory /* Tone passes seconds through */, lookAhead: this.o.lookAhead, updateInterval: this.o.updateInterval });
    Tone.setContext(this.context);
    await Tone.start();
    this.master = new Tone.Volume(this.o.volumeDb).toDestination();
    const limiter = new Tone.Limiter(-1).connect(this.master);
    const reverb = new Tone.Reverb({ decay: 1.8, wet: 0.18 }).connect(limiter);
    this.bass = new Tone.MonoSynth({
      oscillator: { type: 'sawtooth' },
      filter: { Q: 2, type: 'lowpass', rolloff: -24 },
      envelope: { attack: 0.005, decay: 0.2, sustain: 0.4, release: 0.25 },
      filterEnvelope: { attack: 0.005, decay: 0.15, sustain: 0.3, release: 0.3, baseFrequency: 120, octaves: 2.5 },
      volume: -8,
    }).connect(limiter);
    this.kick = new Tone.MembraneSynth({ pitchDecay: 0.04, octaves: 6, envelope: { attack: 0.001, decay: 0.35, sustain: 0, release: 0.1 }, volume: -4 }).connect(limiter);
    this.snare = new Tone.NoiseSynth({ noise: { type: 'white' }, envelope: { attack: 0.001, decay: 0.16, sustain: 0, release: 0.05 }, volume: -12 }).connect(reverb);
    this.hihat = new Tone.MetalSynth({ envelope: { attack: 0.001, decay: 0.06, release: 0.02 }, harmonicity: 5.1, modulationIndex: 32, resonance: 5000, octaves: 1.5, volume: -26 }).connect(limiter);
    this.hihat.frequency.value = 250;
    await new Promise<void>((resolve, reject) => {
      this.piano = new Tone.Sampler({
        urls: pianoUrls(),
        baseUrl: this.o.pianoBaseUrl,
        release: 1,
        onload: () => resolve(),
        onerror: (e) => reject(new Error(`piano samples could not be loaded from ${this.o.pianoBaseUrl}: ${e.message}`)),
      }).connect(reverb);
    });
  }

  now(): number {
    return this.context ? this.context.rawContext.currentTime : Tone.getContext().currentTime;
  }

  /** Start time for a monophonic voice: not in the past, strictly after its previous start. */
  private monoTime(voice: keyof ToneSynth['last'], t: number): number {
    const start = Math.max(t, this.last[voice] + MONO_EPS);
    this.last[voice] = start;
    return start;
  }

  play(events: readonly NoteEvent[]): void {
    if (!this.piano || !this.bass || !this.kick || !this.snare || !this.hihat) throw new Error('synth.play() before load()');
    const now = this.now();
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      const t = Math.max(e.time, now);
      const v = Math.min(1, Math.max(0, e.velocity));
      const d = Math.max(0.02, e.duration);
      switch (e.instrument) {
        case 'piano':
          this.piano.triggerAttackRelease(Tone.Frequency(e.midi, 'midi').toFrequency(), d, t, v);
          break;
        case 'bass':
          this.bass.triggerAttackRelease(Tone.Frequency(e.midi, 'midi').toFrequency(), d, this.monoTime('bass', t), v);
          break;
        case 'kick':
          this.kick.triggerAttackRelease('C1', Math.min(d, 0.3), this.monoTime('kick', t), v);
          break;
        case 'snare':
          this.snare.triggerAttackRelease(Math.min(d, 0.2), this.monoTime('snare', t), v);
          break;
        case 'hihat':
          this.hihat.triggerAttackRelease(Math.min(d, 0.08), this.monoTime('hihat', t), v);
          break;
        default:
          continue;
      }
      this.notesPlayed++;
      this.notesByInstrument[e.instrument]++;
    }
  }

  releaseAll(): void {
    this.piano?.releaseAll();
    this.bass?.triggerRelease();
  }

  dispose(): void {
    for (const n of [this.piano, this.bass, this.kick, this.snare, this.hihat, this.master]) n?.dispose();
    this.piano = this.bass = this.kick = this.snare = this.hihat = this.master = null;
  }
}

/** Creates the band (no audio context until `load()`). */
export function createSynth(options: SynthOptions = {}): Synth {
  return new ToneSynth(options);
}
