import { describe, expect, it } from 'vitest';
import { createOneEuroFilter, DEFAULT_ONE_EURO_OPTIONS, oneEuroAlpha } from './one-euro';

const FRAME_30HZ = 1000 / 30;

describe('One-Euro filter', () => {
  it('has frozen defaults and checks its options', () => {
    expect(Object.isFrozen(DEFAULT_ONE_EURO_OPTIONS)).toBe(true);
    expect(() => createOneEuroFilter({ dim: 0 })).toThrow(/dim must be an integer >= 1/);
    expect(() => createOneEuroFilter({ dim: 2, minCutoff: 0 })).toThrow(/minCutoff must be a frequency > 0 Hz/);
    expect(() => createOneEuroFilter({ dim: 2, beta: -1 })).toThrow(/beta must be >= 0/);
    expect(() => createOneEuroFilter({ dim: 2, dCutoff: Number.NaN })).toThrow(/dCutoff/);
    // Explicit zero is kept (?? not ||).
    expect(createOneEuroFilter({ dim: 1, beta: 0 }).options.beta).toBe(0);
  });

  it('alpha at 1 Hz and 30 Hz sampling is 1 / (1 + 30 / (2 pi)) = 0.1731707', () => {
    expect(oneEuroAlpha(1, 1 / 30)).toBeCloseTo(0.1731707195, 9);
  });

  it('passes the first sample and keeps a constant signal constant', () => {
    const f = createOneEuroFilter({ dim: 3, minCutoff: 1, beta: 0.7, dCutoff: 1 });
    const v = new Float32Array(3);
    for (let i = 0; i < 20; i++) {
      v.set([5, -2.5, 0.125]);
      f.filter(v, 1000 + i * FRAME_30HZ);
      expect(Array.from(v)).toEqual([5, -2.5, 0.125]);
    }
  });

  it('step response with beta = 0 is an exponential average: 1 - (1 - alpha)^n at 30 Hz', () => {
    const f = createOneEuroFilter({ dim: 1, minCutoff: 1, beta: 0, dCutoff: 1 });
    const v = new Float32Array(1);
    v[0] = 0;
    f.filter(v, 0);
    const got: number[] = [];
    for (let n = 1; n <= 3; n++) {
      v[0] = 1;
      got.push(f.filter(v, n * FRAME_30HZ)[0]);
    }
    // alpha = 0.1731707: 0.1731707, 1 - 0.8268293^2 = 0.3163533, 1 - 0.8268293^3 = 0.4347409 (100 ms after the step).
    expect(got[0]).toBeCloseTo(0.1731707, 6);
    expect(got[1]).toBeCloseTo(0.3163533, 6);
    expect(got[2]).toBeCloseTo(0.4347409, 6);
  });

  it('step response with beta = 0.5 opens the cutoff with speed', () => {
    const f = createOneEuroFilter({ dim: 1, minCutoff: 1, beta: 0.5, dCutoff: 1 });
    const v = new Float32Array([0]);
    f.filter(v, 0);
    const got: number[] = [];
    for (let n = 1; n <= 3; n++) {
      v[0] = 1;
      got.push(f.filter(v, n * FRAME_30HZ)[0]);
    }
    // Step 1 by hand: dx = 1 / (1/30) = 30; dxHat = 0.1731707 * 30 = 5.195122; fc = 1 + 0.5 * 5.195122 = 3.597561 Hz;
    // alpha = 1 / (1 + 30 / (2 pi 3.597561)) = 0.4297027.
    expect(got[0]).toBeCloseTo(0.4297027, 6);
    expect(got[1]).toBeCloseTo(0.7104386, 6);
    expect(got[2]).toBeCloseTo(0.8548875, 6);
  });

  it('uses the real intervals of irregular timestamps and holds on repeated or backward ones', () => {
    const f = createOneEuroFilter({ dim: 1, minCutoff: 1, beta: 0.5, dCutoff: 1 });
    const v = new Float32Array(1);
    const feed = (x: number, t: number): number => {
      v[0] = x;
      return f.filter(v, t)[0];
    };
    expect(feed(0, 0)).toBe(0);
    expect(feed(1, 10)).toBeCloseTo(0.1990739, 6); // dt 10 ms
    expect(feed(1, 60)).toBeCloseTo(0.6945703, 6); // dt 50 ms
    expect(feed(5, 60)).toBeCloseTo(0.6945703, 6); // same time: previous output held
    expect(feed(5, 50)).toBeCloseTo(0.6945703, 6); // backward: held
    expect(feed(2, 75)).toBeCloseTo(1.2772180, 6); // dt 15 ms from 60
  });

  it('filters each value independently, in place, and restarts after reset', () => {
    const f = createOneEuroFilter({ dim: 2, minCutoff: 1, beta: 0, dCutoff: 1 });
    const v = new Float32Array([0, 10]);
    f.filter(v, 0);
    v.set([1, 10]);
    const out = f.filter(v, FRAME_30HZ);
    expect(out).toBe(v);
    expect(v[0]).toBeCloseTo(0.1731707, 6);
    expect(v[1]).toBe(10);
    f.reset();
    v.set([7, 8]);
    f.filter(v, 5000);
    expect(Array.from(v)).toEqual([7, 8]);
  });
});
