/**
 * `npm run eval -- --data DIR --out FILE`, end to end: on our data folder (held-out dances, metrics equal to the model
 * cards) and on another folder in the same format (a temporary folder linking two dances: all of its dances).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DANCE_DIR, HELD_OUT, ROOT } from '../../training/lib/dance-data';

const tmp = mkdtempSync(join(tmpdir(), 'duet-eval-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function runEval(args: string[]): Record<string, any> {
  const out = join(tmp, `report-${Math.random().toString(36).slice(2)}.json`);
  execFileSync('npm', ['run', '--silent', 'eval', '--', ...args, '--out', out], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  return JSON.parse(readFileSync(out, 'utf8'));
}

describe('npm run eval', () => {
  it('evaluates both shipped models on the held-out dances and agrees with their cards', () => {
    const r = runEval(['--data', DEFAULT_DANCE_DIR]);
    expect(r.dances).toEqual([...HELD_OUT].sort());
    const a2b = JSON.parse(readFileSync(join(ROOT, 'models/audio2body-dance/card.json'), 'utf8')).metrics;
    const b2m = JSON.parse(readFileSync(join(ROOT, 'models/body2music-dance/card.json'), 'utf8'));
    for (const k of ['mpjpe_cm', 'baseline_mean_pose_mpjpe_cm', 'speed_ratio', 'kinematic_beat_rate_ratio', 'motion_tempo_ratio', 'bas_pred', 'bas_chance']) {
      expect(r.audio2body[k], k).toBeCloseTo(a2b[k], 3);
    }
    expect(r.body2music.beat_f1).toBeCloseTo(b2m.metrics.beat_f1, 3);
    expect(r.body2music.style_accuracy).toBeCloseTo(b2m.metrics.style_accuracy, 3);
    expect(r.body2music.baseline_metronome_beat_f1).toBeCloseTo(b2m.baselines.baseline_metronome_beat_f1, 3);
  });

  it('evaluates every dance of another folder in the same format', () => {
    const dir = join(tmp, 'other');
    execFileSync('mkdir', ['-p', dir]);
    for (const n of ['DANCE_C_4', 'DANCE_W_1']) symlinkSync(join(DEFAULT_DANCE_DIR, n), join(dir, n));
    const r = runEval(['--data', dir]);
    expect(r.dances).toEqual(['DANCE_C_4', 'DANCE_W_1']);
    expect(r.audio2body.frames).toBeGreaterThan(1000);
    expect(Number.isFinite(r.audio2body.mpjpe_cm)).toBe(true);
    expect(r.body2music.style_accuracy).toBeGreaterThanOrEqual(0);
  });
});
