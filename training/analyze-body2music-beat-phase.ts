/**
 * `npx tsx training/analyze-body2music-beat-phase.ts [--data DIR]`: does any motion event carry the music's beat phase in
 * the training dances? For each candidate event (local minima of world foot speed, one ankle's speed, root-relative
 * foot speed, pelvis height, world pelvis speed, root-relative mean joint speed) it prints, per dance, the resultant
 * length R of the events' beat phases (1 = always at one phase, about 1/sqrt(events) for random phases) and their mean
 * phase; `acrossDances` is the agreement of the dances' mean phases; `oracleShiftF1` the beat F1 of the events shifted by
 * the best constant lag per dance (a ceiling for an event-based beat, with its extra events). Behind the body2music
 * card's finding that the beat phase cannot be learned from this data's motion. Training dances only.
 */
import { DEFAULT_DANCE_DIR, listDances, loadDance, parseArgs, splitDances } from './lib/dance-data';
import { beatF1, beatPhases, prepareDance } from './lib/eval-body2music';
import { J, POSE_DIM } from '../src/features/skeleton';

const dataDir = parseArgs(process.argv.slice(2)).data ?? DEFAULT_DANCE_DIR;
const names = splitDances(listDances(dataDir)).train;
type Sig = (raw: Float32Array, norm: Float32Array, n: number) => Float32Array;
function speed(src: Float32Array, n: number, joints: number[], fps: number, vertOnly = false): Float32Array {
  const s = new Float32Array(n);
  for (let t = 1; t < n; t++) {
    let a = 0;
    for (const j of joints) {
      const o = t * POSE_DIM + j * 3, p = (t - 1) * POSE_DIM + j * 3;
      const dx = vertOnly ? 0 : src[o] - src[p], dy = src[o + 1] - src[p + 1], dz = vertOnly ? 0 : src[o + 2] - src[p + 2];
      a += Math.hypot(dx, dy, dz);
    }
    s[t] = (a / joints.length) * fps;
  }
  s[0] = s[1];
  return s;
}
function smooth3(s: Float32Array): Float32Array {
  const n = s.length, o = new Float32Array(n);
  for (let t = 0; t < n; t++) o[t] = (s[Math.max(0, t - 1)] + s[t] + s[Math.min(n - 1, t + 1)]) / 3;
  return o;
}
function minima(s: Float32Array): number[] {
  const out: number[] = [];
  for (let t = 1; t < s.length - 1; t++) if (s[t] < s[t - 1] && s[t] <= s[t + 1]) out.push(t);
  return out;
}
const height = (j: number): Sig => (raw, _n, n) => { const s = new Float32Array(n); for (let t = 0; t < n; t++) s[t] = raw[t * POSE_DIM + j * 3 + 1]; return s; };
const sigs: Record<string, Sig> = {
  worldFeetSpeed: (raw, _norm, n) => smooth3(speed(raw, n, [J.r_ankle, J.l_ankle, J.r_toe, J.l_toe], 25)),
  worldRightAnkle: (raw, _norm, n) => smooth3(speed(raw, n, [J.r_ankle], 25)),
  relFeetSpeed: (_raw, norm, n) => smooth3(speed(norm, n, [J.r_ankle, J.l_ankle, J.r_toe, J.l_toe], 25)),
  pelvisHeight: (raw, _n, n) => smooth3(height(J.pelvis)(raw, _n, n)),
  worldPelvisSpeed: (raw, _norm, n) => smooth3(speed(raw, n, [J.pelvis], 25)),
  relAllSpeed: (_raw, norm, n) => smooth3(speed(norm, n, Array.from({ length: 23 }, (_, i) => i), 25)),
};
const rows: Record<string, { name: string; style: string; R: number; mean: number; f1best: number; events: number; beats: number }[]> = {};
for (const name of names) {
  const d = await loadDance(dataDir, name);
  const p = prepareDance(d);
  const ph = beatPhases(p.beats, p.numFrames, p.fps);
  for (const [k, f] of Object.entries(sigs)) {
    const ev = minima(f(d.poses, p.poses, p.numFrames));
    let c = 0, s = 0, m = 0;
    for (const t of ev) if (!Number.isNaN(ph[t])) { c += Math.cos(2 * Math.PI * ph[t]); s += Math.sin(2 * Math.PI * ph[t]); m++; }
    const R = Math.hypot(c, s) / Math.max(1, m);
    const mean = ((Math.atan2(s, c) / (2 * Math.PI)) + 1) % 1;
    // Best F1 of the events shifted by a constant (oracle offset), to see the ceiling of a fixed-lag relation.
    let best = 0;
    for (let off = -0.3; off <= 0.3; off += 0.02) best = Math.max(best, beatF1(ev.map((t) => t / 25 + off), p.beats).f1);
    (rows[k] ??= []).push({ name, style: p.style, R, mean, f1best: best, events: ev.length, beats: p.beats.length });
  }
}
for (const [k, r] of Object.entries(rows)) {
  // Consistency of the mean phase across dances (weighted by R): length of the mean unit vector of dance means.
  let c = 0, s = 0;
  for (const x of r) { c += Math.cos(2 * Math.PI * x.mean); s += Math.sin(2 * Math.PI * x.mean); }
  const across = Math.hypot(c, s) / r.length;
  const meanR = r.reduce((a, x) => a + x.R, 0) / r.length;
  const f1 = r.reduce((a, x) => a + x.f1best, 0) / r.length;
  const evRate = r.reduce((a, x) => a + x.events / x.beats, 0) / r.length;
  console.log(k, JSON.stringify({ meanR: +meanR.toFixed(3), acrossDances: +across.toFixed(3), oracleShiftF1: +f1.toFixed(3), eventsPerBeat: +evRate.toFixed(2) }));
  console.log('  ', r.map((x) => `${x.name.slice(6)}:${x.R.toFixed(2)}@${x.mean.toFixed(2)}`).join(' '));
}
