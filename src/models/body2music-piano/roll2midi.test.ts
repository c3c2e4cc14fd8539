import { describe, expect, it } from 'vitest';
import { NUM_KEYS } from '../../features/piano/keyboard';
import { emptyPianoRollFrame, type PianoRollFrame } from './pose2roll';
import { Roll2Midi, fillRoll2MidiOptions, rollToNotes } from './roll2midi';

/** Frames of one key (index 39 = C4, MIDI 60) with given key and onset probabilities. */
function frames(p: number[], q: number[], vel = 80): PianoRollFrame[] {
  return p.map((pk, i) => {
    const f = emptyPianoRollFrame();
    f.valid = true;
    f.frame[39] = pk;
    f.onset[39] = q[i];
    f.velocity[39] = vel;
    return f;
  });
}

const S = { fps: 25, onThreshold: 0.5, offThreshold: 0.3, sustainThreshold: 0.8, minFrames: 2 };

describe('Roll2Midi', () => {
  it('starts a note at a rising onset and ends it below the off threshold (frame middles)', () => {
    const notes = rollToNotes(frames([0, 0.9, 0.9, 0.6, 0.2, 0], [0, 0.9, 0.2, 0, 0, 0]), S);
    expect(notes).toHaveLength(1);
    expect(notes[0].midi).toBe(60);
    expect(notes[0].start).toBeCloseTo(0.5 / 25, 9);
    expect(notes[0].end).toBeCloseTo(3.5 / 25, 9);
    expect(notes[0].velocity).toBe(80);
  });

  it('keeps a note for minFrames even if the key probability drops at once (hysteresis)', () => {
    const notes = rollToNotes(frames([0, 0.6, 0.1, 0.1, 0], [0, 0.7, 0, 0, 0]), { ...S, minFrames: 3 });
    expect(notes).toHaveLength(1);
    expect(notes[0].end - notes[0].start).toBeCloseTo(3 / 25, 9);
  });

  it('re-strikes a held key on a new rising onset, and starts from a confident key without onset', () => {
    const notes = rollToNotes(frames([0, 0.9, 0.9, 0.9, 0.9, 0.9, 0, 0.95, 0.95, 0], [0, 0.9, 0, 0, 0.9, 0, 0, 0, 0, 0]), S);
    expect(notes.map((n) => Math.round(n.start * 25 + 0.5))).toEqual([1, 4, 7]);
  });

  it('peakRadius: a strike spread over neighbouring keys starts only its most likely key', () => {
    const f = emptyPianoRollFrame();
    f.valid = true;
    f.onset[38] = 0.6;
    f.onset[39] = 0.8;
    f.onset[40] = 0.7;
    expect(rollToNotes([f], { ...S, peakRadius: 0 }).map((n) => n.midi)).toEqual([59, 60, 61]);
    expect(rollToNotes([f], { ...S, peakRadius: 1 }).map((n) => n.midi)).toEqual([60]);
    expect(() => fillRoll2MidiOptions({ fps: 25, peakRadius: 1.5 })).toThrow(/peakRadius must be an integer in 0..12/);
  });

  it('treats invalid frames as silence and checks options', () => {
    const r = new Roll2Midi({ fps: 25 });
    const f = emptyPianoRollFrame();
    f.frame.fill(1);
    f.onset.fill(1);
    expect(r.update(f).started).toHaveLength(0);
    f.valid = true;
    expect(r.update(f).started).toHaveLength(NUM_KEYS);
    expect(() => fillRoll2MidiOptions({ fps: 25, offThreshold: 0.9, sustainThreshold: 0.5 })).toThrow(/offThreshold/);
    expect(() => fillRoll2MidiOptions({ fps: 25, minFrames: 0 })).toThrow(/minFrames must be an integer in 1..50/);
  });
});
