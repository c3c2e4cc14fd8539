import { describe, expect, it } from 'vitest';
import { PIANIST_DIM, RIGHT_HAND } from '../../src/features/piano/layout';
import { KEYS } from '../../src/features/piano/keyboard';
import { geometricNotes, onsetMatches } from './eval-body2music-piano';

describe('body2music-piano evaluation', () => {
  it('matches onsets one-to-one by pitch within 50 ms', () => {
    const ref = [{ midi: 60, start: 1 }, { midi: 60, start: 1.03 }, { midi: 62, start: 2 }];
    const est = [{ midi: 60, start: 1.01 }, { midi: 62, start: 2.051 }, { midi: 61, start: 1 }];
    expect(onsetMatches(ref, est)).toBe(1);
    expect(onsetMatches(ref, [{ midi: 60, start: 1.02 }, { midi: 60, start: 1.025 }])).toBe(2);
  });

  it('geometric baseline: a fingertip below the height plays the white key under it, one note per descent', () => {
    const n = 6;
    const view = new Float32Array(n * PIANIST_DIM).fill(5); // everything 5 cm up
    const c4 = KEYS[39];
    const tip = (RIGHT_HAND + 8) * 3; // right index fingertip
    for (let k = 0; k < n; k++) view[k * PIANIST_DIM + tip] = c4.x;
    for (const k of [2, 3]) view[k * PIANIST_DIM + tip + 1] = -1;
    const present = new Uint8Array(n).fill(1);
    const notes = geometricNotes(view, present, n, { height: 0, keyRule: 'white' });
    expect(notes).toEqual([{ midi: 60, start: 1.5 / 25, end: 3.5 / 25, velocity: 64 }]);
  });
});
