import { describe, expect, it } from 'vitest';
import { createFrameRateResampler, DEFAULT_FRAME_RATE_RESAMPLER_OPTIONS } from './resampler';

type Tick = { k: number; t: number; v: number[] | null };

function collector(): { ticks: Tick[]; cb: (v: Float32Array | null, k: number, t: number) => void } {
  const ticks: Tick[] = [];
  return { ticks, cb: (v, k, t) => ticks.push({ k, t, v: v ? Array.from(v) : null }) };
}

describe('frame-rate resampler', () => {
  it('has frozen defaults (25 fps) and checks options', () => {
    expect(Object.isFrozen(DEFAULT_FRAME_RATE_RESAMPLER_OPTIONS)).toBe(true);
    expect(DEFAULT_FRAME_RATE_RESAMPLER_OPTIONS.fps).toBe(25);
    expect(() => createFrameRateResampler({ dim: 0 })).toThrow(/dim must be an integer >= 1/);
    expect(() => createFrameRateResampler({ dim: 1, fps: 0 })).toThrow(/fps must be in \(0, 1000\]/);
    expect(() => createFrameRateResampler({ dim: 1, maxGapMs: -1 })).toThrow(/maxGapMs must be >= 0 ms/);
    expect(createFrameRateResampler({ dim: 1, originMs: 0, maxGapMs: 0 }).options.maxGapMs).toBe(0);
  });

  it('turns one second of 30 fps poses into 26 ticks 40 ms apart, interpolating a ramp exactly', () => {
    const r = createFrameRateResampler({ dim: 2 });
    const { ticks, cb } = collector();
    const v = new Float32Array(2);
    for (let i = 0; i <= 30; i++) {
      const t = (i * 1000) / 30;
      v[0] = t; // value = time: linear interpolation must give the tick time
      v[1] = -2 * t;
      r.push(v, t, cb);
    }
    expect(ticks.map((x) => x.k)).toEqual(Array.from({ length: 26 }, (_, k) => k));
    for (const { k, t, v: val } of ticks) {
      expect(t).toBeCloseTo(k * 40, 9);
      expect(val![0]).toBeCloseTo(k * 40, 3);
      expect(val![1]).toBeCloseTo(-2 * k * 40, 3);
    }
    expect(r.nextTick).toBe(26);
  });

  it('handles irregular timestamps: each tick is emitted once, after the pose that passes it', () => {
    const r = createFrameRateResampler({ dim: 1 });
    const { ticks, cb } = collector();
    const v = new Float32Array(1);
    const push = (x: number, t: number): number => {
      const before = ticks.length;
      v[0] = x;
      r.push(v, t, cb);
      return ticks.length - before;
    };
    expect(push(0, 5)).toBe(0); // first tick after 5 ms is at 40
    expect(push(42, 47)).toBe(1); // tick 40: 0 + (40 - 5) / (47 - 5) * 42 = 35
    expect(ticks[0]).toEqual({ k: 1, t: 40, v: [35] });
    expect(push(125, 130)).toBe(2); // ticks 80, 120 between (47, 42) and (130, 125): value = t - 5
    expect(ticks[1].v![0]).toBeCloseTo(75, 4);
    expect(ticks[2].v![0]).toBeCloseTo(115, 4);
    expect(push(0, 130)).toBe(0); // repeated time: ignored
    expect(push(0, 100)).toBe(0); // backward: ignored
    expect(push(160, 160)).toBe(1); // tick 160 exactly at a pose: that pose
    expect(ticks[3]).toEqual({ k: 4, t: 160, v: [160] });
  });

  it('gives null for ticks while no person is in view and across gaps longer than maxGapMs', () => {
    const r = createFrameRateResampler({ dim: 1, maxGapMs: 100 });
    const { ticks, cb } = collector();
    const v = new Float32Array([1]);
    r.push(v, 0, cb); // tick 0 = 1
    r.push(null, 50, cb); // tick 40: person lost between 0 and 50 -> null
    r.push(v, 100, cb); // tick 80: previous sample had no person -> null
    r.push(v, 300, cb); // 200 ms gap > 100: ticks 120..280 null, 300 not a tick
    r.push(v, 360, cb); // tick 320 interpolated (gap 60 ms), tick 360 is this pose
    expect(ticks.map((x) => [x.t, x.v ? x.v[0] : null])).toEqual([
      [0, 1], [40, null], [80, null], [120, null], [160, null], [200, null], [240, null], [280, null], [320, 1], [360, 1],
    ]);
  });

  it('honours originMs and reuses its output buffer', () => {
    const r = createFrameRateResampler({ dim: 1, originMs: 1000, fps: 25 });
    const seen: Float32Array[] = [];
    const times: number[] = [];
    const v = new Float32Array([0]);
    r.push(v, 990, () => undefined);
    v[0] = 1;
    r.push(v, 1090, (out, k, t) => {
      seen.push(out!);
      times.push(t);
      expect(k).toBe(times.length - 1);
    });
    expect(times).toEqual([1000, 1040, 1080]);
    expect(seen[0]).toBe(seen[1]); // same buffer each call
    r.reset();
    expect(r.nextTick).toBe(0);
  });
});
