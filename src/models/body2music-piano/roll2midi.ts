/**
 * Roll2Midi: piano roll frames (88 key and onset probabilities, velocities; ./pose2roll.ts) -> notes, streaming.
 * Per key:
 * - a note starts when the onset probability rises through `onThreshold`, or, with no onset seen, when the key
 *   probability reaches `sustainThreshold` (a strike the onset output missed);
 * - a sounding key struck again (onset rising through `onThreshold` after at least `minFrames`) ends its note and starts
 *   a new one;
 * - a note ends when the key probability falls below `offThreshold` (hysteresis: offThreshold < sustainThreshold), but
 *   not before it has lasted `minFrames` frames.
 * - with `peakRadius` r > 0, a key starts only where its onset (or, for a sustain start, key) probability is the
 *   largest within r keys on either side in that frame: one finger's strike spread over neighbouring keys by the soft
 *   key assignment gives one note.
 * Times: a frame k stands for the interval ((k - 1) / fps, k / fps] in which the change happened, so note starts and
 * ends are placed at its middle, (k - 0.5) / fps + `timeOffset` s. Velocity: the roll's velocity of the key at the
 * onset frame (the starting frame for a sustain start). No allocation per frame except the returned note objects.
 */
import { LOWEST_MIDI, NUM_KEYS } from '../../features/piano/keyboard';
import type { PianoRollFrame, Roll2MidiSettings } from './pose2roll';

/** A note from Roll2Midi: MIDI pitch, start and end (s, on the roll's clock), MIDI velocity 1..127. */
export interface MidiNote {
  midi: number;
  start: number;
  end: number;
  velocity: number;
}

/** Options of {@link Roll2Midi}. */
export interface Roll2MidiOptions extends Roll2MidiSettings {
  /** Frames per second of the roll. */
  readonly fps: number;
}

/** Fills and range-checks Roll2Midi options; errors name the valid ranges. */
export function fillRoll2MidiOptions(o: Partial<Roll2MidiOptions> & Pick<Roll2MidiOptions, 'fps'>): Roll2MidiOptions {
  const r: Roll2MidiOptions = {
    fps: o.fps,
    onThreshold: o.onThreshold ?? 0.5,
    offThreshold: o.offThreshold ?? 0.3,
    sustainThreshold: o.sustainThreshold ?? 0.7,
    minFrames: o.minFrames ?? 2,
    peakRadius: o.peakRadius ?? 0,
  };
  if (!(r.fps > 0 && r.fps <= 1000)) throw new Error(`roll2midi: fps must be in (0, 1000] (got ${String(r.fps)})`);
  for (const k of ['onThreshold', 'offThreshold', 'sustainThreshold'] as const) if (!(r[k] > 0 && r[k] < 1)) throw new Error(`roll2midi: ${k} must be in (0, 1) (got ${String(r[k])})`);
  if (!(r.offThreshold <= r.sustainThreshold)) throw new Error(`roll2midi: offThreshold (${r.offThreshold}) must be <= sustainThreshold (${r.sustainThreshold})`);
  if (!(Number.isInteger(r.minFrames) && r.minFrames >= 1 && r.minFrames <= 50)) throw new Error(`roll2midi: minFrames must be an integer in 1..50 (got ${String(r.minFrames)})`);
  if (!(Number.isInteger(r.peakRadius) && (r.peakRadius ?? 0) >= 0 && (r.peakRadius ?? 0) <= 12)) throw new Error(`roll2midi: peakRadius must be an integer in 0..12 keys (got ${String(r.peakRadius)})`);
  return Object.freeze(r);
}

/** What one frame changed: notes that started and notes that ended (with their end time). */
export interface Roll2MidiEvents {
  started: MidiNote[];
  ended: MidiNote[];
}

export class Roll2Midi {
  readonly options: Roll2MidiOptions;
  private readonly on = new Uint8Array(NUM_KEYS);
  private readonly age = new Int32Array(NUM_KEYS);
  private readonly prevOnset = new Float32Array(NUM_KEYS);
  private readonly current: (MidiNote | null)[] = new Array<MidiNote | null>(NUM_KEYS).fill(null);
  private frameIndex = 0;

  constructor(options: Partial<Roll2MidiOptions> & Pick<Roll2MidiOptions, 'fps'>) {
    this.options = fillRoll2MidiOptions(options);
  }

  /** Keys sounding now (1) or not (0). */
  get sounding(): Uint8Array {
    return this.on;
  }

  reset(): void {
    this.on.fill(0);
    this.age.fill(0);
    this.prevOnset.fill(0);
    this.current.fill(null);
    this.frameIndex = 0;
  }

  /**
   * Processes the next roll frame (an invalid frame counts as silence); `timeOffset` (s) is added to note times (e.g.
   * the clock time of frame 0). Returns the notes started and ended in this frame.
   */
  update(roll: PianoRollFrame, timeOffset = 0, out: Roll2MidiEvents = { started: [], ended: [] }): Roll2MidiEvents {
    out.started.length = 0;
    out.ended.length = 0;
    const o = this.options;
    const t = (this.frameIndex - 0.5) / o.fps + timeOffset;
    for (let k = 0; k < NUM_KEYS; k++) {
      const p = roll.valid ? roll.frame[k] : 0;
      const q = roll.valid ? roll.onset[k] : 0;
      const rising = q >= o.onThreshold && this.prevOnset[k] < o.onThreshold && this.isPeak(roll.onset, k);
      this.prevOnset[k] = q;
      if (this.on[k]) {
        this.age[k]++;
        const cur = this.current[k] as MidiNote;
        if (rising && this.age[k] >= o.minFrames) {
          cur.end = t;
          out.ended.push(cur);
          this.start(k, t, roll, out);
        } else if (p < o.offThreshold && q < o.onThreshold && this.age[k] >= o.minFrames) {
          cur.end = t;
          out.ended.push(cur);
          this.on[k] = 0;
          this.current[k] = null;
        }
      } else if (rising || (p >= o.sustainThreshold && this.isPeak(roll.frame, k))) {
        this.start(k, t, roll, out);
      }
    }
    this.frameIndex++;
    return out;
  }

  /** Whether key k's value is the largest within peakRadius keys (ties go to the lower key). */
  private isPeak(values: Float32Array, k: number): boolean {
    const r = this.options.peakRadius ?? 0;
    for (let j = Math.max(0, k - r); j <= Math.min(NUM_KEYS - 1, k + r); j++) {
      if (j === k) continue;
      if (values[j] > values[k] || (values[j] === values[k] && j < k)) return false;
    }
    return true;
  }

  private start(k: number, t: number, roll: PianoRollFrame, out: Roll2MidiEvents): void {
    const v = roll.velocity[k];
    const note: MidiNote = { midi: LOWEST_MIDI + k, start: t, end: Number.POSITIVE_INFINITY, velocity: v >= 1 ? Math.min(127, Math.round(v)) : 64 };
    this.on[k] = 1;
    this.age[k] = 0;
    this.current[k] = note;
    out.started.push(note);
  }

  /** Ends every sounding note at the current frame's time; returns them. */
  flush(timeOffset = 0): MidiNote[] {
    const t = (this.frameIndex - 0.5) / this.options.fps + timeOffset;
    const ended: MidiNote[] = [];
    for (let k = 0; k < NUM_KEYS; k++) {
      const cur = this.current[k];
      if (cur) {
        cur.end = t;
        ended.push(cur);
      }
    }
    this.on.fill(0);
    this.current.fill(null);
    return ended;
  }
}

/** Whole-sequence Roll2Midi: every note of a list of roll frames (frame 0 at time `timeOffset`). */
export function rollToNotes(frames: readonly PianoRollFrame[], options: Partial<Roll2MidiOptions> & Pick<Roll2MidiOptions, 'fps'>, timeOffset = 0): MidiNote[] {
  const r = new Roll2Midi(options);
  const notes: MidiNote[] = [];
  const ev: Roll2MidiEvents = { started: [], ended: [] };
  for (const f of frames) {
    r.update(f, timeOffset, ev);
    notes.push(...ev.started);
  }
  r.flush(timeOffset);
  return notes.sort((a, b) => a.start - b.start || a.midi - b.midi);
}
