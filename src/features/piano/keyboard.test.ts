import { describe, expect, it } from 'vitest';
import { KEYBOARD_WIDTH, KEYS, NUM_KEYS, NUM_WHITE_KEYS, WHITE_KEY_WIDTH, isBlack, keyAt, keyOf } from './keyboard';
import { FINGERTIPS, NUM_PIANIST_KEYPOINTS, PIANIST_BONES, PIANIST_KEYPOINT_NAMES, handKeypoint } from './layout';

describe('keyboard geometry', () => {
  it('has 88 keys, 52 white, symmetric about x = 0', () => {
    expect(KEYS.length).toBe(NUM_KEYS);
    expect(KEYS.filter((k) => !k.black).length).toBe(NUM_WHITE_KEYS);
    expect(KEYBOARD_WIDTH).toBeCloseTo(122.2, 6);
    expect(keyOf(21).x).toBeCloseTo(-KEYBOARD_WIDTH / 2 + WHITE_KEY_WIDTH / 2, 6);
    expect(keyOf(108).x).toBeCloseTo(KEYBOARD_WIDTH / 2 - WHITE_KEY_WIDTH / 2, 6);
    // Between E4 (64) and F4 (65) is the middle of the 52 white keys.
    expect((keyOf(64).x + keyOf(65).x) / 2).toBeCloseTo(0, 6);
  });
  it('places an octave at 16.45 cm and keys in pitch order', () => {
    expect(keyOf(72).x - keyOf(60).x).toBeCloseTo(16.45, 6);
    for (let i = 1; i < KEYS.length; i++) expect(KEYS[i].x).toBeGreaterThan(KEYS[i - 1].x);
    expect(isBlack(61)).toBe(true);
    expect(isBlack(60)).toBe(false);
  });
  it('finds the key under a point (black keys win behind their front edge)', () => {
    expect(keyAt(keyOf(60).x, -1)).toBe(60);
    expect(keyAt(keyOf(61).x, -12)).toBe(61);
    expect(keyAt(keyOf(61).x, -2)).not.toBe(61);
    expect(keyAt(0, 1)).toBe(-1);
    expect(keyAt(KEYBOARD_WIDTH, -3)).toBe(-1);
    expect(() => keyOf(20)).toThrow(/21\.\.108/);
  });
});

describe('pianist layout', () => {
  it('has 49 keypoints with fingertips in each hand', () => {
    expect(NUM_PIANIST_KEYPOINTS).toBe(49);
    expect(PIANIST_KEYPOINT_NAMES.length).toBe(49);
    expect(PIANIST_KEYPOINT_NAMES[handKeypoint('r', FINGERTIPS[1])]).toBe('r_index_finger_tip');
    expect(PIANIST_KEYPOINT_NAMES[handKeypoint('l', 0)]).toBe('l_wrist');
    for (const [a, b] of PIANIST_BONES) {
      expect(a).toBeLessThan(49);
      expect(b).toBeLessThan(49);
    }
  });
});
