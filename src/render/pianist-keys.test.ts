import { describe, expect, it } from 'vitest';
import { BLACK_KEY_HEIGHT, KEY_DIP, KEYS, keyOf, NUM_KEYS, WHITE_KEY_LENGTH } from '../features/piano/keyboard';
import { handKeypoint, PIANIST_DIM } from '../features/piano/layout';
import { clampActivation, DEFAULT_KEY_PALETTE, fingertipKeyActivations, KEY_BOX_DIM, keyBox, keyColor, keyDip, WHITE_KEY_DEPTH, WHITE_KEY_GAP } from './pianist-keys';
import { pianistRestPose } from './pianist-rest';

describe('key boxes', () => {
  it('places each key where keyboard.ts puts it, white keys tiling the keyboard with a gap', () => {
    const b = new Float32Array(KEY_BOX_DIM);
    let prevRight = -Infinity;
    for (const k of KEYS) {
      keyBox(k.index, 0, b);
      expect(b[0]).toBeCloseTo(k.x, 5);
      // Top of the drawn box at rest is the key's top; front edge at the key's front.
      expect(b[1] + b[4] / 2).toBeCloseTo(k.top, 5);
      expect(b[2] + b[5] / 2).toBeCloseTo(k.front, 5);
      expect(b[5]).toBe(k.length);
      if (!k.black) {
        expect(b[3]).toBeCloseTo(k.width - WHITE_KEY_GAP, 5);
        const left = b[0] - b[3] / 2;
        expect(left - prevRight).toBeGreaterThan(0.1);
        prevRight = b[0] + b[3] / 2;
      } else {
        expect(b[1] + b[4] / 2).toBeCloseTo(BLACK_KEY_HEIGHT, 5);
      }
    }
    // Golden: middle C's box (white, 2.19 cm wide, centred at x = -5.875, 7.5 cm deep into the keyboard).
    keyBox(keyOf(60).index, 0, b);
    expect(Array.from(b).map((v) => Math.round(v * 1000) / 1000)).toEqual([-5.875, -1.1, -7.5, 2.19, WHITE_KEY_DEPTH, WHITE_KEY_LENGTH]);
    expect(() => keyBox(88, 0, b)).toThrow(/0\.\.87/);
  });

  it('dips a key by its clamped activation (KEY_DIP at 1)', () => {
    const b = new Float32Array(KEY_BOX_DIM);
    const rest = keyBox(39, 0, b)[1];
    expect(keyBox(39, 1, b)[1]).toBeCloseTo(rest - KEY_DIP, 6);
    expect(keyBox(39, 0.5, b)[1]).toBeCloseTo(rest - KEY_DIP / 2, 6);
    expect(keyBox(39, 7, b)[1]).toBeCloseTo(rest - KEY_DIP, 6);
    expect(keyDip(Number.NaN)).toBe(0);
    expect(keyDip(-1)).toBe(0);
    expect(clampActivation(0.25)).toBe(0.25);
  });
});

describe('key colours', () => {
  it('keeps rest colours at 0 and takes the channel colour at 1 (golden sRGB)', () => {
    const c = new Float32Array(3);
    expect(Array.from(keyColor(false, 0, 0, c))).toEqual([0xf2 / 255, 0xef / 255, 0xe6 / 255].map(Math.fround));
    expect(Array.from(keyColor(true, 0, 0, c))).toEqual([0x1c / 255, 0x1d / 255, 0x22 / 255].map(Math.fround));
    expect(Array.from(keyColor(false, 1, 0, c))).toEqual([0x4a / 255, 0xa3 / 255, 0xff / 255].map(Math.fround));
    expect(Array.from(keyColor(true, 0, 1, c))).toEqual([0xff / 255, 0x9a / 255, 0x3c / 255].map(Math.fround));
    // Half way: the mean of white and the Listen blue.
    keyColor(false, 0.5, 0, c);
    expect(c[0]).toBeCloseTo((0xf2 + 0x4a) / 2 / 255, 6);
    expect(DEFAULT_KEY_PALETTE.listen).toBe(0x4aa3ff);
  });
});

describe('fingertip key activations', () => {
  const out = new Float32Array(NUM_KEYS);

  it('lights the 10 keys under the rest pose fingertips (all touching) and nothing else', () => {
    fingertipKeyActivations(pianistRestPose(), out);
    const lit = [...out.keys()].filter((i) => out[i] > 0).map((i) => i + 21);
    expect(lit).toEqual([48, 50, 52, 53, 55, 60, 62, 64, 65, 67]);
    expect([...out].filter((v) => v > 0).every((v) => v === 1)).toBe(true);
  });

  it('fades a fingertip lifted above its key and ignores missing fingertips', () => {
    const pose = pianistRestPose(new Float32Array(PIANIST_DIM));
    const tip = handKeypoint('r', 8) * 3; // right index finger on D4
    pose[tip + 1] = 0.25;
    pose[handKeypoint('r', 12) * 3 + 1] = 3; // middle finger lifted 3 cm: nothing
    pose[handKeypoint('l', 4) * 3] = Number.NaN; // left thumb missing
    fingertipKeyActivations(pose, out);
    expect(out[62 - 21]).toBeCloseTo(0.75, 6);
    expect(out[64 - 21]).toBe(0);
    expect(out[55 - 21]).toBe(0);
    expect(out[60 - 21]).toBe(1);
    expect(() => fingertipKeyActivations(pose, out, 0)).toThrow(/tolerance/);
  });

  it('finds a black key under a fingertip behind the black keys\' front edge', () => {
    const pose = pianistRestPose(new Float32Array(PIANIST_DIM));
    const tip = handKeypoint('r', 8) * 3;
    pose[tip] = keyOf(61).x;
    pose[tip + 1] = BLACK_KEY_HEIGHT;
    pose[tip + 2] = keyOf(61).front - 1.5;
    fingertipKeyActivations(pose, out);
    expect(out[61 - 21]).toBeCloseTo(1, 5); // float32 pose: 1.2 is not exact
    expect(out[62 - 21]).toBe(0);
  });
});
