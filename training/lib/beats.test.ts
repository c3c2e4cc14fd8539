import { describe, expect, it } from 'vitest';
import { beatOptions, trackBeats } from './beats';

/** Impulse-train onset curve at `bpm` (25 fps), with seeded noise and optional weak half-beat onsets. */
function synthOnset(bpm: number, seconds: number, opts: { offset?: number; halfBeat?: number; noise?: number; seed?: number } = {}): Float32Array {
  const fps = 25;
  const n = Math.round(seconds * fps);
  const on = new Float32Array(n);
  let s = opts.seed ?? 1;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  for (let i = 0; i < n; i++) on[i] = 0.5 + (opts.noise ?? 0.1) * rand();
  const period = (60 * fps) / bpm;
  for (let k = 0; ; k++) {
    const t = (opts.offset ?? 0) + k * period;
    if (t >= n) break;
    on[Math.round(t)] += 2;
    const h = Math.round(t + period / 2);
    if (opts.halfBeat && h < n) on[h] += opts.halfBeat;
  }
  return on;
}

describe('trackBeats', () => {
  it('finds 87 bpm (a waltz tempo) rather than its double, with weak off-beats present', () => {
    const r = trackBeats(synthOnset(87, 60, { offset: 5, halfBeat: 0.6 }), 25);
    expect(r.bpm).toBeGreaterThan(85);
    expect(r.bpm).toBeLessThan(89);
  });

  it('finds 125 bpm (cha-cha) and places beats on the impulses', () => {
    const on = synthOnset(125, 60, { offset: 3 });
    const r = trackBeats(on, 25);
    expect(Math.abs(r.bpm - 125)).toBeLessThan(2);
    // 60 s at 125 bpm: about 125 beats, each on a frame where an impulse was placed (onset > 2).
    expect(r.beats.length).toBeGreaterThan(118);
    expect(r.beats.length).toBeLessThan(127);
    const onBeat = r.beats.filter((b) => on[Math.round(b * 25)] > 2).length;
    expect(onBeat / r.beats.length).toBeGreaterThan(0.95);
    // Golden: the first impulse is at frame 3 (0.12 s).
    expect(r.beats[0]).toBeCloseTo(0.12, 5);
  });

  it('keeps a fixed tempo when given and returns no beats for silence or too-short input', () => {
    expect(trackBeats(synthOnset(125, 30), 25, { bpm: 100 }).bpm).toBe(100);
    expect(trackBeats(new Float32Array(1500), 25).beats).toEqual([]);
    expect(trackBeats(synthOnset(120, 1), 25).beats).toEqual([]);
  });

  it('range-checks options', () => {
    expect(() => beatOptions({ minBpm: 200, maxBpm: 100 })).toThrow(/minBpm/);
    expect(() => trackBeats(new Float32Array(10), 0)).toThrow(/fps/);
  });
});
