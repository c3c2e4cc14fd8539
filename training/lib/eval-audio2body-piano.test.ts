import { describe, expect, it } from 'vitest';
import { handPitchPerFrame } from './eval-audio2body-piano';

describe('handPitchPerFrame', () => {
  it('averages the sounding notes of one hand at each frame time (start <= t < end)', () => {
    const notes = [
      { midi: 60, start: 0, end: 0.2, hand: 'r' },
      { midi: 64, start: 0.08, end: 0.2, hand: 'r' },
      { midi: 40, start: 0, end: 1, hand: 'l' },
    ];
    const r = handPitchPerFrame(notes, 'r', 7, 25);
    // Frames at 0, 0.04, 0.08, 0.12, 0.16, 0.20, 0.24 s.
    expect(Array.from(r.subarray(0, 5))).toEqual([60, 60, 62, 62, 62]);
    expect(Number.isNaN(r[5])).toBe(true);
    expect(Number.isNaN(r[6])).toBe(true);
    expect(Array.from(handPitchPerFrame(notes, 'l', 3, 25))).toEqual([40, 40, 40]);
  });
});
