import { describe, expect, it } from 'vitest';
import { fillListenFigures, LatencyPanel, UNKNOWN, type LatencySnapshot, type ListenFigures, type WatchFigures } from './latency-panel';

/** Listen as measured in the browser tests: 1.06 ms features, 0.15 ms step, lag 1 frame at 25 fps. */
const LISTEN: ListenFigures = { featureMs: 1.06, stepMs: 0.15, lagFrames: 1, modelFps: 25, displayDelayMs: 52, baseLatencyMs: 5.333, outputLatencyMs: 0 };
/** Watch on a slow machine: 300 ms pose estimate, 10 ms lookahead, 20 ms output latency. */
const WATCH: WatchFigures = { poseMs: 300, poseRate: 3.333, rollMs: 0.12, modelFps: 25, lookAheadMs: 10, baseLatencyMs: 5.333, outputLatencyMs: 20 };

function snap(over: Partial<LatencySnapshot>): LatencySnapshot {
  return { displayFps: 60, drawMs: 2.345, listen: null, watch: null, ...over };
}

/** Shown rows as key -> [text, target, over]. */
function table(p: LatencyPanel): Record<string, [string, string, boolean]> {
  return Object.fromEntries(p.shownRows().map((r) => [r.key, [r.text, r.target, r.over]]));
}

describe('LatencyPanel', () => {
  it('shows nothing while neither mode runs', () => {
    const p = new LatencyPanel();
    p.update(snap({}));
    expect(p.active).toBe(false);
    expect(p.shownRows()).toEqual([]);
    expect(p.get('sound-to-skeleton').text).toBe(UNKNOWN);
    expect(p.get('movement-to-sound').text).toBe(UNKNOWN);
  });

  it('Listen: per-stage figures and the sound -> skeleton estimate (golden)', () => {
    const p = new LatencyPanel();
    p.update(snap({ listen: LISTEN }));
    expect(p.active).toBe(true);
    expect(table(p)).toEqual({
      'display-fps': ['60 fps', '', false],
      draw: ['2.3 ms', '', false],
      'listen-features': ['1.06 ms', '', false],
      'listen-step': ['0.15 ms', '', false],
      'listen-lag': ['1 frame, 40 ms', '', false],
      'listen-display-delay': ['52 ms', '', false],
      'listen-base': ['5.3 ms', '', false],
      'listen-output': ['0.0 ms', '', false],
      // 20 (half a frame) + 40 (lag) + 12 (margin) + 8 (smoothing) + 16.7 (one 60 Hz frame)
      'sound-to-skeleton': ['97 ms', '≤ 100 ms', false],
    });
    expect(p.get('sound-to-skeleton').value).toBeCloseTo(20 + 40 + 12 + 8 + 1000 / 60, 9);
    expect(p.get('listen-lag').value).toBe(40);
  });

  it('flags sound -> skeleton over 100 ms at a 10 fps display, and assumes 60 Hz before one is measured', () => {
    const p = new LatencyPanel();
    p.update(snap({ displayFps: 10, listen: LISTEN }));
    expect(p.get('sound-to-skeleton')).toMatchObject({ value: 180, text: '180 ms', over: true });
    p.update(snap({ displayFps: Number.NaN, drawMs: Number.NaN, listen: { ...LISTEN, lagFrames: 2 } }));
    expect(table(p)['display-fps']).toEqual([UNKNOWN, '', false]);
    expect(p.get('listen-lag').text).toBe('2 frames, 80 ms');
    expect(p.get('sound-to-skeleton')).toMatchObject({ text: '137 ms', over: true });
  });

  it('Watch: per-stage figures and the movement -> sound estimate, flagged over 30 ms without the pose (golden)', () => {
    const p = new LatencyPanel();
    p.update(snap({ watch: WATCH }));
    expect(table(p)).toEqual({
      'display-fps': ['60 fps', '', false],
      draw: ['2.3 ms', '', false],
      'watch-pose': ['300 ms', '', false],
      'watch-pose-rate': ['3.3 /s', '', false],
      'watch-roll': ['0.12 ms', '', false],
      'watch-camera-frame': ['33.3 ms', '', false],
      'watch-model-wait': ['20 ms', '', false],
      'watch-lookahead': ['10 ms', '', false],
      'watch-base': ['5.3 ms', '', false],
      'watch-output': ['20.0 ms', '', false],
      // 300 + 33.333 + 20 + 0.12 + 10 + 5.333 + 20 = 388.79; without the pose 88.79 > 30
      'movement-to-sound': ['389 ms', '', false],
      'movement-to-sound-without-pose': ['89 ms', '≤ 30 ms', true],
    });
    expect(p.get('movement-to-sound').value).toBeCloseTo(388.786, 3);
    expect(p.get('movement-to-sound-without-pose').value).toBeCloseTo(88.786, 3);
    // Before the first pose estimate only the part without it is known.
    p.update(snap({ watch: { ...WATCH, outputLatencyMs: 0, poseMs: Number.NaN } }));
    expect(p.get('movement-to-sound').text).toBe(UNKNOWN);
    expect(p.get('movement-to-sound-without-pose')).toMatchObject({ text: '69 ms', over: true });
    // Before the first body2music step nothing is known (and nothing flagged).
    p.update(snap({ watch: { ...WATCH, rollMs: Number.NaN } }));
    expect(p.get('movement-to-sound-without-pose')).toMatchObject({ text: UNKNOWN, over: false });
  });

  it('both modes show both groups; stopping one hides its rows and forgets its figures', () => {
    const p = new LatencyPanel();
    p.update(snap({ listen: LISTEN, watch: WATCH }));
    expect(p.shownRows()).toHaveLength(19);
    p.update(snap({ watch: WATCH }));
    expect(p.shownRows().map((r) => r.group)).not.toContain('listen');
    expect(p.get('sound-to-skeleton')).toMatchObject({ text: UNKNOWN, over: false, shown: false });
    expect(Number.isNaN(p.get('sound-to-skeleton').value)).toBe(true);
  });

  it('rewrites its rows in place and keeps an unchanged text', () => {
    const p = new LatencyPanel();
    const rows = p.rows;
    const row = p.get('sound-to-skeleton');
    p.update(snap({ listen: LISTEN }));
    const text = row.text;
    p.update(snap({ listen: { ...LISTEN } }));
    expect(p.rows).toBe(rows);
    expect(p.rows[8]).toBe(row);
    expect(row.text).toBe(text);
    // The hook's copies do not follow later updates.
    const copy = p.shownRows();
    p.update(snap({}));
    expect(copy.find((r) => r.key === 'sound-to-skeleton')?.text).toBe('97 ms');
  });

  it('fills Listen figures from a session in place (seconds of display delay -> ms)', () => {
    const out = { ...LISTEN };
    const session = { featureMs: { value: 0.4 }, stepMs: { value: 0.05 }, lagFrames: 2, modelFps: 25, displayDelay: 0.092, contextLatencyMs: { base: 10, output: 30 } };
    expect(fillListenFigures(session, out)).toBe(out);
    expect(out).toEqual({ featureMs: 0.4, stepMs: 0.05, lagFrames: 2, modelFps: 25, displayDelayMs: 92, baseLatencyMs: 10, outputLatencyMs: 30 });
  });
});
