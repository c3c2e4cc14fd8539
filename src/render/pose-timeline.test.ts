import { describe, expect, it } from 'vitest';
import { POSE_DIM } from '../features/skeleton';
import { PoseTimeline, meanJointDisplacement, smoothToward } from './pose-timeline';
import { lowestY, restPose } from './rest-pose';

function filled(v: number): Float32Array {
  return new Float32Array(POSE_DIM).fill(v);
}

describe('PoseTimeline', () => {
  it('interpolates linearly between the frames around the display time (25 fps -> any rate)', () => {
    const t = new PoseTimeline(8);
    const out = new Float32Array(POSE_DIM);
    expect(t.sample(0, out)).toBe(false);
    t.push(filled(0), 1.0);
    t.push(filled(1), 1.04);
    t.push(filled(3), 1.08);
    expect(t.sample(1.01, out)).toBe(true);
    expect(out[0]).toBeCloseTo(0.25, 6);
    expect(out[POSE_DIM - 1]).toBeCloseTo(0.25, 6);
    t.sample(1.06, out);
    expect(out[5]).toBeCloseTo(2, 6);
    // Outside the buffered range: held at the ends.
    t.sample(0.5, out);
    expect(out[0]).toBe(0);
    t.sample(2, out);
    expect(out[0]).toBe(3);
  });

  it('extrapolates past the newest frame along the last velocity, at most maxExtrapolation seconds', () => {
    const t = new PoseTimeline(8);
    const out = new Float32Array(POSE_DIM);
    t.push(filled(0), 1.0);
    expect(t.sample(1.5, out, 0.04)).toBe(true);
    expect(out[0]).toBe(0); // one frame: nothing to extrapolate from
    t.push(filled(1), 1.04);
    t.sample(1.06, out, 0.04);
    expect(out[0]).toBeCloseTo(1.5, 6);
    t.sample(1.2, out, 0.04); // capped at 40 ms ahead
    expect(out[7]).toBeCloseTo(2, 6);
    t.sample(1.2, out); // default: hold
    expect(out[0]).toBe(1);
    t.sample(1.02, out, 0.04); // inside the range: interpolation as before
    expect(out[0]).toBeCloseTo(0.5, 6);
  });

  it('keeps the newest `capacity` frames and restarts when time goes back', () => {
    const t = new PoseTimeline(4);
    const out = new Float32Array(POSE_DIM);
    for (let i = 0; i < 10; i++) t.push(filled(i), i * 0.04);
    expect(t.size).toBe(4);
    t.sample(0, out);
    expect(out[0]).toBe(6); // oldest kept frame
    expect(t.latestTime).toBeCloseTo(0.36, 9);
    t.push(filled(42), 0.1);
    expect(t.size).toBe(1);
    t.sample(5, out);
    expect(out[0]).toBe(42);
  });

  it('rejects a bad capacity with the valid range', () => {
    expect(() => new PoseTimeline(1)).toThrow(/2\.\.4096/);
  });
});

describe('smoothToward', () => {
  it('moves 1 - exp(-dt/tau) of the way; tau 0 copies', () => {
    const a = new Float32Array([0, 10]);
    smoothToward(a, new Float32Array([1, 0]), 0.1, 0.1);
    expect(a[0]).toBeCloseTo(1 - Math.exp(-1), 6);
    expect(a[1]).toBeCloseTo(10 * Math.exp(-1), 5);
    smoothToward(a, new Float32Array([5, 5]), 0.016, 0);
    expect([...a]).toEqual([5, 5]);
  });
});

describe('meanJointDisplacement', () => {
  it('is the mean Euclidean distance over joints', () => {
    const a = new Float32Array(POSE_DIM);
    const b = new Float32Array(POSE_DIM);
    b[0] = 3;
    b[1] = 4; // joint 0 moved 5
    expect(meanJointDisplacement(a, b)).toBeCloseTo(5 / 23, 9);
  });
});

describe('restPose', () => {
  it('is normalized: pelvis at the origin, feet below it, body scale 1', async () => {
    const { J, bodyScale } = await import('../features/skeleton');
    const p = restPose();
    expect(p[J.pelvis * 3]).toBe(0);
    expect(p[J.pelvis * 3 + 1]).toBe(0);
    expect(bodyScale(p)).toBeCloseTo(1, 5);
    expect(lowestY(p)).toBeLessThan(-2);
    expect(p[J.head_top * 3 + 1]).toBeGreaterThan(p[J.head_low * 3 + 1]);
    expect(p[J.l_hip * 3]).toBeGreaterThan(p[J.r_hip * 3]); // left at +x when facing +z
  });
});
