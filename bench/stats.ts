/** Percentile summaries for benchmark samples. */

export interface StageStats {
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
  n: number;
}

/** p50 / p95 / max of samples in milliseconds (nearest-rank percentiles), rounded to microseconds. */
export function summarize(samples: ArrayLike<number>): StageStats {
  const s = Float64Array.from(samples).sort();
  const n = s.length;
  if (n === 0) throw new Error('no samples');
  const rank = (p: number) => s[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))];
  const r = (v: number) => Math.round(v * 1000) / 1000;
  return { p50_ms: r(rank(50)), p95_ms: r(rank(95)), max_ms: r(s[n - 1]), n };
}
