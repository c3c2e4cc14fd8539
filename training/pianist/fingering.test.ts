import { describe, expect, it } from 'vitest';
import { canHold, fingerHand, fingerPiece, MIN_NOTE_S, type FingeredNote } from './fingering';
import type { Hand, PianoNote } from './midi';
import { randomNotes } from './test-material';

const seq = (ps: number[], hand: Hand, step = 0.2): PianoNote[] => ps.map((midi, i) => ({ midi, start: i * step, end: i * step + step * 0.9, velocity: 64, hand }));

/** Every pair of a hand's simultaneously sounding notes: distinct fingers, holdable. */
function checkPlayable(notes: FingeredNote[]): void {
  for (let i = 0; i < notes.length; i++) {
    for (let j = i + 1; j < notes.length; j++) {
      const a = notes[i];
      const b = notes[j];
      const overlap = a.start < b.end && b.start < a.end;
      if (!overlap) continue;
      expect(a.midi === b.midi, `key ${a.midi} struck twice at once`).toBe(false);
      if (a.hand !== b.hand) continue;
      expect(a.finger === b.finger, `finger ${a.finger} on ${a.midi} and ${b.midi} at ${b.start.toFixed(3)}`).toBe(false);
      expect(canHold(a.hand, a.finger, a.midi, b.finger, b.midi), `${a.hand}${a.finger}:${a.midi} with ${b.finger}:${b.midi}`).toBe(true);
    }
  }
}

describe('fingering', () => {
  it('fingers a C major scale with the thumb passing (right hand up from the thumb, left hand up from the little finger)', () => {
    const up = [60, 62, 64, 65, 67, 69, 71, 72];
    const r = Array.from(fingerHand(seq(up, 'r'), 'r').fingers);
    expect(r[0]).toBe(1);
    expect(r.filter((f) => f === 1).length).toBeGreaterThanOrEqual(2);
    const l = Array.from(fingerHand(seq(up.map((p) => p - 24), 'l'), 'l').fingers);
    expect(l[0]).toBeGreaterThanOrEqual(3);
    expect(l.every((f) => f >= 1 && f <= 5)).toBe(true);
  });

  it('chords: right hand fingers rise with pitch, left hand fingers fall', () => {
    const chord = (ps: number[], hand: Hand) => ps.map((midi) => ({ midi, start: 0, end: 1, velocity: 64, hand }));
    const r = fingerHand(chord([60, 64, 67, 72], 'r'), 'r').fingers;
    expect(Array.from(r)).toEqual([...r].sort());
    const l = fingerHand(chord([36, 43, 48], 'l'), 'l').fingers;
    expect(Array.from(l)).toEqual([...l].sort().reverse());
    expect(l[0]).toBe(5);
  });

  it('canHold: Parncutt practical spans (1-5 up to 15 semitones, 2-3 at least 1, thumb may pass under)', () => {
    expect(canHold('r', 1, 60, 5, 75)).toBe(true);
    expect(canHold('r', 1, 60, 5, 76)).toBe(false);
    expect(canHold('r', 2, 62, 3, 62)).toBe(false);
    expect(canHold('r', 3, 64, 1, 65)).toBe(true);
    expect(canHold('l', 5, 48, 1, 63)).toBe(true);
    expect(canHold('l', 1, 48, 5, 63)).toBe(false);
    expect(canHold('r', 2, 60, 2, 64)).toBe(false);
  });

  it('random material: every hand holds only holdable notes with distinct fingers; changes are counted', () => {
    for (const seed of [1, 2, 3]) {
      const input = randomNotes(seed, 20);
      const { notes, stats } = fingerPiece(input);
      checkPlayable(notes);
      expect(notes.length + stats.dropped).toBe(input.length);
      for (const n of notes) {
        expect(n.end - n.start).toBeGreaterThanOrEqual(MIN_NOTE_S / 2 - 1e-9);
        expect(n.finger).toBeGreaterThanOrEqual(1);
        expect(n.finger).toBeLessThanOrEqual(5);
      }
      expect(stats.dropped / input.length).toBeLessThan(0.1);
    }
  });

  it('a six-note chord in one hand keeps five notes within a span; a re-struck key releases the first note', () => {
    const six = [60, 62, 64, 65, 67, 69].map((midi) => ({ midi, start: 0, end: 1, velocity: 64, hand: 'r' as const }));
    const a = fingerPiece(six);
    expect(a.notes.length).toBe(5);
    expect(a.stats.dropped).toBe(1);
    const again: PianoNote[] = [
      { midi: 60, start: 0, end: 1, velocity: 64, hand: 'r' },
      { midi: 60, start: 0.5, end: 0.9, velocity: 64, hand: 'l' },
    ];
    const b = fingerPiece(again);
    expect(b.notes[0].end).toBeCloseTo(0.5, 9);
    expect(b.stats.truncated).toBe(1);
  });

  it('is deterministic', () => {
    const x = fingerPiece(randomNotes(7, 10));
    const y = fingerPiece(randomNotes(7, 10));
    expect(JSON.stringify(x)).toBe(JSON.stringify(y));
  });
});
