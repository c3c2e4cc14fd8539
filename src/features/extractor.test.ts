import { describe, expect, it } from 'vitest';
import { createFeatureExtractor, dctMatrix, extractFeatures, fillFeatureExtractorOptions } from './extractor';
import { DEFAULT_FEATURE_SPEC, FEATURE_INDEX, FEATURE_NAMES, computeNormalization, hopSize } from './spec';

const SR = 44100;

/**
 * A deterministic test signal: a 440 Hz tone plus white noise 30 dB below it (seeded LCG), at gain 0.05 for 1 s, then
 * gain 0.5, with clicks every 0.5 s.
 */
function testSignal(seconds = 2): Float32Array {
  const x = new Float32Array(SR * seconds);
  let seed = 12345;
  const noise = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  for (let i = 0; i < x.length; i++) {
    x[i] = (i >= SR ? 0.5 : 0.05) * (Math.sin((2 * Math.PI * 440 * i) / SR) + 0.055 * noise());
  }
  for (let t = 0; t < x.length; t += SR / 2) for (let k = 0; k < 64; k++) x[t + k] += k % 2 ? 0.8 : -0.8;
  return x;
}

describe('feature spec', () => {
  it('has the 28 Audio to Body Dynamics features, onset and 12 chroma (41), hop 882 at 22.05 kHz / 25 fps', () => {
    expect(FEATURE_NAMES.length).toBe(41);
    expect(FEATURE_NAMES.slice(0, 28).filter((n) => n.includes('mfcc')).length).toBe(26);
    expect(FEATURE_NAMES[FEATURE_INDEX.onset]).toBe('onset');
    expect(hopSize(DEFAULT_FEATURE_SPEC)).toBe(882);
  });

  it('range-checks options and lists the valid range', () => {
    expect(() => fillFeatureExtractorOptions({ inputSampleRate: 1000 })).toThrow(/8000\.\.192000/);
  });

  it('orthonormal DCT: rows have unit norm', () => {
    const m = dctMatrix(13, 40);
    for (let i = 0; i < 13; i++) {
      let s = 0;
      for (let j = 0; j < 40; j++) s += m[i * 40 + j] ** 2;
      expect(s).toBeCloseTo(1, 5);
    }
  });
});

describe('streaming feature extractor', () => {
  it('emits one frame per hop: frame k ends at k/25 s, so 2 s give frames 0..50', () => {
    const b = extractFeatures(testSignal(2), SR);
    expect(b.numFrames).toBe(51);
    expect(b.dim).toBe(41);
  });

  it('gives identical frames for any chunking (no dropped or repeated hops)', () => {
    const x = testSignal(2);
    const a = extractFeatures(x, SR, DEFAULT_FEATURE_SPEC, 128);
    const b = extractFeatures(x, SR, DEFAULT_FEATURE_SPEC, 10000);
    expect(a.numFrames).toBe(b.numFrames);
    for (let i = 0; i < a.data.length; i++) expect(a.data[i]).toBeCloseTo(b.data[i], 4);
  });

  it('numbers frames contiguously across pushes', () => {
    const ex = createFeatureExtractor({ inputSampleRate: 48000 });
    const seen: number[] = [];
    const x = new Float32Array(48000);
    for (let i = 0; i < x.length; i += 128) ex.push(x.subarray(i, i + 128), (_f, k) => seen.push(k));
    expect(seen).toEqual(Array.from({ length: 26 }, (_, k) => k));
    expect(ex.framesEmitted).toBe(26);
  });

  it('measures loudness and onsets: log energy rises by ln(100) for 20 dB, flux peaks at clicks', () => {
    const b = extractFeatures(testSignal(2), SR);
    const f = (k: number, i: number) => b.data[k * b.dim + i];
    // Steady frames away from clicks: 0.3 s (quiet) and 1.3 s (loud); energy ratio (0.5/0.05)^2 = 100.
    const dLogE = f(33, FEATURE_INDEX.logEnergy) - f(8, FEATURE_INDEX.logEnergy);
    expect(dLogE).toBeGreaterThan(Math.log(100) - 0.3);
    expect(dLogE).toBeLessThan(Math.log(100) + 0.3);
    // A gain change moves c0 and leaves the spectral shape (c1..) nearly unchanged.
    expect(Math.abs(f(33, FEATURE_INDEX.mfcc + 1) - f(8, FEATURE_INDEX.mfcc + 1))).toBeLessThan(3);
    // Onset strength at the click at 0.5 s (frame 13 is the first window containing it) beats the steady frames.
    const onset = Array.from({ length: 10 }, (_, i) => f(8 + i, FEATURE_INDEX.onset));
    expect(onset.indexOf(Math.max(...onset))).toBe(13 - 8);
    expect(f(13, FEATURE_INDEX.onset)).toBeGreaterThan(f(8, FEATURE_INDEX.onset) + 1);
    // Chroma of an A440 tone peaks at A.
    const chroma = Array.from({ length: 12 }, (_, i) => f(8, FEATURE_INDEX.chroma + i));
    expect(chroma.indexOf(Math.max(...chroma))).toBe(9);
  });

  it('gives finite features for digital silence', () => {
    const b = extractFeatures(new Float32Array(SR), SR);
    expect(b.data.every(Number.isFinite)).toBe(true);
  });

  it('reset restarts numbering and state', () => {
    const ex = createFeatureExtractor({ inputSampleRate: SR });
    const first: number[] = [];
    ex.push(testSignal(1), (f) => first.push(f[FEATURE_INDEX.logEnergy]));
    ex.reset();
    const second: number[] = [];
    ex.push(testSignal(1), (f) => second.push(f[FEATURE_INDEX.logEnergy]));
    expect(second).toEqual(first);
  });
});

describe('normalization', () => {
  it('computes column mean and std with a floor', () => {
    const n = computeNormalization([{ data: new Float32Array([1, 5, 3, 5]), dim: 2 }]);
    expect(n.mean).toEqual([2, 5]);
    expect(n.std[0]).toBeCloseTo(1, 6);
    expect(n.std[1]).toBe(1e-3);
  });
});
