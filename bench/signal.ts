/** A reproducible test signal: tones plus seeded noise with a click every 0.5 s, at `rate` Hz. */
export function benchSignal(seconds: number, rate: number): Float32Array {
  const x = new Float32Array(Math.round(seconds * rate));
  let seed = 7;
  const noise = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  for (let i = 0; i < x.length; i++) {
    const t = i / rate;
    x[i] = 0.3 * Math.sin(2 * Math.PI * 220 * t) + 0.2 * Math.sin(2 * Math.PI * 330 * t) + 0.05 * noise();
    if (i % Math.round(rate / 2) < 64) x[i] += 0.6;
  }
  return x;
}
