import { describe, expect, it } from 'vitest';
import { KEYBOARD_WIDTH } from './keyboard';
import { PIANIST_DIM, RIGHT_HAND } from './layout';
import { createRng } from './random';
import { DEFAULT_CAMERA_POSE, KEYBOARD_ENDS, calibrateKeyboard, cameraFromPose, degradeSequence, fillDegradeOptions, imageToKeyboard, keyboardToImage, project } from './view';

describe('keyboard calibration', () => {
  it('maps the two calibration points onto the keyboard ends and round-trips image <-> keyboard', () => {
    const cal = calibrateKeyboard({ u: 100, v: 300 }, { u: 540, v: 320 });
    const out = [0, 0];
    imageToKeyboard(cal, 100, 300, out);
    expect(out[0]).toBeCloseTo(-KEYBOARD_WIDTH / 2, 9);
    expect(out[1]).toBeCloseTo(0, 9);
    imageToKeyboard(cal, 540, 320, out);
    expect(out[0]).toBeCloseTo(KEYBOARD_WIDTH / 2, 9);
    expect(out[1]).toBeCloseTo(0, 9);
    for (const [x, y] of [[0, 0], [12.5, 30], [-40, -7]]) {
      const p = keyboardToImage(cal, x, y);
      imageToKeyboard(cal, p.u, p.v, out);
      expect(out[0]).toBeCloseTo(x, 9);
      expect(out[1]).toBeCloseTo(y, 9);
    }
    // Image up is pianist up.
    imageToKeyboard(cal, 320, 100, out);
    expect(out[1]).toBeGreaterThan(30);
  });

  it('handles mirrored images (left end on the image right) and rejects points too close', () => {
    const cal = calibrateKeyboard({ u: 540, v: 300 }, { u: 100, v: 300 });
    const out = [0, 0];
    imageToKeyboard(cal, 320, 200, out);
    expect(out[0]).toBeCloseTo(0, 9);
    expect(out[1]).toBeGreaterThan(0);
    expect(() => calibrateKeyboard({ u: 1, v: 1 }, { u: 5, v: 1 })).toThrow(/10 px/);
  });

  it('recovers keyboard-plane points exactly from a straight camera, mirrored or not', () => {
    for (const mirrored of [false, true]) {
      const cam = cameraFromPose({ ...DEFAULT_CAMERA_POSE, mirrored });
      const t = [0, 0, 0];
      project(cam, ...(KEYBOARD_ENDS.left as unknown as [number, number, number]), t);
      const L = { u: t[0], v: t[1] };
      project(cam, ...(KEYBOARD_ENDS.right as unknown as [number, number, number]), t);
      const cal = calibrateKeyboard(L, { u: t[0], v: t[1] });
      const out = [0, 0];
      for (const [x, y] of [[10, 5], [-30, 20], [55, -3]]) {
        project(cam, x, y, -2, t);
        imageToKeyboard(cal, t[0], t[1], out);
        expect(out[0]).toBeCloseTo(x, 6);
        expect(out[1]).toBeCloseTo(y, 6);
      }
    }
  });
});

describe('camera degradation', () => {
  /** A still pianist: every keypoint at a fixed spot on a grid in front of the keyboard. */
  function still(frames: number): Float32Array {
    const kp = new Float32Array(frames * PIANIST_DIM);
    for (let k = 0; k < frames; k++) for (let j = 0; j < 49; j++) kp.set([-40 + (j % 10) * 9, (j % 7) * 4, -2 + (j % 3) * 5], k * PIANIST_DIM + j * 3);
    return kp;
  }

  it('is deterministic for a seed; about 5 % of frames missing (zeros); jitter about 1 cm', () => {
    const n = 4000;
    const kp = still(n);
    const a = degradeSequence(kp, n, createRng(11));
    const b = degradeSequence(kp, n, createRng(11));
    expect(Buffer.from(a.points.buffer).equals(Buffer.from(b.points.buffer))).toBe(true);
    const missing = a.present.reduce((s, p) => s + (p ? 0 : 1), 0) / n;
    expect(missing).toBeGreaterThan(0.03);
    expect(missing).toBeLessThan(0.07);
    for (let k = 0; k < n; k++) if (!a.present[k]) expect(a.points[k * PIANIST_DIM]).toBe(0);
    // Jitter: frame-to-frame differences of a still point (sd of a difference = sqrt(2) x jitter sd).
    let s = 0;
    let c = 0;
    for (let k = 1; k < n; k++) {
      if (!a.present[k] || !a.present[k - 1]) continue;
      const d = a.points[k * PIANIST_DIM + 30] - a.points[(k - 1) * PIANIST_DIM + 30];
      s += d * d;
      c++;
    }
    const sd = Math.sqrt(s / c / 2);
    expect(sd).toBeGreaterThan(0.6);
    expect(sd).toBeLessThan(1.6);
  });

  it('keeps x, y within a few cm of the truth under a varied camera; depth present or absent per sequence', () => {
    const n = 200;
    const kp = still(n);
    let absent = 0;
    for (let seed = 0; seed < 20; seed++) {
      const v = degradeSequence(kp, n, createRng(seed));
      expect(Math.abs(v.pose.yaw)).toBeLessThanOrEqual((15 * Math.PI) / 180);
      expect(Math.abs(v.pose.pitch)).toBeLessThanOrEqual((10 * Math.PI) / 180);
      expect(v.pose.distance).toBeGreaterThanOrEqual(88 - 1e-9);
      expect(v.pose.distance).toBeLessThanOrEqual(132 + 1e-9);
      let err = 0;
      let m = 0;
      for (let k = 0; k < n; k++) {
        if (!v.present[k]) continue;
        for (let j = 0; j < 49; j++) {
          err += Math.hypot(v.points[k * PIANIST_DIM + j * 3] - kp[k * PIANIST_DIM + j * 3], v.points[k * PIANIST_DIM + j * 3 + 1] - kp[k * PIANIST_DIM + j * 3 + 1]);
          m++;
        }
      }
      expect(err / m).toBeLessThan(12);
      expect(err / m).toBeGreaterThan(0.5);
      const zHand = v.points[0 * PIANIST_DIM + (RIGHT_HAND + 8) * 3 + 2];
      if (!v.depth) {
        absent++;
        expect(zHand).toBe(0);
      }
      expect(v.points[2]).toBe(0); // body joints never carry depth
    }
    expect(absent).toBeGreaterThan(3);
    expect(absent).toBeLessThan(17);
  });

  it('range-checks options', () => {
    expect(() => fillDegradeOptions({ missingRate: 2 })).toThrow(/missingRate must be in 0\.\.0\.9/);
    expect(fillDegradeOptions().jitterCm).toBe(1);
  });
});
