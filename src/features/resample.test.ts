import { describe, expect, it } from 'vitest';
import { StreamingResampler } from './resample';

function sine(freq: number, rate: number, n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.sin((2 * Math.PI * freq * i) / rate);
  return x;
}

describe('StreamingResampler', () => {
  it('passes equal rates through unchanged', () => {
    const r = new StreamingResampler(22050, 22050);
    const x = sine(440, 22050, 1000);
    expect(Array.from(r.process(x))).toEqual(Array.from(x));
  });

  it('produces the same output whatever the chunking', () => {
    const x = sine(1000, 48000, 9600);
    const whole = Array.from(new StreamingResampler(48000, 22050).process(x));
    const r = new StreamingResampler(48000, 22050);
    const parts: number[] = [];
    for (let i = 0; i < x.length; i += 128) parts.push(...r.process(x.subarray(i, i + 128)));
    expect(parts.length).toBe(whole.length);
    for (let i = 0; i < whole.length; i++) expect(parts[i]).toBeCloseTo(whole[i], 6);
  });

  it('gives outRate/inRate as many samples: 44100 -> 22050 halves 44100 samples to 22050', () => {
    const out = new StreamingResampler(44100, 22050).process(new Float32Array(44100));
    expect(out.length).toBe(22050);
  });

  it('keeps a 1 kHz tone (amplitude within 2%) and removes a 15 kHz tone (< 2%) going 48000 -> 22050', () => {
    const rms = (y: Float32Array) => Math.sqrt(y.reduce((s, v) => s + v * v, 0) / y.length);
    const pass = new StreamingResampler(48000, 22050).process(sine(1000, 48000, 48000)).slice(200);
    expect(rms(pass) * Math.SQRT2).toBeGreaterThan(0.98);
    expect(rms(pass) * Math.SQRT2).toBeLessThan(1.02);
    const stop = new StreamingResampler(48000, 22050).process(sine(15000, 48000, 48000)).slice(200);
    expect(rms(stop) * Math.SQRT2).toBeLessThan(0.02);
  });

  it('rejects non-positive rates', () => {
    expect(() => new StreamingResampler(0, 22050)).toThrow(/positive/);
  });
});
