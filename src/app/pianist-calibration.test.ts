import { describe, expect, it } from 'vitest';
import { createHandsFrame } from '../features/hands/tracker';
import type { HandSide } from '../features/hands/types';
import { imageToKeyboard } from '../features/piano/view';
import { CALIBRATION_PROMPTS } from '../features/hands/calibration';
import {
  CALIBRATION_MESSAGES, calibrationText, DEFAULT_PIANIST_CALIBRATION_OPTIONS, HAND_SEEN_MS, defaultCalibration, fillPianistCalibrationOptions, PianistCalibration,
  type CalibrationEvent,
} from './pianist-calibration';

const W = 640;
const H = 480;
/** 25 fps hand estimates, ms (exact in binary, so hold times are exact). */
const DT = 40;

/** A hand at image point (x, y) px: index fingertip (landmark 8) there, knuckles 5 and 17 55 px apart around it. */
interface Hand {
  side: HandSide;
  x: number;
  y: number;
}

const frame = createHandsFrame(2);

/** Fills the shared frame with `hands` (every landmark at the hand's point except the knuckles). */
function handsFrame(...hands: Hand[]): typeof frame {
  frame.count = hands.length;
  hands.forEach((h, i) => {
    const slot = frame.hands[i];
    slot.side = h.side;
    for (let k = 0; k < 21; k++) {
      slot.keypoints[2 * k] = h.x;
      slot.keypoints[2 * k + 1] = h.y;
    }
    slot.keypoints[10] = h.x - 27.5; // index knuckle
    slot.keypoints[11] = h.y + 20;
    slot.keypoints[34] = h.x + 27.5; // little-finger knuckle
    slot.keypoints[35] = h.y + 20;
  });
  return frame;
}

/** Feeds a frame every DT ms for t in [from, to), hands from `at(t)`; returns the events with their times (ms). */
function run(cal: PianistCalibration, from: number, to: number, at: (t: number) => Hand[]): Array<[number, CalibrationEvent]> {
  const events: Array<[number, CalibrationEvent]> = [];
  for (let t = from; t < to; t += DT) {
    const e = cal.update(handsFrame(...at(t)), t, W, H);
    if (e !== 'none') events.push([t, e]);
  }
  return events;
}

const xy = new Float32Array(2);

describe('PianistCalibration', () => {
  it('the first seen hand sets the default calibration (right hand: knuckles 6 cm right of middle C, 4.9 cm above the keys)', () => {
    const cal = new PianistCalibration();
    expect(cal.state()).toEqual({ inUse: 'none', step: 'idle', calibrating: false, progress: 0, handSeen: false, message: '' });
    expect(cal.update(null, 0, W, H)).toBe('none');
    expect(cal.update(handsFrame(), 40, W, H)).toBe('none'); // no hand
    expect(cal.update(handsFrame({ side: 'right', x: 320, y: 200 }), 80, W, H)).toBe('default');
    expect(cal.inUse).toBe('default');
    // Knuckles 55 px apart = 5.5 cm: 0.1 cm/px; their midpoint (320, 220) at x = middle C (-5.875) + 6, y = 4.9 cm.
    imageToKeyboard(cal.keyboard!, 320, 220, xy);
    expect(xy[0]).toBeCloseTo(0.125, 4);
    expect(xy[1]).toBeCloseTo(4.9, 4);
    imageToKeyboard(cal.keyboard!, 330, 220, xy);
    expect(xy[0]).toBeCloseTo(1.125, 4);
    // Later hands do not change it.
    const first = cal.keyboard;
    expect(cal.update(handsFrame({ side: 'left', x: 100, y: 100 }), 120, W, H)).toBe('none');
    expect(cal.keyboard).toBe(first);
  });

  it('left end held 1.2 s, then right end held 1.2 s: the calibration maps the two points onto the keyboard ends', () => {
    const cal = new PianistCalibration();
    run(cal, 0, 200, () => [{ side: 'right', x: 320, y: 200 }]);
    const before = cal.keyboard;
    expect(cal.inUse).toBe('default');
    cal.start();
    expect(cal.state()).toMatchObject({ inUse: 'default', step: 'left', calibrating: true, progress: 0 });
    expect(cal.message).toMatch(/left index fingertip at the keyboard's left end/);
    // Left fingertip still at (560, 300) (the performer's left, un-mirrored: the image's right) from t = 1000 ms; the
    // right hand moves around meanwhile (ignored: the step asks for the left hand).
    const wander = (t: number): Hand => ({ side: 'right', x: 100 + ((t / 2) % 200), y: 250 });
    let ev = run(cal, 1000, 1960, (t) => [{ side: 'left', x: 560, y: 300 }, wander(t)]);
    expect(ev).toEqual([]);
    expect(cal.step).toBe('left');
    expect(cal.progress).toBeCloseTo(920 / 1000, 6);
    // Held for exactly holdMs (1000 ms) at t = 2000: the right end is asked for.
    ev = run(cal, 1960, 2200, (t) => [{ side: 'left', x: 560, y: 300 }, wander(t)]);
    expect(ev).toEqual([]);
    expect(cal.step).toBe('right');
    expect(cal.message).toMatch(/right index fingertip at the keyboard's right end/);
    expect(cal.calibrating).toBe(true);
    expect(cal.keyboard).toBe(before); // still the default while calibrating
    // Right fingertip still at (80, 310) from t = 2200 ms: done at 3200 ms.
    ev = run(cal, 2200, 3400, () => [{ side: 'left', x: 560, y: 300 }, { side: 'right', x: 80, y: 310 }]);
    expect(ev).toEqual([[3200, 'calibrated']]);
    expect(cal.state()).toEqual({ inUse: 'calibrated', step: 'done', calibrating: false, progress: 1, handSeen: false, message: CALIBRATION_MESSAGES.done });
    imageToKeyboard(cal.keyboard!, 560, 300, xy);
    expect(xy[0]).toBeCloseTo(-61.1, 3); // the left edge of A0 (KEYBOARD_WIDTH 122.2 cm)
    expect(xy[1]).toBeCloseTo(0, 3);
    imageToKeyboard(cal.keyboard!, 80, 310, xy);
    expect(xy[0]).toBeCloseTo(61.1, 3); // the right edge of C8
    expect(xy[1]).toBeCloseTo(0, 3);
    imageToKeyboard(cal.keyboard!, 320, 305, xy);
    expect(xy[0]).toBeCloseTo(0, 3); // halfway: the keyboard's middle
    // Done: later frames change nothing.
    const done = cal.keyboard;
    expect(run(cal, 3400, 4000, () => [{ side: 'right', x: 300, y: 100 }])).toEqual([]);
    expect(cal.keyboard).toBe(done);
  });

  it('a moving hand gives no calibration; after stepTimeoutMs the calibration fails and the previous one stays', () => {
    const cal = new PianistCalibration(); // stillRadius 0.03 x 640 = 19.2 px; stepTimeoutMs 30 s
    run(cal, 0, 100, () => [{ side: 'left', x: 400, y: 200 }]);
    const before = cal.keyboard;
    cal.start();
    // The left fingertip sweeps 25 px per frame back and forth.
    const sweep = (t: number): Hand[] => [{ side: 'left', x: 300 + 25 * ((t / DT) % 8), y: 200 }];
    expect(run(cal, 1000, 6000, sweep)).toEqual([]);
    expect(cal.state()).toMatchObject({ inUse: 'default', step: 'left', calibrating: true });
    expect(cal.progress).toBeLessThan(0.1);
    // First step frame at t = 1000 ms: the frame past 31000 ms fails it.
    expect(run(cal, 6000, 32000, sweep)).toEqual([[31040, 'failed']]);
    expect(cal.state()).toMatchObject({ inUse: 'default', step: 'failed', calibrating: false, message: CALIBRATION_MESSAGES.timeoutLeft });
    expect(cal.keyboard).toBe(before);
    // A hand out of view during the right step times out the same way.
    cal.start();
    run(cal, 40000, 41200, () => [{ side: 'left', x: 560, y: 300 }]);
    expect(cal.step).toBe('right');
    expect(run(cal, 41200, 80000, () => [])).toEqual([[71040, 'failed']]);
    expect(cal.message).toBe(CALIBRATION_MESSAGES.timeoutRight);
    expect(cal.keyboard).toBe(before);
  });

  it('the same point shown twice fails (ends too close); the previous calibration stays; start() tries again', () => {
    const cal = new PianistCalibration(); // minSeparation 0.15 x 640 = 96 px
    run(cal, 0, 100, () => [{ side: 'right', x: 320, y: 200 }]);
    const before = cal.keyboard;
    cal.start();
    let ev = run(cal, 1000, 2200, () => [{ side: 'left', x: 500, y: 200 }]);
    expect(ev).toEqual([]);
    expect(cal.step).toBe('right');
    // The same fingertip (now labelled right) at about the same place.
    ev = run(cal, 2200, 3400, () => [{ side: 'right', x: 490, y: 205 }]);
    expect(ev).toEqual([[3200, 'failed']]);
    expect(cal.state()).toMatchObject({ inUse: 'default', step: 'failed', calibrating: false, message: CALIBRATION_MESSAGES.tooClose });
    expect(cal.keyboard).toBe(before);
    cal.start();
    run(cal, 4000, 5200, () => [{ side: 'left', x: 500, y: 200 }]);
    ev = run(cal, 5200, 6400, () => [{ side: 'right', x: 100, y: 210 }]);
    expect(ev).toEqual([[6200, 'calibrated']]);
    expect(cal.keyboard).not.toBe(before);
  });

  it('cancel() ends a calibration and keeps the calibration in use; a calibration can run before any default', () => {
    const cal = new PianistCalibration();
    cal.start();
    // No calibration yet: the calibrating hands do not set the default.
    expect(run(cal, 0, 400, () => [{ side: 'left', x: 560, y: 300 }])).toEqual([]);
    expect(cal.inUse).toBe('none');
    cal.cancel();
    expect(cal.state()).toEqual({ inUse: 'none', step: 'idle', calibrating: false, progress: 0, handSeen: false, message: '' });
    cal.cancel(); // twice: nothing
    // After the cancel the first hand sets the default again.
    expect(run(cal, 400, 480, () => [{ side: 'left', x: 560, y: 300 }])).toEqual([[400, 'default']]);
    const def = cal.keyboard;
    cal.start();
    run(cal, 1000, 1500, () => [{ side: 'left', x: 560, y: 300 }]);
    cal.cancel();
    expect(cal.keyboard).toBe(def);
    expect(cal.inUse).toBe('default');
  });

  it('a dropout shorter than maxGapMs (4000 ms in the app: estimates up to ~1.7 s plus the rest after each) keeps the hold', () => {
    const cal = new PianistCalibration();
    cal.start();
    // Estimates 600 ms apart (slow machine) with the left fingertip still: the hold completes at the third one.
    cal.update(handsFrame({ side: 'left', x: 560, y: 300 }), 0, W, H);
    cal.update(handsFrame({ side: 'left', x: 561, y: 300 }), 600, W, H);
    expect(cal.step).toBe('left');
    cal.update(handsFrame({ side: 'left', x: 560, y: 301 }), 1200, W, H);
    expect(cal.step).toBe('right');
  });

  it('sightings 2.6 s apart (a 1.7 s estimate plus its rest, software WebGL) still complete a hold', () => {
    const cal = new PianistCalibration();
    cal.start();
    cal.update(handsFrame({ side: 'left', x: 560, y: 300 }), 0, W, H);
    expect(cal.step).toBe('left');
    cal.update(handsFrame({ side: 'left', x: 561, y: 300 }), 2600, W, H);
    expect(cal.step).toBe('right');
    // A gap longer than maxGapMs (4000 ms) restarts the hold.
    cal.update(handsFrame({ side: 'right', x: 100, y: 300 }), 3000, W, H);
    cal.update(handsFrame({ side: 'right', x: 100, y: 300 }), 7100, W, H);
    expect(cal.step).toBe('right');
    expect(cal.progress).toBe(0);
  });
});

describe('pianist calibration options and the default calibration', () => {
  it('frozen defaults, ?? for given values, errors that list valid ranges', () => {
    expect(Object.isFrozen(DEFAULT_PIANIST_CALIBRATION_OPTIONS)).toBe(true);
    expect(DEFAULT_PIANIST_CALIBRATION_OPTIONS).toEqual({ flow: { holdMs: 1000, stillRadius: 0.03, maxGapMs: 4000, minSeparation: 0.15, landmark: 8 }, stepTimeoutMs: 30_000 });
    expect(fillPianistCalibrationOptions({ flow: { holdMs: 500 }, stepTimeoutMs: 600 })).toEqual({ flow: { holdMs: 500, stillRadius: 0.03, maxGapMs: 4000, minSeparation: 0.15, landmark: 8 }, stepTimeoutMs: 600 });
    expect(() => fillPianistCalibrationOptions({ stepTimeoutMs: 1000 })).toThrow(/stepTimeoutMs must be in \(flow.holdMs = 1000, 600000\] ms \(got 1000\)/);
    expect(() => fillPianistCalibrationOptions({ flow: { maxGapMs: -1 } })).toThrow(/maxGapMs must be in \[0, 5000\] ms/);
  });

  it('defaultCalibration: null for knuckles under 2 px apart; a left hand sits 6 cm left of middle C', () => {
    expect(defaultCalibration({ u: 10, v: 10 }, { u: 11, v: 10 }, true)).toBeNull();
    const cal = defaultCalibration({ u: 100, v: 50 }, { u: 210, v: 50 }, false)!; // 110 px = 5.5 cm: 0.05 cm/px
    imageToKeyboard(cal, 155, 50, xy);
    expect(xy[0]).toBeCloseTo(-11.875, 4);
    expect(xy[1]).toBeCloseTo(4.9, 4);
    imageToKeyboard(cal, 155, 150, xy); // 100 px lower: 5 cm lower
    expect(xy[1]).toBeCloseTo(-0.1, 4);
  });
});

describe('calibration feedback', () => {
  it('says when the asked-for hand is not seen, and how far the hold is once it is', () => {
    const cal = new PianistCalibration();
    cal.start();
    // Only a right hand in view while the left end is asked for.
    run(cal, 0, 400, () => [{ side: 'right', x: 500, y: 200 }]);
    expect(cal.handSeen).toBe(false);
    expect(calibrationText(cal)).toMatch(/No left hand seen yet/);
    // The left hand appears and holds still for 520 ms (from t = 400 to 880, frames 40 ms apart): about half the hold.
    run(cal, 400, 920, () => [{ side: 'left', x: 100, y: 200 }]);
    expect(cal.handSeen).toBe(true);
    expect(cal.progress).toBeCloseTo(0.48, 5);
    expect(calibrationText(cal)).toBe(`${CALIBRATION_PROMPTS.left} Holding still: 40%.`);
    // Gone for longer than HAND_SEEN_MS: not seen again.
    run(cal, 920, 920 + HAND_SEEN_MS + 2 * DT, () => []);
    expect(cal.handSeen).toBe(false);
    // Idle: the text is the message alone (empty).
    cal.cancel();
    expect(cal.handSeen).toBe(false);
    expect(calibrationText(cal)).toBe('');
  });
});
