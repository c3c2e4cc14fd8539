import { describe, expect, it } from 'vitest';
import { KEYBOARD_WIDTH } from '../piano/keyboard';
import { imageToKeyboard } from '../piano/view';
import { CalibrationFlow, DEFAULT_CALIBRATION_OPTIONS, fillCalibrationOptions, handPoint, keyboardCalibration } from './calibration';
import { createHandsFrame } from './tracker';

const W = 640;
const H = 480;
/** 30 fps camera frames. */
const DT = 1000 / 30;

/** Feeds the point at (x, y) at every `step` ms from `from` to `to` inclusive; returns the last step. */
function feed(flow: CalibrationFlow, from: number, to: number, step: number, x: number, y: number): string {
  let last = flow.step as string;
  for (let t = from; t <= to; t += step) last = flow.update(t, x, y, W, H);
  return last;
}

/** Feeds frames at DT from `t0` for `ms` with the point at (x, y) (+ jitter(i) px in x); returns the next time. */
function hold(flow: CalibrationFlow, t0: number, ms: number, x: number, y: number, jitter = (_i: number) => 0): number {
  let t = t0;
  for (let i = 0; t < t0 + ms; i++, t += DT) flow.update(t, x + jitter(i), y, W, H);
  return t;
}

describe('CalibrationFlow', () => {
  it('left end, then right end, each held still 1 s: the two mean points', () => {
    const flow = new CalibrationFlow();
    expect(flow.step).toBe('idle');
    expect(flow.update(0, 100, 100, W, H)).toBe('idle'); // not started: ignored
    flow.start();
    expect(flow.step).toBe('left');
    expect(flow.hand).toBe('left');
    expect(flow.prompt).toMatch(/left index fingertip.*left end/);
    // Held at (560 ± 3, 300) px (the performer's left is the image's right, un-mirrored) from t = 1000 ms.
    let t = hold(flow, 1000, 990, 560, 300, (i) => (i % 2 ? 3 : -3));
    expect(flow.step).toBe('left');
    expect(flow.progress).toBeGreaterThan(0.9);
    expect(flow.progress).toBeLessThan(1);
    t = hold(flow, t, 40, 560, 300);
    expect(flow.step).toBe('right');
    expect(flow.hand).toBe('right');
    expect(flow.progress).toBe(0);
    t = hold(flow, t, 1100, 80, 310);
    expect(flow.step).toBe('done');
    const r = flow.result!;
    expect(r.leftX).toBeCloseTo(560, 0);
    expect(r.leftY).toBe(300);
    expect(r.rightX).toBe(80);
    expect(r.rightY).toBe(310);
    expect([r.imageWidth, r.imageHeight]).toEqual([W, H]);
    // The shared calibration maps the two points onto the keyboard's ends (x = -+KEYBOARD_WIDTH / 2, y = 0).
    const cal = keyboardCalibration(r);
    const xy = new Float32Array(2);
    imageToKeyboard(cal, r.leftX, r.leftY, xy);
    expect(xy[0]).toBeCloseTo(-KEYBOARD_WIDTH / 2, 3);
    expect(xy[1]).toBeCloseTo(0, 3);
    imageToKeyboard(cal, r.rightX, r.rightY, xy);
    expect(xy[0]).toBeCloseTo(KEYBOARD_WIDTH / 2, 3);
    // Done: further frames change nothing.
    expect(flow.update(t + 100, 300, 300, W, H)).toBe('done');
    expect(flow.result).toBe(r);
  });

  it('the hold takes exactly holdMs from the first still frame (explicit timestamps)', () => {
    const flow = new CalibrationFlow({ holdMs: 1000 });
    flow.start();
    feed(flow, 5000, 5500, 100, 500, 200);
    expect(flow.progress).toBeCloseTo(0.5, 6);
    expect(feed(flow, 5600, 5900, 100, 500, 200)).toBe('left');
    expect(flow.update(5999, 500, 200, W, H)).toBe('left');
    expect(flow.update(6000, 500, 200, W, H)).toBe('right');
  });

  it('moving more than stillRadius restarts the hold from the new position', () => {
    const flow = new CalibrationFlow(); // stillRadius 0.03 x 640 = 19.2 px
    flow.start();
    let t = hold(flow, 0, 800, 500, 200);
    flow.update(t, 530, 200, W, H); // 30 px away: restart here
    t += DT;
    expect(flow.progress).toBe(0);
    t = hold(flow, t, 900, 530, 200);
    expect(flow.step).toBe('left');
    t = hold(flow, t, 200, 530, 200);
    expect(flow.step).toBe('right');
  });

  it('a short dropout (<= maxGapMs) keeps the hold; a long one restarts it', () => {
    const flow = new CalibrationFlow({ maxGapMs: 250 });
    flow.start();
    feed(flow, 0, 400, 100, 500, 200);
    flow.update(500, NaN, NaN, W, H); // hand lost for 200 ms
    flow.update(600, 500, 200, W, H);
    expect(flow.progress).toBeCloseTo(0.6, 6);
    flow.update(700, NaN, NaN, W, H);
    flow.update(1000, NaN, NaN, W, H); // 400 ms without the hand: restart
    expect(flow.progress).toBe(0);
    expect(feed(flow, 1100, 2000, 100, 500, 200)).toBe('left');
    expect(flow.update(2099, 500, 200, W, H)).toBe('left');
    expect(flow.update(2100, 500, 200, W, H)).toBe('right');
  });

  it('a gap between seen frames longer than maxGapMs restarts too (no NaN frames reported)', () => {
    const flow = new CalibrationFlow({ maxGapMs: 250 });
    flow.start();
    flow.update(0, 500, 200, W, H);
    flow.update(900, 500, 200, W, H); // 900 ms since the last frame
    expect(flow.progress).toBe(0);
    expect(feed(flow, 1000, 1800, 100, 500, 200)).toBe('left');
    expect(flow.update(1900, 500, 200, W, H)).toBe('right');
  });

  it('ignores timestamps that do not increase', () => {
    const flow = new CalibrationFlow();
    flow.start();
    flow.update(1000, 500, 200, W, H);
    flow.update(1000, 100, 100, W, H); // same time, far away: ignored
    flow.update(900, 100, 100, W, H); // earlier: ignored
    expect(feed(flow, 1100, 1900, 100, 500, 200)).toBe('left');
    expect(flow.progress).toBeCloseTo(0.9, 6);
    expect(flow.update(2000, 500, 200, W, H)).toBe('right');
  });

  it('fails when the two ends are too close (the same hand shown twice); start() begins again', () => {
    const flow = new CalibrationFlow(); // minSeparation 0.15 x 640 = 96 px
    flow.start();
    let t = hold(flow, 0, 1100, 500, 200);
    expect(flow.step).toBe('right');
    t = hold(flow, t, 1100, 450, 210);
    expect(flow.step).toBe('failed');
    expect(flow.result).toBeNull();
    expect(flow.prompt).toMatch(/too close/);
    expect(flow.update(t, 100, 100, W, H)).toBe('failed');
    flow.start();
    expect(flow.step).toBe('left');
    t = hold(flow, t + 100, 1100, 500, 200);
    hold(flow, t, 1100, 100, 210);
    expect(flow.step).toBe('done');
  });

  it('cancel() returns to idle', () => {
    const flow = new CalibrationFlow();
    flow.start();
    flow.update(0, 1, 1, W, H);
    flow.cancel();
    expect(flow.step).toBe('idle');
    expect(flow.hand).toBeNull();
    expect(flow.progress).toBe(0);
  });

  it('rejects a non-finite timestamp', () => {
    const flow = new CalibrationFlow();
    flow.start();
    expect(() => flow.update(NaN, 1, 1, W, H)).toThrow(/timestampMs must be a finite number/);
  });
});

describe('calibration options and handPoint', () => {
  it('frozen defaults, ?? for explicit zeros, errors that list valid ranges', () => {
    expect(Object.isFrozen(DEFAULT_CALIBRATION_OPTIONS)).toBe(true);
    expect(fillCalibrationOptions()).toEqual({ holdMs: 1000, stillRadius: 0.03, maxGapMs: 250, minSeparation: 0.15, landmark: 8 });
    expect(fillCalibrationOptions({ maxGapMs: 0, minSeparation: 0 })).toMatchObject({ maxGapMs: 0, minSeparation: 0 });
    expect(() => fillCalibrationOptions({ holdMs: 0 })).toThrow(/holdMs must be in \(0, 10000\] ms/);
    expect(() => fillCalibrationOptions({ stillRadius: 1 })).toThrow(/stillRadius must be in \(0, 0.5\]/);
    expect(() => fillCalibrationOptions({ landmark: 21 })).toThrow(/landmark must be a hand landmark index 0..20/);
    expect(() => fillCalibrationOptions({ maxGapMs: -1 })).toThrow(/maxGapMs must be in \[0, 5000\] ms/);
    expect(() => fillCalibrationOptions({ minSeparation: 1 })).toThrow(/minSeparation must be in \[0, 1\)/);
  });

  it('handPoint picks the asked-for hand\'s landmark, NaN when that hand is not in the frame', () => {
    const f = createHandsFrame(2);
    const out = new Float32Array(2);
    expect(Array.from(handPoint(null, 'left', 9, out))).toEqual([NaN, NaN]);
    f.count = 1;
    f.hands[0].side = 'right';
    f.hands[0].keypoints[18] = 123;
    f.hands[0].keypoints[19] = 45;
    expect(Array.from(handPoint(f, 'right', 9, out))).toEqual([123, 45]);
    expect(Array.from(handPoint(f, 'right', 8, out))).toEqual([0, 0]);
    expect(Array.from(handPoint(f, 'left', 9, out))).toEqual([NaN, NaN]);
  });
});
