import { describe, expect, it } from 'vitest';
import { EstimateGate } from './estimate-gate';

describe('EstimateGate', () => {
  it('one estimate at a time, then a rest of half its duration (explicit timestamps, ms)', () => {
    const g = new EstimateGate(0.5);
    expect(g.tryStart(0)).toBe(true);
    expect(g.tryStart(10)).toBe(false); // still running
    g.end(1000); // took 1000 ms: rest until 1500
    expect(g.tryStart(1499)).toBe(false);
    expect(g.tryStart(1500)).toBe(true);
    g.end(1520); // 20 ms (a GPU): rest 10 ms, shorter than a camera frame
    expect(g.tryStart(1529)).toBe(false);
    expect(g.tryStart(1530)).toBe(true);
    g.end(1530);
    g.end(1600); // a second end is ignored
    expect(g.tryStart(1530)).toBe(true);
  });

  it('rest 0 starts again at once; out-of-range fractions are refused with the valid range', () => {
    const g = new EstimateGate(0);
    expect(g.tryStart(0)).toBe(true);
    g.end(800);
    expect(g.tryStart(800)).toBe(true);
    expect(() => new EstimateGate(-1)).toThrow(/restFraction must be in \[0, 4\] \(got -1\)/);
    expect(() => new EstimateGate(Number.NaN)).toThrow(/restFraction must be in \[0, 4\]/);
  });
});
