import { describe, expect, it } from 'vitest';
import { POSE_DIM } from '../../features/skeleton';
import { PostureStage, postureConfigError, type PostureConfig } from './posture';

const D = 3;
const FPS = 25;

/** Two classes; class 1 wins when the running mean of feature 0 is positive (logit 10 * mean0). */
function config(over: Partial<PostureConfig> = {}): PostureConfig {
  const zero = new Array<number>(2 * D + 1).fill(0);
  const w1 = [...zero];
  w1[0] = 10;
  return {
    tauFrames: 10,
    classes: ['latin', 'standard'],
    weights: [zero, w1],
    poses: [new Array<number>(POSE_DIM).fill(-1), new Array<number>(POSE_DIM).fill(1)],
    highpassHz: 0.5,
    ...over,
  };
}

describe('PostureStage', () => {
  it('starts at the blended posture: undecided classes give the mean of the two postures, motion high-passed to 0', () => {
    const st = new PostureStage(config(), D, FPS);
    const pose = new Float32Array(POSE_DIM).fill(7);
    st.apply([0, 0, 0], pose);
    expect(Array.from(st.probs)).toEqual([0.5, 0.5]);
    expect(pose[0]).toBe(0);
    expect(pose[POSE_DIM - 1]).toBe(0);
  });

  it('bias-corrects the running statistics: after one frame the mean is that frame and the std 0', () => {
    const st = new PostureStage(config(), D, FPS);
    const v = st.updateStats([2, -1, 0.5]);
    expect(Array.from(v)).toEqual([2, -1, 0.5, 0, 0, 0].map((x, i) => (i < 3 ? expect.closeTo(x, 12) : 0)));
    const v2 = st.updateStats([0, -1, 0.5]);
    // a = exp(-1/10): mean = (a * 2 * (1 - a) + 0 * (1 - a)) / (1 - a^2) = 2a / (1 + a)
    const a = Math.exp(-0.1);
    expect(v2[0]).toBeCloseTo((2 * a) / (1 + a), 12);
    expect(v2[1]).toBeCloseTo(-1, 12);
    expect(v2[4]).toBeCloseTo(0, 6);
  });

  it('moves to the recognized class posture and adds the high-passed motion (golden step response)', () => {
    const st = new PostureStage(config(), D, FPS);
    const pose = new Float32Array(POSE_DIM);
    for (let t = 0; t < 200; t++) {
      pose.fill(3);
      st.apply([1, 0, 0], pose);
    }
    // logit 10 for class 1: p1 = 1 / (1 + e^-10); a constant pose is fully high-passed away.
    const p1 = 1 / (1 + Math.exp(-10));
    expect(st.probs[1]).toBeCloseTo(p1, 9);
    expect(pose[5]).toBeCloseTo(p1 - (1 - p1), 5);
    // A step of +1 in the LSTM pose: the next output rises by aLp * 1 (x - lp with lp = aLp * lp + (1 - aLp) * x).
    pose.fill(4);
    st.apply([1, 0, 0], pose);
    const aLp = Math.exp((-2 * Math.PI * 0.5) / FPS);
    expect(pose[5]).toBeCloseTo(p1 - (1 - p1) + aLp, 5);
  });

  it('scales the high-passed motion by motionGain', () => {
    const st = new PostureStage(config({ motionGain: 2 }), D, FPS);
    const pose = new Float32Array(POSE_DIM);
    st.apply([0, 0, 0], pose.fill(3));
    st.apply([0, 0, 0], pose.fill(4));
    // Undecided classes: posture 0; motion 2 * aLp * 1.
    expect(pose[7]).toBeCloseTo(2 * Math.exp((-2 * Math.PI * 0.5) / FPS), 5);
  });

  it('reset() restarts statistics and high-pass', () => {
    const st = new PostureStage(config(), D, FPS);
    const pose = new Float32Array(POSE_DIM);
    for (let t = 0; t < 50; t++) st.apply([1, 0, 0], pose.fill(t));
    st.reset();
    st.apply([-1, 0, 0], pose.fill(9));
    expect(st.probs[0]).toBeCloseTo(1 / (1 + Math.exp(-10)), 9);
    expect(pose[0]).toBeCloseTo(-1 + 2 / (1 + Math.exp(10)), 5);
  });

  it('checks its config and says what is valid', () => {
    expect(postureConfigError(config(), D, FPS)).toBeNull();
    expect(postureConfigError(config({ tauFrames: 0 }), D, FPS)).toMatch(/tauFrames must be a number >= 1/);
    expect(postureConfigError(config({ highpassHz: 13 }), D, FPS)).toMatch(/highpassHz must be in \(0, 12.5\)/);
    expect(postureConfigError(config({ motionGain: -1 }), D, FPS)).toMatch(/motionGain must be in \[0, 4\]/);
    expect(postureConfigError(config({ weights: [[1]] }), D, FPS)).toMatch(/weights must be 2 rows of 7/);
    expect(postureConfigError(config({ poses: [[0], [0]] }), D, FPS)).toMatch(/poses must be 2 rows of 69/);
    expect(() => new PostureStage(config({ classes: [] }), D, FPS)).toThrow(/classes must be a non-empty array/);
  });
});
