import { describe, expect, it } from 'vitest';
import { summarize } from './stats';

describe('summarize', () => {
  it('gives nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(summarize(xs)).toEqual({ p50_ms: 50, p95_ms: 95, max_ms: 100, n: 100 });
    expect(summarize([3, 1, 2])).toEqual({ p50_ms: 2, p95_ms: 3, max_ms: 3, n: 3 });
  });
  it('refuses no samples', () => {
    expect(() => summarize([])).toThrow(/no samples/);
  });
});
