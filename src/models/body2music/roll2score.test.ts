import { describe, expect, it } from 'vitest';
import type { NoteEvent } from '../../types';
import { STYLES } from '../../types';
import type { RollFrame } from '../types';
import { createRoll2Score, roll2ScoreOptions } from './roll2score';

const FPS = 25;

/** A roll with Gaussian beat bumps (sd 40 ms) every `period` s starting at `offset`, for `seconds`. */
function syntheticRoll(period: number, offset: number, seconds: number, style: (typeof STYLES)[number] | null, activity = 1): { rolls: RollFrame[]; times: number[] } {
  const rolls: RollFrame[] = [];
  const times: number[] = [];
  for (let i = 0; i < seconds * FPS; i++) {
    const t = i / FPS;
    const k = Math.round((t - offset) / period);
    const d = t - offset - k * period;
    const probs = new Float32Array(STYLES.length).fill(style ? 0 : 0.25);
    if (style) probs[STYLES.indexOf(style)] = 1;
    rolls.push({ beat: Math.exp(-0.5 * (d / 0.04) ** 2), energy: 0.5, style: probs, activity });
    times.push(t);
  }
  return { rolls, times };
}

function run(rolls: RollFrame[], times: number[], clockOffset = 0, opts = {}) {
  const beats: number[] = [];
  const bpms: number[] = [];
  const r2s = createRoll2Score({ ...opts, onBeat: (t, bpm) => { beats.push(t - clockOffset); bpms.push(bpm); } });
  const notes: NoteEvent[] = [];
  let lateNotes = 0;
  for (let i = 0; i < rolls.length; i++) {
    const now = times[i] + clockOffset;
    for (const n of r2s.update(rolls[i], now)) {
      if (n.time < now) lateNotes++;
      notes.push(n);
    }
  }
  return { r2s, beats, bpms, notes, lateNotes };
}

/**
 * Drives the just-in-time interface like the app: `observe` at every roll frame, `due(now, now + ahead)` every `step` s
 * of clock in between (`stall`: a clock pause [from, to) in roll time). Leads are start minus decision time, seconds.
 */
function runJit(rolls: RollFrame[], times: number[], clockOffset: number, step: number, ahead: number, stall: [number, number] | null = null) {
  const beats: number[] = [];
  const r2s = createRoll2Score({ onBeat: (t) => beats.push(t - clockOffset) });
  const notes: NoteEvent[] = [];
  const leads: number[] = [];
  let lateNotes = 0;
  let k = 0;
  for (let i = 0; i < rolls.length; i++) {
    r2s.observe(rolls[i], times[i] + clockOffset);
    // Clock steps until the next roll frame.
    for (; k * step < times[i] + 1 / FPS - 1e-9; k++) {
      const rel = k * step;
      if (stall && rel >= stall[0] && rel < stall[1]) continue;
      const now = rel + clockOffset;
      for (const n of r2s.due(now, now + ahead)) {
        if (n.time < now - 1e-9) lateNotes++;
        leads.push(Math.max(n.time, now) - now);
        notes.push({ ...n, time: n.time - clockOffset });
      }
    }
  }
  return { r2s, beats, notes, leads, lateNotes };
}

describe('roll2score', () => {
  it('tracks beats every 0.5 s at 120 +- 2 bpm with notes on those beats', () => {
    const { rolls, times } = syntheticRoll(0.5, 0.1, 20, null);
    const { r2s, beats, notes, lateNotes } = run(rolls, times, 1000);
    expect(r2s.locked).toBe(true);
    expect(Math.abs(r2s.bpm - 120)).toBeLessThan(2);
    expect(lateNotes).toBe(0);
    // Locked after the 2.4 s warm-up; every beat from 3 s on lies within 40 ms of the true grid 0.1 + 0.5 k.
    const late = beats.filter((b) => b >= 3);
    expect(late.length).toBeGreaterThanOrEqual(33);
    for (const b of late) expect(Math.abs(b - (0.1 + 0.5 * Math.round((b - 0.1) / 0.5)))).toBeLessThan(0.04);
    // Every note starts on a beat or half a beat after one (cha-cha-cha off-beats).
    for (const n of notes) {
      const rel = (n.time - 1000 - 0.1) / 0.25;
      expect(Math.abs(rel - Math.round(rel))).toBeLessThan(0.2);
    }
  });

  it('stays stable once locked: beat intervals vary by under 10 ms', () => {
    const { rolls, times } = syntheticRoll(0.69, 0.3, 30, 'waltz');
    const { beats, bpms } = run(rolls, times);
    const ibi = beats.slice(5).map((b, i) => b - beats[i + 4]);
    for (const d of ibi) expect(Math.abs(d - 0.69)).toBeLessThan(0.01);
    // The autocorrelation is interpolated between whole-frame lags: tempo within 1.5 bpm (1.7%).
    expect(Math.abs(bpms[bpms.length - 1] - 60 / 0.69)).toBeLessThan(1.5);
  });

  it('arranges a waltz in 3/4: one bass note per three beats, chords on the other two', () => {
    const { rolls, times } = syntheticRoll(0.69, 0.3, 30, 'waltz');
    const { r2s, beats, notes } = run(rolls, times);
    expect(r2s.style).toBe('waltz');
    const bass = notes.filter((n) => n.instrument === 'bass').length;
    const piano = notes.filter((n) => n.instrument === 'piano').length;
    expect(Math.abs(bass - beats.length / 3)).toBeLessThanOrEqual(1);
    expect(Math.abs(piano - 3 * (beats.length - bass))).toBeLessThanOrEqual(3);
  });

  it('plays the cha-cha-cha: off-beat notes half a beat after the fourth beat', () => {
    const { rolls, times } = syntheticRoll(0.48, 0.2, 20, 'cha-cha');
    const { r2s, notes } = run(rolls, times);
    expect(r2s.style).toBe('cha-cha');
    expect(Math.abs(r2s.bpm - 125)).toBeLessThan(2);
    const snares = notes.filter((n) => n.instrument === 'snare').map((n) => n.time);
    expect(snares.length).toBeGreaterThan(10);
    for (let i = 0; i + 1 < snares.length; i += 2) expect(snares[i + 1] - snares[i]).toBeCloseTo(r2s.bpm > 0 ? 30 / r2s.bpm : 0.24, 2);
  });

  it('a tempo hint picks the metrical level: pulses at 176 bpm with a hint of 88 bpm lock at 88 +- 2', () => {
    const { rolls, times } = syntheticRoll(60 / 176, 0.2, 20, 'waltz');
    for (const r of rolls) r.tempo = 88;
    const { r2s, beats } = run(rolls, times);
    expect(Math.abs(r2s.bpm - 88)).toBeLessThan(2);
    // Every played beat lies on a pulse.
    for (const b of beats.filter((x) => x > 4)) {
      const k = Math.round((b - 0.2) / (60 / 176));
      expect(Math.abs(b - 0.2 - k * (60 / 176))).toBeLessThan(0.04);
    }
  });

  it('returns no notes when activity is 0 (person still or absent)', () => {
    const { rolls, times } = syntheticRoll(0.5, 0.1, 15, 'cha-cha', 0);
    const { notes, beats } = run(rolls, times);
    expect(notes.length).toBe(0);
    expect(beats.length).toBe(0);
  });

  it('falls silent when the person stops and resumes after they move again', () => {
    const a = syntheticRoll(0.5, 0.1, 30, null);
    for (let i = 250; i < 500; i++) a.rolls[i] = { ...a.rolls[i], activity: 0, beat: 0 };
    const { notes } = run(a.rolls, a.times);
    // Activity is smoothed (0.4 s): the music stops within a second of the person.
    const inGap = notes.filter((n) => n.time > 11 && n.time < 20).length;
    expect(inGap).toBe(0);
    expect(notes.filter((n) => n.time < 10).length).toBeGreaterThan(20);
    expect(notes.filter((n) => n.time > 24).length).toBeGreaterThan(10);
  });

  it('velocities follow the energy', () => {
    const quiet = syntheticRoll(0.5, 0.1, 10, 'waltz');
    const loud = syntheticRoll(0.5, 0.1, 10, 'waltz');
    for (const r of quiet.rolls) r.energy = 0.1;
    for (const r of loud.rolls) r.energy = 0.9;
    const vq = run(quiet.rolls, quiet.times).notes.filter((n) => n.instrument === 'piano').map((n) => n.velocity);
    const vl = run(loud.rolls, loud.times).notes.filter((n) => n.instrument === 'piano').map((n) => n.velocity);
    expect(vq.length).toBeGreaterThan(0);
    expect(Math.max(...vq)).toBeLessThan(Math.min(...vl));
  });

  it('just in time: notes decided at most 15 ms ahead from a 5 ms clock, on the same beat grid, none late', () => {
    const { rolls, times } = syntheticRoll(0.48, 0.2, 20, 'cha-cha');
    const jit = runJit(rolls, times, 1000, 0.005, 0.015);
    expect(jit.r2s.style).toBe('cha-cha');
    expect(Math.abs(jit.r2s.bpm - 125)).toBeLessThan(2);
    expect(jit.notes.length).toBeGreaterThan(100);
    expect(jit.lateNotes).toBe(0);
    expect(jit.r2s.lateBeats + jit.r2s.skippedBeats).toBe(0);
    // Every note, off-beats included, is handed out between 10 ms (15 ms minus one clock step) and 15 ms before it starts.
    expect(Math.max(...jit.leads)).toBeLessThanOrEqual(0.015 + 1e-9);
    expect(Math.min(...jit.leads)).toBeGreaterThanOrEqual(0.01 - 1e-9);
    // Beats from 3 s on lie within 40 ms of the true grid 0.2 + 0.48 k; off-beat snares half a beat after beat 4.
    const late = jit.beats.filter((b) => b >= 3);
    expect(late.length).toBeGreaterThanOrEqual(30);
    for (const b of late) expect(Math.abs(b - (0.2 + 0.48 * Math.round((b - 0.2) / 0.48)))).toBeLessThan(0.04);
    const snares = jit.notes.filter((n) => n.instrument === 'snare').map((n) => n.time);
    expect(snares.length).toBeGreaterThan(10);
    for (let i = 0; i + 1 < snares.length; i += 2) expect(snares[i + 1] - snares[i]).toBeCloseTo(30 / jit.r2s.bpm, 2);
    // The same beats as the per-frame interface (one at most at either end), each within 20 ms.
    const frame = run(rolls, times, 1000);
    expect(Math.abs(frame.beats.length - jit.beats.length)).toBeLessThanOrEqual(1);
    for (const b of late) expect(Math.min(...frame.beats.map((x) => Math.abs(x - b)))).toBeLessThan(0.02);
  });

  it('just in time: after a 400 ms stall of the clock, missed beats are skipped, not played late', () => {
    const { rolls, times } = syntheticRoll(0.5, 0.1, 12, 'cha-cha');
    const r2s = createRoll2Score();
    const late: number[] = [];
    let played = 0;
    let now = 0;
    for (let i = 0; i < rolls.length; i++) {
      r2s.observe(rolls[i], times[i]);
      const stall = times[i] >= 8 && times[i] < 8.4;
      for (; now < times[i] + 0.04 - 1e-9; now += 0.005) {
        if (stall) continue;
        for (const n of r2s.due(now, now + 0.015)) {
          played++;
          if (n.time < now) late.push(now - n.time);
        }
      }
    }
    expect(played).toBeGreaterThan(20);
    // Only notes due within the 50 ms tolerance come late (at the end of the stall).
    expect(late.length).toBeLessThanOrEqual(4);
    for (const d of late) expect(d).toBeLessThanOrEqual(0.05 + 1e-9);
    // Nothing starts inside the stall except at its very end (within the 50 ms tolerance).
    const r = runJit(rolls, times, 0, 0.005, 0.015, [8, 8.4]);
    expect(r.notes.filter((n) => n.time > 8.02 && n.time < 8.4).length).toBe(0);
    expect(r.notes.filter((n) => n.time >= 8.4).length).toBeGreaterThan(5);
    // 400 ms at 125 bpm: the beats in the stall are counted, most skipped.
    expect(r.r2s.skippedBeats).toBeGreaterThanOrEqual(1);
    expect(r.r2s.skippedBeats + r.r2s.lateBeats).toBeLessThanOrEqual(2);
  });

  it('just in time: nothing due returns one shared empty array; due before any lock is empty', () => {
    const r2s = createRoll2Score();
    const a = r2s.due(0, 0.015);
    expect(a.length).toBe(0);
    expect(r2s.due(0.005, 0.02)).toBe(a);
  });

  it('rejects bad options with the valid range', () => {
    expect(() => roll2ScoreOptions({ fps: 0 })).toThrow(/fps/);
    expect(() => roll2ScoreOptions({ styleBpm: [100] })).toThrow(/cha-cha, rumba, tango, waltz/);
  });
});
