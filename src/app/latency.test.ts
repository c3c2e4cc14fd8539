import { describe, expect, it } from 'vitest';
import { listenDisplayDelay, smoothingDelayFrames, soundToSkeletonBudgetMs } from './latency';

describe('listen latency', () => {
  it('adds lookahead, smoothing delay and the margin', () => {
    expect(smoothingDelayFrames(0)).toBe(0);
    expect(smoothingDelayFrames(0.5)).toBeCloseTo(1, 9);
    expect(listenDisplayDelay(1, 0, 25)).toBeCloseTo(0.06, 9);
    expect(listenDisplayDelay(2, 0.5, 25)).toBeCloseTo(0.14, 9);
  });
  it('budgets lookahead 1 without smoothing under 100 ms at 60 Hz', () => {
    const b = soundToSkeletonBudgetMs(1, 0, 25, 60);
    expect(b.total_ms).toBeCloseTo(40 + 20 + 10 + 1000 / 60, 6);
  });
});
