import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS } from '../../features/piano/keyboard';
import { PIANIST_DIM, PIANIST_KEYPOINT_NAMES, RIGHT_HAND } from '../../features/piano/layout';
import { fingerInputDim, unprojectKeyboardX } from './features';
import { PIANO_OUT, PIANO_POSE2ROLL_VERSION, checkPianoPose2RollConfig, createPianoPose2Roll, emptyPianoRollFrame } from './pose2roll';

const WINDOW = 4;
const DIM = fingerInputDim(WINDOW);

function config(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'body2music-piano',
    version: PIANO_POSE2ROLL_VERSION,
    fps: 25,
    keypoints: [...PIANIST_KEYPOINT_NAMES],
    window: WINDOW,
    lookahead: 1,
    inputNorm: { mean: new Array(DIM).fill(0), std: new Array(DIM).fill(1) },
    sizes: [DIM, PIANO_OUT.size],
    keyAssignment: { whiteScale: 1, whiteBias: 0, whiteSigma: 0.5, blackScale: 1, blackBias: 0, blackSigma: 0.5 },
    perspective: null,
    assignment: 'soft',
    velocity: { bias: 40, perCmPerS: 1 },
    roll2midi: { onThreshold: 0.5, offThreshold: 0.3, sustainThreshold: 0.7, minFrames: 2 },
    ...extra,
  };
}

/** A network that always presses (logit +20), strikes (+20) and says white (-20), whatever the input. */
function network(): { W: number[][]; b: number[][] } {
  return { W: [new Array(DIM * PIANO_OUT.size).fill(0)], b: [[20, 20, -20]] };
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'b2m-piano-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config()));
  writeFileSync(join(dir, 'network.json'), JSON.stringify(network()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A view frame with only the right hand seen, its index fingertip at keyboard x `x` and height y. */
function frame(x: number, y: number): Float32Array {
  const v = new Float32Array(PIANIST_DIM).fill(Number.NaN);
  for (let l = 0; l < 21; l++) {
    const o = (RIGHT_HAND + l) * 3;
    v[o] = x;
    v[o + 1] = 5;
    v[o + 2] = 0;
  }
  v[(RIGHT_HAND + 8) * 3 + 1] = y;
  return v;
}

describe('piano Pose2Roll', () => {
  it('checks config.json with readable errors', () => {
    expect(() => checkPianoPose2RollConfig(config({ kind: 'body2music' }))).toThrow(/kind is body2music, expected 'body2music-piano'/);
    expect(() => checkPianoPose2RollConfig(config({ lookahead: 4 }))).toThrow(/lookahead must be an integer in 0..3/);
    expect(() => checkPianoPose2RollConfig(config({ sizes: [DIM, 8, 2] }))).toThrow(/sizes must be positive integers/);
    expect(() => checkPianoPose2RollConfig(config({ assignment: 'hard' }))).toThrow(/'soft' or 'argmax'/);
    expect(checkPianoPose2RollConfig(config()).window).toBe(WINDOW);
  });

  it('lags by the lookahead, assigns a moving fingertip to the key under it, silences still fingers; dispose twice', async () => {
    const m = createPianoPose2Roll(dir);
    expect(() => m.config).toThrow(/load\(\) first/);
    await m.load();
    const out = emptyPianoRollFrame();
    const c4 = KEYS[39];
    m.step(frame(c4.x, 1), out);
    expect(out.valid).toBe(false); // lookahead 1: no output frame yet
    m.step(frame(c4.x, -1), out);
    expect(out.valid).toBe(true);
    // All five right fingertips press (constant network) at x = C4 (the others' tips are at the hand's x too).
    expect(out.frame[39]).toBeGreaterThan(0.99);
    expect(out.onset[39]).toBeGreaterThan(0.99);
    expect(out.frame[41]).toBeLessThan(1e-3);
    // Only the index fingertip moved; a frozen hand plays nothing.
    expect(m.fingers.press[1]).toBeGreaterThan(0.99);
    expect(m.fingers.press[0]).toBe(0);
    m.reset();
    for (let k = 0; k < 6; k++) m.step(frame(c4.x, 1), out);
    expect(Math.max(...out.frame)).toBe(0);
    m.dispose();
    m.dispose();
    expect(() => m.step(null, out)).toThrow(/disposed|load\(\) first/);
  });

  it('perspective: unprojecting keeps the keyboard ends and inverts the projective map', () => {
    const a = 61.1;
    const g = 0.003;
    const x = 20;
    const v = (x + g * a * a) / (g * x + 1);
    expect(unprojectKeyboardX(v, g)).toBeCloseTo(x, 9);
    expect(unprojectKeyboardX(a, g)).toBeCloseTo(a, 1);
    expect(unprojectKeyboardX(7, 0)).toBe(7);
  });
});
