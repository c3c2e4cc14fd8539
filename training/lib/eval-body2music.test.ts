import { describe, expect, it } from 'vitest';
import { POSE_DIM } from '../../src/features/skeleton';
import { J, POSE_DIM as PD } from '../../src/features/skeleton';
import { beatF1, beatLikelihood, beatPhases, median, metronomeBeats, motionPeakBeats, verticalOnsetCorrelation, type PreparedDance } from './eval-body2music';

describe('body2music evaluation helpers', () => {
  it('beat F1 matches one to one within the tolerance', () => {
    // 0.5~0.52 and 1.0~1.0 match; 1.6 is 100 ms from 1.5: P = 2/3, R = 2/4, F1 = 4/7.
    const r = beatF1([0.5, 1.0, 1.6], [0.52, 1.0, 1.5, 2.0], 0.07);
    expect(r.precision).toBeCloseTo(2 / 3, 10);
    expect(r.recall).toBeCloseTo(0.5, 10);
    expect(r.f1).toBeCloseTo(4 / 7, 10);
    // Two predictions near one reference count once.
    expect(beatF1([0.99, 1.01], [1.0]).precision).toBeCloseTo(0.5, 10);
    expect(beatF1([], [1]).f1).toBe(0);
  });

  it('beat likelihood is a Gaussian bump of width sigma at each beat', () => {
    // Beats at 0.2 s (frame 5) and 0.5 s (frame 12.5), sigma 0.04 s = 1 frame at 25 fps.
    const c = beatLikelihood([0.2, 0.5], 20, 25, 0.04);
    expect(c[5]).toBeCloseTo(1, 6);
    expect(c[4]).toBeCloseTo(Math.exp(-0.5), 6);
    expect(c[6]).toBeCloseTo(Math.exp(-0.5), 6);
    expect(c[12]).toBeCloseTo(Math.exp(-0.5 * 0.25), 6);
    expect(c[13]).toBeCloseTo(Math.exp(-0.5 * 0.25), 6);
    expect(c[9]).toBeCloseTo(Math.exp(-0.5 * 3.5 * 3.5), 6);
    expect(c[0]).toBe(0); // beyond 4 sigma of every beat
  });

  it('vertical motion after onsets: wrists falling one frame after each onset correlate, a shifted motion does not', () => {
    const n = 400;
    const onset = new Float32Array(n);
    for (let t = 10; t < n; t += 17) onset[t] = 1;
    const make = (shift: number): PreparedDance => {
      const poses = new Float32Array(n * PD);
      let y = 0;
      for (let t = 0; t < n; t++) {
        if (t - shift >= 0 && onset[t - shift] > 0) y -= 0.1; // the wrists drop `shift` frames after an onset
        poses[t * PD + J.r_wrist * 3 + 1] = y;
        poses[t * PD + J.l_wrist * 3 + 1] = y;
      }
      return { name: `s${shift}`, style: 'waltz', numFrames: n, fps: 25, poses, beats: [], bpm: 88, logEnergy: new Float32Array(n), onset, onsetFeature: onset };
    };
    const [on, off] = verticalOnsetCorrelation([make(1), make(8)], 1);
    expect(on.wristsDown).toBeCloseTo(1, 2);
    expect(on.bodyDown).toBeCloseTo(1, 2); // only the wrists move: the mean joint height follows them
    expect(on.wristsDownRaw).toBeCloseTo(1, 2); // the raw feature here is the same pulse train
    expect(Math.abs(off.wristsDown)).toBeLessThan(0.1);
  });

  it('metronome beats start at 0 with the period of the tempo', () => {
    expect(metronomeBeats(120, 2)).toEqual([0, 0.5, 1, 1.5]);
  });

  it('beat phases run 0..1 between beats and are NaN outside them', () => {
    const ph = beatPhases([0.2, 0.6], 20, 25);
    expect(ph[0]).toBeNaN();
    expect(ph[5]).toBeCloseTo(0, 6);
    expect(ph[10]).toBeCloseTo(0.5, 6);
    expect(ph[15]).toBeNaN();
    expect(median([3, 1, 2, 10])).toBe(2.5);
  });

  it('motion peaks are the minima of the smoothed joint speed', () => {
    // One joint oscillating with period 20 frames: speed minima at the turning points, every 10 frames.
    const n = 60;
    const poses = new Float32Array(n * POSE_DIM);
    for (let t = 0; t < n; t++) poses[t * POSE_DIM] = Math.cos((2 * Math.PI * t) / 20);
    const peaks = motionPeakBeats(poses, n, 25).map((s) => Math.round(s * 25));
    expect(peaks.length).toBeGreaterThanOrEqual(4);
    for (const f of peaks) expect(Math.abs(f / 10 - Math.round(f / 10)) * 10).toBeLessThanOrEqual(1);
  });
});
