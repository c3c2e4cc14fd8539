import { describe, expect, it } from 'vitest';
import { excerpt, handOfTrackName, splitByPitch } from './midi';

describe('MIDI hands', () => {
  it('reads the hand from track names of the classical-piano files', () => {
    for (const n of ['Piano right', 'PIano right second', 'Piano right2', 'Right ', 'Accompaniment right']) expect(handOfTrackName(n)).toBe('r');
    for (const n of ['Piano left', 'Piano Left', 'Piano left2', 'Left']) expect(handOfTrackName(n)).toBe('l');
    for (const n of ['Fuga 1', 'Theme', 'Triller', 'Piano middle', 'Pedal']) expect(handOfTrackName(n)).toBeNull();
  });

  it('splits by pitch: bass to the left, melody to the right, chords cut at one boundary', () => {
    const notes = [
      { midi: 36, start: 0, end: 0.5, velocity: 60 },
      { midi: 72, start: 0, end: 0.5, velocity: 60 },
      { midi: 43, start: 0.5, end: 1, velocity: 60 },
      { midi: 76, start: 0.5, end: 1, velocity: 60 },
      { midi: 48, start: 1, end: 1.5, velocity: 60 },
      { midi: 52, start: 1, end: 1.5, velocity: 60 },
      { midi: 79, start: 1, end: 1.5, velocity: 60 },
    ];
    const s = splitByPitch(notes);
    const hand = (m: number) => s.find((n) => n.midi === m)?.hand;
    expect([36, 43, 48, 52].map(hand)).toEqual(['l', 'l', 'l', 'l']);
    expect([72, 76, 79].map(hand)).toEqual(['r', 'r', 'r']);
  });

  it('hysteresis: a melody that walks down past middle C stays in the right hand while the left plays low', () => {
    const notes = [];
    for (let i = 0; i < 12; i++) {
      notes.push({ midi: 67 - i, start: i * 0.25, end: i * 0.25 + 0.2, velocity: 60 });
      notes.push({ midi: 36, start: i * 0.25, end: i * 0.25 + 0.2, velocity: 60 });
    }
    const s = splitByPitch(notes);
    for (const n of s) expect(n.hand).toBe(n.midi === 36 ? 'l' : 'r');
  });

  it('excerpt: notes starting inside, shifted to 0, cut at the end', () => {
    const e = excerpt([{ midi: 60, start: 1, end: 3, velocity: 60, hand: 'r' }, { midi: 62, start: 4, end: 5, velocity: 60, hand: 'r' }, { midi: 64, start: 0.5, end: 2, velocity: 60, hand: 'l' }], 0.8, 2);
    expect(e.length).toBe(1);
    expect(e[0].midi).toBe(60);
    expect(e[0].start).toBeCloseTo(0.2, 12);
    expect(e[0].end).toBeCloseTo(2, 12);
  });
});
