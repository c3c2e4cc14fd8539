import { describe, expect, it } from 'vitest';
import { keyAt, keyOf } from '../features/piano/keyboard';
import { FINGERTIPS, NUM_PIANIST_KEYPOINTS, PIANIST_DIM, handKeypoint } from '../features/piano/layout';
import { lowestKeypointY, pianistRestPose, REST_KEYS } from './pianist-rest';

const pose = pianistRestPose();
const p = (k: number): [number, number, number] => [pose[k * 3], pose[k * 3 + 1], pose[k * 3 + 2]];
const dist = (a: number, b: number): number => Math.hypot(...p(a).map((v, i) => v - p(b)[i]));

describe('pianist rest pose', () => {
  it('is 49 finite keypoints and the same on every call', () => {
    expect(pose.length).toBe(PIANIST_DIM);
    expect(pose.every(Number.isFinite)).toBe(true);
    expect(Array.from(pianistRestPose(new Float32Array(PIANIST_DIM)))).toEqual(Array.from(pose));
    expect(() => pianistRestPose(new Float32Array(10))).toThrow(/147/);
  });

  it('rests every fingertip on its white key, at key height, in the pressing zone', () => {
    for (const [hand, keys] of [['r', REST_KEYS.right], ['l', REST_KEYS.left]] as const) {
      FINGERTIPS.forEach((tip, f) => {
        const [x, y, z] = p(handKeypoint(hand, tip));
        expect(y).toBe(0);
        expect(x).toBeCloseTo(keyOf(keys[f]).x, 5);
        // The key under the fingertip (top view) is the one it rests on.
        expect(keyAt(x, z)).toBe(keys[f]);
      });
    }
    expect(lowestKeypointY(pose)).toBe(0);
    // Golden: right thumb on middle C, 5.875 cm left of the keyboard's centre.
    expect(p(handKeypoint('r', 4))[0]).toBeCloseTo(-5.875, 5);
  });

  it('curves the fingers: each joint above the next one toward the tip, knuckles above the wrist', () => {
    for (const hand of ['r', 'l'] as const) {
      for (const tip of FINGERTIPS.slice(1)) {
        const [mcp, pip, dip, t] = [tip - 3, tip - 2, tip - 1, tip].map((l) => p(handKeypoint(hand, l)));
        expect(mcp[1]).toBeGreaterThan(pip[1]);
        expect(pip[1]).toBeGreaterThan(dip[1]);
        expect(dip[1]).toBeGreaterThan(t[1]);
        // Toward the fallboard (-z) from knuckle to tip.
        expect(mcp[2]).toBeGreaterThan(t[2]);
        expect(mcp[1]).toBeGreaterThan(p(handKeypoint(hand, 0))[1]);
      }
    }
  });

  it('has human proportions: forearm, upper arm and hand lengths in adult ranges (cm)', () => {
    for (const [sh, el, wr, hand] of [[1, 3, 5, 'r'], [2, 4, 6, 'l']] as const) {
      expect(dist(sh, el)).toBeGreaterThan(22);
      expect(dist(sh, el)).toBeLessThan(34);
      expect(dist(el, wr)).toBeGreaterThan(20);
      expect(dist(el, wr)).toBeLessThan(30);
      // Wrist to middle fingertip (hand length), adult 17-21 cm; curved fingers shorten the straight distance.
      const reach = dist(handKeypoint(hand, 0), handKeypoint(hand, 12));
      expect(reach).toBeGreaterThan(12);
      expect(reach).toBeLessThan(21);
      // The body's wrist joint is the hand's landmark 0.
      expect(dist(wr, handKeypoint(hand, 0))).toBe(0);
    }
    expect(dist(1, 2)).toBeCloseTo(36, 5);
  });

  it('puts the right hand to the right (+x) of the left, thumbs toward each other', () => {
    const rWrist = p(handKeypoint('r', 0))[0];
    const lWrist = p(handKeypoint('l', 0))[0];
    expect(rWrist).toBeGreaterThan(lWrist);
    expect(p(handKeypoint('r', 4))[0]).toBeLessThan(p(handKeypoint('r', 20))[0]);
    expect(p(handKeypoint('l', 4))[0]).toBeGreaterThan(p(handKeypoint('l', 20))[0]);
    expect(NUM_PIANIST_KEYPOINTS).toBe(49);
  });
});
