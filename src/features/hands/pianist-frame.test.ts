import { describe, expect, it } from 'vitest';
import { LEFT_HAND, PIANIST_DIM, RIGHT_HAND } from '../piano/layout';
import {
  assignHands, BODY_FROM_BLAZEPOSE, composePianistFrame, DEFAULT_PIANIST_FRAME_OPTIONS, fillPianistFrameOptions, fromKeyboardCalibration, PIANIST_BODY,
  PIANIST_LEFT_HAND, PIANIST_RIGHT_HAND, type PoseInput,
} from './pianist-frame';
import { calibrateKeyboard, toViewRepresentation } from '../piano/view';
import { createHandsFrame } from './tracker';
import type { HandSide, ImageToKeyboard } from './types';

/**
 * A stand-in calibration: an un-mirrored 640x480 camera facing the performer, so the keyboard's high notes (performer's
 * right) are toward the image's left: x_cm = (320 - x_px) / 2, y_cm = (240 - y_px) / 2.
 */
const toKeyboard: ImageToKeyboard = {
  project(x, y, out, o) {
    out[o] = (320 - x) / 2;
    out[o + 1] = (240 - y) / 2;
  },
};

/** A BlazePose frame: landmark b at (10 b, 5 b) px, every visibility 0.9. */
function pose(): PoseInput & { keypoints: Float32Array; visibility: Float32Array } {
  const keypoints = new Float32Array(33 * 3);
  for (let b = 0; b < 33; b++) {
    keypoints[b * 3] = 10 * b;
    keypoints[b * 3 + 1] = 5 * b;
  }
  return { keypoints, visibility: new Float32Array(33).fill(0.9) };
}

/** Sets hand slot i: wrist at (x, y) px, landmark j at (x + 2j, y - 3j) (hand size = |landmark 9 - wrist| = 32.4 px), world z = j mm. */
function setHand(f: ReturnType<typeof createHandsFrame>, i: number, side: HandSide, x: number, y: number): void {
  const h = f.hands[i];
  h.side = side;
  h.handednessScore = 0.9;
  for (let j = 0; j < 21; j++) {
    h.keypoints[j * 2] = x + 2 * j;
    h.keypoints[j * 2 + 1] = y - 3 * j;
    h.world[j * 3 + 2] = j / 1000;
  }
  f.count = Math.max(f.count, i + 1);
}

/** BlazePose landmarks of the performer's right and left wrists. */
const R_WRIST = 16;
const L_WRIST = 15;

function poseWithWrists(rx: number, ry: number, lx: number, ly: number): ReturnType<typeof pose> {
  const p = pose();
  p.keypoints[R_WRIST * 3] = rx;
  p.keypoints[R_WRIST * 3 + 1] = ry;
  p.keypoints[L_WRIST * 3] = lx;
  p.keypoints[L_WRIST * 3 + 1] = ly;
  return p;
}

describe('composePianistFrame: body', () => {
  it('takes nose, shoulders, elbows and wrists (performer\'s right first) through the calibration', () => {
    expect(BODY_FROM_BLAZEPOSE).toEqual([0, 12, 11, 14, 13, 16, 15]);
    const out = new Float32Array(PIANIST_DIM);
    const mask = composePianistFrame(pose(), null, toKeyboard, out);
    expect(mask).toBe(PIANIST_BODY);
    // r_shoulder = BlazePose 12 at (120, 60) px -> (100, 90) cm; z 0.
    expect(Array.from(out.subarray(3, 6))).toEqual([100, 90, 0]);
    // l_wrist = BlazePose 15 at (150, 75) px -> (85, 82.5) cm.
    expect(Array.from(out.subarray(18, 21))).toEqual([85, 82.5, 0]);
    // No hands: all 42 hand keypoints NaN.
    for (let i = RIGHT_HAND * 3; i < PIANIST_DIM; i++) expect(out[i]).toBeNaN();
  });

  it('a joint below minVisibility is NaN, not invented; no pose leaves the body NaN', () => {
    const p = pose();
    p.visibility[13] = 0.2; // left elbow
    const out = new Float32Array(PIANIST_DIM);
    composePianistFrame(p, null, toKeyboard, out);
    expect(out[4 * 3]).toBeNaN(); // l_elbow
    expect(out[4 * 3 + 1]).toBeNaN();
    expect(out[3 * 3]).toBe((320 - 140) / 2); // r_elbow (BlazePose 14) still there
    expect(composePianistFrame(null, null, toKeyboard, out)).toBe(0);
    expect(out.every((v) => Number.isNaN(v))).toBe(true);
  });

  it('body z is 0 with either depth (the view representation does not trust BlazePose depth)', () => {
    const out = new Float32Array(PIANIST_DIM);
    for (const depth of ['relative', 'none'] as const) {
      composePianistFrame(pose(), null, toKeyboard, out, fillPianistFrameOptions({ depth }));
      for (let j = 0; j < 7; j++) expect(out[j * 3 + 2]).toBe(0);
    }
  });
});

describe('composePianistFrame: hands', () => {
  it('one hand: written to its side\'s slots, the other hand NaN', () => {
    const f = createHandsFrame(2);
    setHand(f, 0, 'left', 400, 300);
    const out = new Float32Array(PIANIST_DIM);
    const mask = composePianistFrame(null, f, toKeyboard, out);
    expect(mask).toBe(PIANIST_LEFT_HAND);
    expect(Array.from(out.subarray(LEFT_HAND * 3, LEFT_HAND * 3 + 3))).toEqual([-40, -30, 0]);
    // landmark 20 at (440, 240) px -> (-60, 0) cm
    expect(Array.from(out.subarray((LEFT_HAND + 20) * 3, (LEFT_HAND + 20) * 3 + 2))).toEqual([-60, 0]);
    for (let i = RIGHT_HAND * 3; i < LEFT_HAND * 3; i++) expect(out[i]).toBeNaN();
  });

  it('BlazePose wrists decide over the labels when both are seen and near', () => {
    const f = createHandsFrame(2);
    setHand(f, 0, 'left', 100, 300); // labelled left, but at BlazePose's right wrist
    setHand(f, 1, 'left', 500, 310);
    const p = poseWithWrists(105, 305, 490, 300);
    const out = new Float32Array(PIANIST_DIM);
    const mask = composePianistFrame(p, f, toKeyboard, out);
    expect(mask).toBe(PIANIST_BODY | PIANIST_RIGHT_HAND | PIANIST_LEFT_HAND);
    expect(out[RIGHT_HAND * 3]).toBe((320 - 100) / 2);
    expect(out[LEFT_HAND * 3]).toBe((320 - 500) / 2);
    // Swapped order in the frame: same answer.
    setHand(f, 0, 'right', 500, 310);
    setHand(f, 1, 'right', 100, 300);
    composePianistFrame(p, f, toKeyboard, out);
    expect(out[RIGHT_HAND * 3]).toBe((320 - 100) / 2);
    expect(out[LEFT_HAND * 3]).toBe((320 - 500) / 2);
  });

  it('one hand near a BlazePose wrist goes to that side whatever its label', () => {
    const f = createHandsFrame(2);
    setHand(f, 0, 'right', 480, 300);
    const a = assignHands(poseWithWrists(100, 300, 490, 300), f, toKeyboard, DEFAULT_PIANIST_FRAME_OPTIONS, { right: -1, left: -1 });
    expect(a).toEqual({ right: -1, left: 0 });
  });

  it('hands far from BlazePose\'s wrists (beyond wristMatchRadius hand sizes): the labels decide', () => {
    const f = createHandsFrame(2);
    setHand(f, 0, 'left', 100, 300);
    // Wrists 200 px away (> 1.5 x 32.4 px).
    const a = assignHands(poseWithWrists(300, 100, 600, 100), f, toKeyboard, DEFAULT_PIANIST_FRAME_OPTIONS, { right: -1, left: -1 });
    expect(a).toEqual({ right: -1, left: 0 });
    // With a generous radius the nearer wrist (right, 283 px vs 539 px) wins.
    const b = assignHands(poseWithWrists(300, 100, 600, 100), f, toKeyboard, fillPianistFrameOptions({ wristMatchRadius: 20 }), { right: -1, left: -1 });
    expect(b).toEqual({ right: 0, left: -1 });
  });

  it('a BlazePose wrist below minVisibility: the labels decide', () => {
    const f = createHandsFrame(2);
    setHand(f, 0, 'left', 100, 300);
    setHand(f, 1, 'right', 500, 300);
    const p = poseWithWrists(105, 305, 495, 305);
    p.visibility[L_WRIST] = 0.1;
    expect(assignHands(p, f, toKeyboard, DEFAULT_PIANIST_FRAME_OPTIONS, { right: -1, left: -1 })).toEqual({ right: 1, left: 0 });
  });

  it('two hands with the same label and no pose: the one further toward the high notes is the right hand', () => {
    const f = createHandsFrame(2);
    setHand(f, 0, 'right', 500, 300); // keyboard x = -90 cm
    setHand(f, 1, 'right', 100, 300); // keyboard x = +110 cm
    expect(assignHands(null, f, toKeyboard, DEFAULT_PIANIST_FRAME_OPTIONS, { right: -1, left: -1 })).toEqual({ right: 1, left: 0 });
  });

  it('depth "relative": hand z relative to its own wrist, cm', () => {
    const f = createHandsFrame(2);
    setHand(f, 0, 'right', 100, 300);
    const out = new Float32Array(PIANIST_DIM);
    const relative = fillPianistFrameOptions({ depth: 'relative' });
    composePianistFrame(null, f, toKeyboard, out, relative);
    expect(out[RIGHT_HAND * 3 + 2]).toBe(0);
    expect(out[(RIGHT_HAND + 20) * 3 + 2]).toBeCloseTo(2, 5); // 20 mm
    composePianistFrame(null, f, toKeyboard, out); // default 'none'
    expect(out[(RIGHT_HAND + 20) * 3 + 2]).toBe(0);
    f.hands[0].world[20 * 3 + 2] = Number.NaN; // no depth for a landmark: 0, as in the view representation
    composePianistFrame(null, f, toKeyboard, out, relative);
    expect(out[(RIGHT_HAND + 20) * 3 + 2]).toBe(0);
    expect(out[(RIGHT_HAND + 20) * 3]).toBe((320 - 140) / 2);
  });

  it('matches the shared view representation (features/piano/view.ts) for the same image landmarks', () => {
    const cal = calibrateKeyboard({ u: 560, v: 300 }, { u: 80, v: 310 });
    const f = createHandsFrame(2);
    setHand(f, 0, 'right', 150, 330);
    setHand(f, 1, 'left', 480, 320);
    const p = pose();
    const ours = new Float32Array(PIANIST_DIM);
    composePianistFrame(p, f, fromKeyboardCalibration(cal), ours, fillPianistFrameOptions({ depth: 'relative' }));
    // The same landmarks as view.ts's input: u, v px and a depth per keypoint (hands: world z in m, x100 -> cm).
    const image = new Float32Array(PIANIST_DIM);
    BODY_FROM_BLAZEPOSE.forEach((b, j) => image.set([p.keypoints[b * 3], p.keypoints[b * 3 + 1], NaN], j * 3));
    for (const [slot, h] of [[RIGHT_HAND, f.hands[0]], [LEFT_HAND, f.hands[1]]] as const) {
      for (let l = 0; l < 21; l++) image.set([h.keypoints[l * 2], h.keypoints[l * 2 + 1], h.world[l * 3 + 2]], (slot + l) * 3);
    }
    const theirs = new Float32Array(PIANIST_DIM);
    toViewRepresentation(cal, image, 100, theirs);
    for (let i = 0; i < PIANIST_DIM; i++) expect(ours[i], `value ${i}`).toBeCloseTo(theirs[i], 3);
    // The calibration puts the left end at x = -KEYBOARD_WIDTH / 2 on the left hand's side of the image.
    expect(ours[LEFT_HAND * 3]).toBeLessThan(ours[RIGHT_HAND * 3]);
  });

  it('count 0 (no hand in view): hands NaN, mask without hand bits', () => {
    const f = createHandsFrame(2);
    const out = new Float32Array(PIANIST_DIM);
    expect(composePianistFrame(pose(), f, toKeyboard, out)).toBe(PIANIST_BODY);
    for (let i = RIGHT_HAND * 3; i < PIANIST_DIM; i++) expect(out[i]).toBeNaN();
  });
});

describe('pianist frame options and checks', () => {
  it('frozen defaults and errors listing valid values', () => {
    expect(Object.isFrozen(DEFAULT_PIANIST_FRAME_OPTIONS)).toBe(true);
    expect(fillPianistFrameOptions()).toEqual({ minVisibility: 0.5, depth: 'none', wristMatchRadius: 1.5 });
    expect(fillPianistFrameOptions({ minVisibility: 0 }).minVisibility).toBe(0);
    expect(() => fillPianistFrameOptions({ depth: 'metric' as 'none' })).toThrow(/depth must be one of 'none', 'relative'/);
    expect(() => fillPianistFrameOptions({ minVisibility: 2 })).toThrow(/minVisibility must be a number in \[0, 1\]/);
    expect(() => fillPianistFrameOptions({ wristMatchRadius: 0 })).toThrow(/wristMatchRadius must be a positive number/);
  });

  it('out must hold 147 values', () => {
    expect(() => composePianistFrame(null, null, toKeyboard, new Float32Array(10))).toThrow(/out must hold 147 values \(49 keypoints x 3\), got 10/);
  });
});
