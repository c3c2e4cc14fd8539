import { describe, expect, it } from 'vitest';
import { smoothKeypointsToward } from './pianist-motion';

describe('smoothKeypointsToward', () => {
  it('moves exponentially toward finite targets (golden: one time constant covers 1 - 1/e)', () => {
    const cur = new Float32Array([0, 10]);
    smoothKeypointsToward(cur, [1, 0], 0.1, 0.1);
    expect(cur[0]).toBeCloseTo(1 - Math.exp(-1), 6);
    expect(cur[1]).toBeCloseTo(10 * Math.exp(-1), 5);
    smoothKeypointsToward(cur, [5, 5], 0.016, 0);
    expect(Array.from(cur)).toEqual([5, 5]);
  });

  it('copies missing values through and recovers from them', () => {
    const cur = new Float32Array([1, 2]);
    smoothKeypointsToward(cur, [Number.NaN, 4], 0.01, 1);
    expect(Number.isNaN(cur[0])).toBe(true);
    expect(cur[1]).toBeGreaterThan(2);
    smoothKeypointsToward(cur, [7, 4], 0.01, 1);
    expect(cur[0]).toBe(7);
  });
});
