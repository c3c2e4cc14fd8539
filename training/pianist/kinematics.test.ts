import { describe, expect, it } from 'vitest';
import { KEY_DIP, keyOf, keyAt } from '../../src/features/piano/keyboard';
import { FINGERTIPS, LEFT_HAND, PIANIST_DIM, RIGHT_HAND } from '../../src/features/piano/layout';
import { createRng } from '../../src/features/piano/random';
import { noteFrames } from '../../src/features/piano/roll';
import { fingerPiece } from './fingering';
import { randomNotes } from './test-material';
import { DEFAULT_PIANIST, LIFT_MIN, WRIST_MAX_SPEED, performPiano, randomPianist } from './kinematics';

const FPS = 25;

function perform(seed: number, seconds = 20) {
  const { notes } = fingerPiece(randomNotes(seed, seconds));
  return performPiano(notes, seconds * FPS, FPS, randomPianist(createRng(seed)));
}

const tip = (kp: Float32Array, k: number, hand: 'r' | 'l', finger: number): number[] => {
  const j = (hand === 'r' ? RIGHT_HAND : LEFT_HAND) + FINGERTIPS[finger - 1];
  return Array.from(kp.subarray(k * PIANIST_DIM + j * 3, k * PIANIST_DIM + j * 3 + 3));
};

describe('kinematic pianist', () => {
  it('puts the fingertip on the key (pressed by KEY_DIP) exactly while the note sounds, and only then', () => {
    for (const seed of [1, 2]) {
      const p = perform(seed);
      const frames = p.numFrames;
      // pressed[hand][finger][frame] = midi
      const pressed = new Map<string, number>();
      for (const n of p.notes) {
        const [k0, k1] = noteFrames(n.start, n.end, FPS);
        expect(k1).toBeGreaterThan(k0);
        for (let k = k0; k < Math.min(k1, frames); k++) {
          const id = `${n.hand}${n.finger}@${k}`;
          expect(pressed.has(id), `finger ${id} on two keys`).toBe(false);
          pressed.set(id, n.midi);
        }
      }
      for (let k = 0; k < frames; k++) {
        for (const hand of ['r', 'l'] as const) {
          for (let f = 1; f <= 5; f++) {
            const [x, y, z] = tip(p.keypoints, k, hand, f);
            const midi = pressed.get(`${hand}${f}@${k}`);
            if (midi !== undefined) {
              const key = keyOf(midi);
              expect(Math.abs(x - key.x)).toBeLessThan(1e-3);
              expect(Math.abs(y - (key.top - KEY_DIP))).toBeLessThan(1e-3);
              expect(Math.abs(z - key.pressZ)).toBeLessThan(1e-3);
              expect(keyAt(x, z)).toBe(midi);
            } else {
              // Idle fingertips stay above the keys' tops (white 0, black 1.2 cm) by at least LIFT_MIN near any key.
              expect(y).toBeGreaterThanOrEqual(LIFT_MIN - 1e-3);
            }
          }
        }
      }
    }
  });

  it('keeps the wrists under the speed limit and the arms and hands at adult proportions', () => {
    const p = perform(3, 30);
    let vmax = 0;
    for (let k = 1; k < p.numFrames; k++) {
      for (const w of [RIGHT_HAND, LEFT_HAND]) {
        const a = (k - 1) * PIANIST_DIM + w * 3;
        const b = k * PIANIST_DIM + w * 3;
        vmax = Math.max(vmax, Math.hypot(p.keypoints[b] - p.keypoints[a], p.keypoints[b + 1] - p.keypoints[a + 1], p.keypoints[b + 2] - p.keypoints[a + 2]) * FPS);
      }
    }
    expect(vmax).toBeLessThanOrEqual(WRIST_MAX_SPEED + 1e-3);
    expect(vmax).toBeGreaterThan(20);
    // Body wrist joints are the hands' wrist landmarks; forearm (elbow-wrist) within 20-35 cm.
    for (let k = 0; k < p.numFrames; k += 7) {
      const o = k * PIANIST_DIM;
      expect(p.keypoints[o + 5 * 3]).toBe(p.keypoints[o + RIGHT_HAND * 3]);
      expect(p.keypoints[o + 6 * 3 + 2]).toBe(p.keypoints[o + LEFT_HAND * 3 + 2]);
      const fore = Math.hypot(p.keypoints[o + 9] - p.keypoints[o + 15], p.keypoints[o + 10] - p.keypoints[o + 16], p.keypoints[o + 11] - p.keypoints[o + 17]);
      expect(fore).toBeGreaterThan(20);
      expect(fore).toBeLessThan(35);
      // Wrist to middle-finger MCP about 8.6 cm x hand scale.
      const w = o + RIGHT_HAND * 3;
      const m = o + (RIGHT_HAND + 9) * 3;
      const palm = Math.hypot(p.keypoints[m] - p.keypoints[w], p.keypoints[m + 1] - p.keypoints[w + 1], p.keypoints[m + 2] - p.keypoints[w + 2]);
      expect(palm).toBeGreaterThan(7.5);
      expect(palm).toBeLessThan(9.8);
    }
    // Right hand right of the left hand on average; head above the shoulders.
    let dx = 0;
    for (let k = 0; k < p.numFrames; k++) dx += p.keypoints[k * PIANIST_DIM + RIGHT_HAND * 3] - p.keypoints[k * PIANIST_DIM + LEFT_HAND * 3];
    expect(dx / p.numFrames).toBeGreaterThan(10);
    expect(p.keypoints[1]).toBeGreaterThan(p.keypoints[4]);
  });

  it('stretches a finger chain rarely and counts it', () => {
    const p = perform(4, 30);
    expect(p.stats.pressedFingerFrames).toBeGreaterThan(500);
    expect(p.stats.stretchedFingerFrames / p.stats.pressedFingerFrames).toBeLessThan(0.02);
    expect(p.stats.stretchedOver10 / p.stats.pressedFingerFrames).toBeLessThan(0.005);
    expect(p.stats.armStretchFrames).toBe(0);
  });

  it('leans the torso toward the hands', () => {
    const left = performPiano([{ midi: 30, start: 0, end: 3, velocity: 60, hand: 'l', finger: 2 }, { midi: 40, start: 0, end: 3, velocity: 60, hand: 'r', finger: 2 }], 75, FPS, DEFAULT_PIANIST);
    const right = performPiano([{ midi: 90, start: 0, end: 3, velocity: 60, hand: 'l', finger: 2 }, { midi: 100, start: 0, end: 3, velocity: 60, hand: 'r', finger: 2 }], 75, FPS, DEFAULT_PIANIST);
    const k = 50 * PIANIST_DIM;
    expect(left.keypoints[k]).toBeLessThan(-3); // head x
    expect(right.keypoints[k]).toBeGreaterThan(3);
  });

  it('is deterministic for a seed', () => {
    const a = perform(5, 10);
    const b = perform(5, 10);
    expect(Buffer.from(a.keypoints.buffer).equals(Buffer.from(b.keypoints.buffer))).toBe(true);
    expect(JSON.stringify(a.notes)).toBe(JSON.stringify(b.notes));
  });
});
