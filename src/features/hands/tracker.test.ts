import { describe, expect, it } from 'vitest';
import { copyHands, createHandsFrame, createHandTracker, DEFAULT_HAND_TRACKER_OPTIONS, fillHandTrackerOptions, performerSide } from './tracker';

describe('hand tracker options (the model itself runs in tests/browser/hands-reference.test.ts)', () => {
  it('has frozen defaults: full model, two hands, from the app-served /mediapipe/hands, un-mirrored frames', () => {
    expect(Object.isFrozen(DEFAULT_HAND_TRACKER_OPTIONS)).toBe(true);
    expect(fillHandTrackerOptions()).toEqual({ modelType: 'full', solutionPath: '/mediapipe/hands', maxHands: 2, mirrored: false });
    expect(Object.isFrozen(fillHandTrackerOptions({ modelType: 'lite' }))).toBe(true);
  });

  it('keeps explicit values (?? not ||)', () => {
    expect(fillHandTrackerOptions({ mirrored: true }).mirrored).toBe(true);
    expect(fillHandTrackerOptions({ maxHands: 1 }).maxHands).toBe(1);
  });

  it('rejects bad values with errors that list the valid ones', () => {
    expect(() => fillHandTrackerOptions({ modelType: 'heavy' as 'full' })).toThrow(/modelType must be one of 'lite', 'full' \(got "heavy"\)/);
    expect(() => fillHandTrackerOptions({ maxHands: 0 })).toThrow(/maxHands must be one of 1, 2 \(got 0\)/);
    expect(() => fillHandTrackerOptions({ maxHands: 1.5 })).toThrow(/maxHands must be one of 1, 2/);
    expect(() => fillHandTrackerOptions({ solutionPath: '' })).toThrow(/solutionPath must be a non-empty URL path/);
    expect(() => fillHandTrackerOptions({ solutionPath: 'https://cdn.jsdelivr.net/npm/@mediapipe/hands' })).toThrow(/must be served by the app/);
    expect(() => fillHandTrackerOptions({ mirrored: 'yes' as unknown as boolean })).toThrow(/mirrored must be true or false/);
    expect(fillHandTrackerOptions({ solutionPath: 'http://localhost:5173/mediapipe/hands' }).solutionPath).toContain('localhost');
  });

  it('does no I/O when created and disposes safely twice', async () => {
    const t = createHandTracker({ modelType: 'lite' });
    expect(t.options.modelType).toBe('lite');
    t.dispose();
    t.dispose();
    await expect(t.load()).rejects.toThrow(/after dispose/);
    await expect(t.estimate({ width: 1, height: 1 } as HTMLCanvasElement, 0)).rejects.toThrow(/after dispose/);
  });
});

describe('handedness: MediaPipe labels as if the image were mirrored', () => {
  it('un-mirrored camera frames: MediaPipe Left is the performer\'s right hand, and vice versa', () => {
    expect(performerSide('Left', false)).toBe('right');
    expect(performerSide('Right', false)).toBe('left');
  });

  it('mirrored (selfie) frames: the labels are the performer\'s', () => {
    expect(performerSide('Left', true)).toBe('left');
    expect(performerSide('Right', true)).toBe('right');
  });

  it('unknown labels give null', () => {
    expect(performerSide('left', false)).toBeNull();
    expect(performerSide('', true)).toBeNull();
  });
});

/** A detected hand with landmark j at (x0 + j, y0 + 2j) in mediapipe's output image, world (j, -j, 0.5j) mm. */
function detected(label: string, score: number, x0: number, y0: number): { keypoints: { x: number; y: number }[]; keypoints3D: { x: number; y: number; z: number }[]; handedness: string; score: number } {
  return {
    keypoints: Array.from({ length: 21 }, (_, j) => ({ x: x0 + j, y: y0 + 2 * j })),
    keypoints3D: Array.from({ length: 21 }, (_, j) => ({ x: j / 1000, y: -j / 1000, z: j / 2000 })),
    handedness: label,
    score,
  };
}

describe('copyHands (result -> preallocated frame)', () => {
  it('copies keypoints and world landmarks, maps the side, keeps MediaPipe order', () => {
    const f = createHandsFrame(2);
    const n = copyHands([detected('Left', 0.9, 100, 200), detected('Right', 0.8, 300, 50)], f, false, 640, 480, 640, 480);
    expect(n).toBe(2);
    expect(f.hands[0].side).toBe('right');
    expect(f.hands[0].handednessScore).toBeCloseTo(0.9, 6);
    expect(f.hands[1].side).toBe('left');
    expect(Array.from(f.hands[0].keypoints.subarray(0, 4))).toEqual([100, 200, 101, 202]);
    expect(f.hands[1].keypoints[20 * 2]).toBe(320);
    expect(f.hands[1].keypoints[20 * 2 + 1]).toBe(90);
    expect(f.hands[0].world[20 * 3]).toBeCloseTo(0.02, 6);
    expect(f.hands[0].world[20 * 3 + 1]).toBeCloseTo(-0.02, 6);
    expect(f.hands[0].world[20 * 3 + 2]).toBeCloseTo(0.01, 6);
  });

  it('rescales from mediapipe\'s output image to the source size', () => {
    const f = createHandsFrame(1);
    copyHands([detected('Right', 0.7, 100, 100)], f, true, 1280, 960, 640, 480);
    expect(f.hands[0].side).toBe('right');
    expect(f.hands[0].keypoints[0]).toBe(200);
    expect(f.hands[0].keypoints[1]).toBe(200);
  });

  it('reuses the same arrays (no allocation per frame) and stops at maxHands; skips unknown labels', () => {
    const f = createHandsFrame(1);
    const kp = f.hands[0].keypoints;
    const n = copyHands([detected('Other', 0.9, 0, 0), detected('Left', 0.6, 1, 1), detected('Right', 0.9, 5, 5)], f, false, 10, 10, 10, 10);
    expect(n).toBe(1);
    expect(f.hands[0].keypoints).toBe(kp);
    expect(f.hands[0].side).toBe('right');
    expect(f.hands[0].keypoints[0]).toBe(1);
  });

  it('no hands: count 0', () => {
    expect(copyHands([], createHandsFrame(2), false, 10, 10, 10, 10)).toBe(0);
  });
});
