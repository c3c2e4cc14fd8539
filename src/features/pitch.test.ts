import { describe, expect, it } from 'vitest';
import { DEFAULT_PITCH_SPEC, createPitchExtractor, extractPitch, fillPitchExtractorOptions, midiToHz, pitchFilterBank, pitchNames } from './pitch';

const SR = 22050;

function sine(hz: number, seconds: number, amp = 1, sr = SR): Float32Array {
  const x = new Float32Array(Math.round(sr * seconds));
  for (let i = 0; i < x.length; i++) x[i] = amp * Math.sin((2 * Math.PI * hz * i) / sr);
  return x;
}

function argmax(a: ArrayLike<number>, from: number, len: number): number {
  let best = 0;
  for (let i = 1; i < len; i++) if (a[from + i] > a[from + best]) best = i;
  return best;
}

describe('pitch bands', () => {
  it('has 88 bands A0..C8 and names pitch_<midi>', () => {
    expect(DEFAULT_PITCH_SPEC.bands).toBe(88);
    expect(pitchNames()[0]).toBe('pitch_21');
    expect(pitchNames()[87]).toBe('pitch_108');
    expect(midiToHz(69)).toBe(440);
  });

  it('every band has a bin weighted more than 0.5 and none above 1', () => {
    const b = pitchFilterBank();
    for (let i = 0; i < 88; i++) {
      expect(b.len[i]).toBeGreaterThan(0);
      let m = 0;
      for (let k = 0; k < b.len[i]; k++) m = Math.max(m, b.weights[b.offset[i] + k]);
      expect(m).toBeGreaterThan(0.5);
      expect(m).toBeLessThanOrEqual(1);
    }
  });

  it('a sine lights its own semitone band (A4 440 Hz, A3 220 Hz, C6 1046.5 Hz, A1 55 Hz)', () => {
    for (const midi of [69, 57, 84, 33]) {
      const p = extractPitch(sine(midiToHz(midi), 1, 0.5), SR);
      const k = 20; // well inside the tone
      expect(argmax(p.data, k * 88, 88) + 21).toBe(midi);
    }
  });

  it('full-scale sine at a band centre: value log(1 + 100 a) with a in 0.8..1 (Hann scalloping at most 15 %)', () => {
    const p = extractPitch(sine(440, 1, 1), SR);
    const v = p.data[20 * 88 + (69 - 21)];
    expect(v).toBeGreaterThan(Math.log1p(80));
    expect(v).toBeLessThanOrEqual(Math.log1p(100) + 1e-3);
  });

  it('frame convention as the extractor: frame 0 is silence, floor(N / hop) + 1 frames, at input rate 44.1 kHz too', () => {
    const x = sine(440, 1, 0.5);
    const p = extractPitch(x, SR);
    expect(p.numFrames).toBe(Math.floor(x.length / 882) + 1);
    for (let i = 0; i < 88; i++) expect(p.data[i]).toBe(0);
    const y = sine(440, 1, 0.5, 44100);
    const q = extractPitch(y, 44100);
    expect(q.numFrames).toBe(26);
    expect(argmax(q.data, 20 * 88, 88) + 21).toBe(69);
  });

  it('streaming chunk size does not change the frames', () => {
    const x = sine(330, 0.6, 0.3);
    const a = extractPitch(x, SR, DEFAULT_PITCH_SPEC, 4096);
    const b = extractPitch(x, SR, DEFAULT_PITCH_SPEC, 333);
    expect(b.numFrames).toBe(a.numFrames);
    for (let i = 0; i < a.data.length; i++) expect(b.data[i]).toBeCloseTo(a.data[i], 5);
  });

  it('a tone appears in the frame whose window first contains it (causal: earlier frames stay silent)', () => {
    const x = new Float32Array(SR);
    const start = 882 * 10 + 100; // between frames 10 and 11
    for (let i = start; i < x.length; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * 440 * i) / SR);
    const p = extractPitch(x, SR);
    expect(p.data[10 * 88 + 48]).toBe(0);
    expect(p.data[11 * 88 + 48]).toBeGreaterThan(0.5);
  });

  it('reset restarts frame numbering; options are range-checked', () => {
    const ex = createPitchExtractor({ inputSampleRate: SR });
    let n = 0;
    ex.push(sine(440, 0.2), () => n++);
    expect(ex.framesEmitted).toBe(n);
    ex.reset();
    expect(ex.framesEmitted).toBe(0);
    expect(() => fillPitchExtractorOptions({ inputSampleRate: 100 })).toThrow(/8000\.\.192000/);
    expect(() => fillPitchExtractorOptions({ inputSampleRate: SR, spec: { ...DEFAULT_PITCH_SPEC, frameSize: 1000 } })).toThrow(/power of two/);
  });
});
