import { describe, expect, it } from 'vitest';
import { noteFrames, pianoRoll } from './roll';

describe('piano roll', () => {
  it('a note sounds at frame k iff start <= k / fps < end; its onset is its first frame', () => {
    expect(noteFrames(0, 0.04, 25)).toEqual([0, 1]);
    expect(noteFrames(0.01, 0.05, 25)).toEqual([1, 2]);
    expect(noteFrames(0.04, 0.12, 25)).toEqual([1, 3]);
    expect(noteFrames(0.05, 0.07, 25)).toEqual([2, 2]); // between frame times: no frame
    const r = pianoRoll([{ midi: 60, start: 0.05, end: 0.2, velocity: 90 }, { midi: 21, start: 0, end: 1, velocity: 10 }, { midi: 200, start: 0, end: 1, velocity: 10 }], 10, 25);
    const at = (a: Uint8Array, k: number, midi: number) => a[k * 88 + midi - 21];
    expect([1, 2, 3, 4, 5, 6].map((k) => at(r.sounding, k, 60))).toEqual([0, 1, 1, 1, 0, 0]); // frames 2, 3, 4 (0.20 is the end, excluded)
    expect([1, 2, 3].map((k) => at(r.onsets, k, 60))).toEqual([0, 1, 0]);
    expect(at(r.velocity, 3, 60)).toBe(90);
    expect(at(r.onsets, 0, 21)).toBe(1);
    expect(at(r.sounding, 9, 21)).toBe(1);
    expect(r.sounding.reduce((s, v) => s + v, 0)).toBe(3 + 10);
  });
});
