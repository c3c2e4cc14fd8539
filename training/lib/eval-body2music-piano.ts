/**
 * Evaluation of body2music-piano (movement -> piano) on held-out pianist excerpts (training/pianist/dataset.ts), on the
 * stored degraded camera view of each excerpt (features/piano/view.ts degradeSequence with the dataset's fixed seed:
 * projected 2D from a varying frontal camera, depth noisy or absent, ~1 cm jitter, 5 % frames missing).
 *
 * Metrics (note-level as in mir_eval's transcription metrics, without offsets):
 * - onset_f1: notes matched one-to-one with reference notes of the same pitch whose onset is within +-50 ms;
 * - frame_f1: over all (frame, key) cells, the notes' roll (features/piano/roll.ts convention) against the reference roll;
 * - baseline_geometric_onset_f1 (and _frame_f1): the rule that presses the key under any fingertip that drops below
 *   key height: a fingertip with view y below `height` cm holds the key at its x (white keys, or the black key where x
 *   is within a black key's width: `keyRule`), a note per fingertip descent. `height` and `keyRule` are chosen on the
 *   training split's stored views (best onset F1), then applied to the test split.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEYS, LOWEST_MIDI, keyAt } from '../../src/features/piano/keyboard';
import { FINGERTIPS, LEFT_HAND, PIANIST_DIM, RIGHT_HAND } from '../../src/features/piano/layout';
import { noteFrames, pianoRoll } from '../../src/features/piano/roll';
import { PianoPose2RollCore, checkPianoPose2RollConfig, emptyPianoRollFrame, parsePianoNetwork, type PianoRollFrame, type Roll2MidiSettings } from '../../src/models/body2music-piano/pose2roll';
import { rollToNotes, type MidiNote } from '../../src/models/body2music-piano/roll2midi';
import { loadSplit, readManifest, type LoadedExcerpt } from '../pianist/dataset';

/** Onset tolerance, s. */
export const ONSET_TOLERANCE = 0.05;

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
}

function prf(tp: number, nEst: number, nRef: number): Prf {
  const precision = nEst > 0 ? tp / nEst : 0;
  const recall = nRef > 0 ? tp / nRef : 0;
  return { precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
}

/** True positives of onset matching: same pitch, |onset difference| <= tol, one-to-one (closest pairs first). */
export function onsetMatches(ref: readonly { midi: number; start: number }[], est: readonly { midi: number; start: number }[], tol = ONSET_TOLERANCE): number {
  const pairs: [number, number, number][] = [];
  const byPitch = new Map<number, number[]>();
  ref.forEach((r, i) => {
    const l = byPitch.get(r.midi) ?? [];
    l.push(i);
    byPitch.set(r.midi, l);
  });
  est.forEach((e, j) => {
    for (const i of byPitch.get(e.midi) ?? []) {
      const d = Math.abs(ref[i].start - e.start);
      if (d <= tol + 1e-9) pairs.push([d, i, j]);
    }
  });
  pairs.sort((a, b) => a[0] - b[0]);
  const usedR = new Uint8Array(ref.length);
  const usedE = new Uint8Array(est.length);
  let tp = 0;
  for (const [, i, j] of pairs) {
    if (usedR[i] || usedE[j]) continue;
    usedR[i] = 1;
    usedE[j] = 1;
    tp++;
  }
  return tp;
}

/** Sums of true positives and counts, to pool F1 over excerpts (micro average). */
export interface Counts {
  onsetTp: number;
  onsetEst: number;
  onsetRef: number;
  frameTp: number;
  frameEst: number;
  frameRef: number;
}

export function zeroCounts(): Counts {
  return { onsetTp: 0, onsetEst: 0, onsetRef: 0, frameTp: 0, frameEst: 0, frameRef: 0 };
}

/** Adds one excerpt's onset and frame counts of estimated notes against the reference. */
export function addCounts(c: Counts, e: LoadedExcerpt, est: readonly MidiNote[]): Counts {
  const ref = e.notes.filter((n) => noteFrames(n.start, n.end, 25)[0] < e.numFrames);
  c.onsetTp += onsetMatches(ref, est);
  c.onsetEst += est.length;
  c.onsetRef += ref.length;
  const roll = pianoRoll(est.map((n) => ({ ...n, end: Math.min(n.end, e.numFrames / 25 + 1) })), e.numFrames, 25).sounding;
  for (let i = 0; i < roll.length; i++) {
    if (roll[i] && e.roll[i]) c.frameTp++;
    c.frameEst += roll[i];
    c.frameRef += e.roll[i];
  }
  return c;
}

export function countsToMetrics(c: Counts): { onset: Prf; frame: Prf } {
  return { onset: prf(c.onsetTp, c.onsetEst, c.onsetRef), frame: prf(c.frameTp, c.frameEst, c.frameRef) };
}

/** Runs the Pose2Roll core over a view sequence; returns one output frame per input frame (frame i = time i / fps). */
export function runPose2Roll(core: PianoPose2RollCore, view: Float32Array, present: Uint8Array, numFrames: number): PianoRollFrame[] {
  core.reset();
  const L = core.config.lookahead;
  const frames: PianoRollFrame[] = [];
  for (let k = 0; k < numFrames + L; k++) {
    const f = emptyPianoRollFrame();
    if (k < numFrames) core.step(view, present[k] === 1, f, k * PIANIST_DIM);
    else core.step(null, false, f);
    if (k >= L) frames.push(f);
  }
  core.reset();
  return frames;
}

/** Parameters of the geometric baseline. */
export interface GeometricParams {
  /** View y (cm) below which a fingertip presses. */
  height: number;
  /** 'white': the white key at x; 'black-wins': the black key where x is within one, else the white key. */
  keyRule: 'white' | 'black-wins';
}

/** The geometric baseline's notes for one view sequence (frame convention as Roll2Midi: start (k - 0.5) / fps). */
export function geometricNotes(view: Float32Array, present: Uint8Array, numFrames: number, p: GeometricParams, fps = 25): MidiNote[] {
  const notes: MidiNote[] = [];
  const z = p.keyRule === 'white' ? -2 : KEYS[1].front - 1.5;
  for (const hand of [RIGHT_HAND, LEFT_HAND]) {
    for (const tip of FINGERTIPS) {
      const j = (hand + tip) * 3;
      let cur: MidiNote | null = null;
      for (let k = 0; k < numFrames; k++) {
        if (!present[k]) continue; // hold the state through missing frames
        const x = view[k * PIANIST_DIM + j];
        const y = view[k * PIANIST_DIM + j + 1];
        const down = y < p.height;
        const midi = down ? keyAt(x, z) : -1;
        const t = (k - 0.5) / fps;
        if (cur && (!down || midi !== cur.midi)) {
          cur.end = t;
          cur = null;
        }
        if (!cur && down && midi >= LOWEST_MIDI) {
          cur = { midi, start: t, end: Number.POSITIVE_INFINITY, velocity: 64 };
          notes.push(cur);
        }
      }
      if (cur) cur.end = numFrames / fps;
    }
  }
  return notes.sort((a, b) => a.start - b.start);
}

/** Chooses the geometric baseline's height and key rule by onset F1 on `excerpts`. */
export function fitGeometricBaseline(excerpts: readonly LoadedExcerpt[]): GeometricParams & { trainOnsetF1: number } {
  let best: GeometricParams & { trainOnsetF1: number } = { height: 0, keyRule: 'white', trainOnsetF1: -1 };
  for (const keyRule of ['white', 'black-wins'] as const) {
    for (let height = -2; height <= 3.001; height += 0.25) {
      const c = zeroCounts();
      for (const e of excerpts) {
        const est = geometricNotes(e.view, e.present, e.numFrames, { height, keyRule });
        c.onsetTp += onsetMatches(e.notes, est);
        c.onsetEst += est.length;
        c.onsetRef += e.notes.length;
      }
      const f1 = countsToMetrics(c).onset.f1;
      if (f1 > best.trainOnsetF1) best = { height: Math.round(height * 100) / 100, keyRule, trainOnsetF1: f1 };
    }
  }
  return best;
}

/** Loads the model core from a folder (Node). */
export function loadPianoCore(modelDir: string): PianoPose2RollCore {
  const cfg = checkPianoPose2RollConfig(JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')), `at ${modelDir}`);
  const net = parsePianoNetwork(JSON.parse(readFileSync(join(modelDir, 'network.json'), 'utf8')), cfg, `at ${modelDir}`);
  return new PianoPose2RollCore(cfg, net);
}

/** Model notes of one excerpt's view. */
export function modelNotes(core: PianoPose2RollCore, view: Float32Array, present: Uint8Array, numFrames: number, settings: Roll2MidiSettings): MidiNote[] {
  const frames = runPose2Roll(core, view, present, numFrames);
  return rollToNotes(frames, { fps: core.config.fps, ...settings });
}

export interface Body2MusicPianoReport {
  data: string;
  split: 'test';
  excerpts: number;
  reference_notes: number;
  seconds: number;
  lookahead_ms: number;
  frame_f1: number;
  frame_precision: number;
  frame_recall: number;
  onset_f1: number;
  onset_precision: number;
  onset_recall: number;
  baseline_geometric_onset_f1: number;
  baseline_geometric_frame_f1: number;
  baseline_geometric: GeometricParams & { trainOnsetF1: number };
  /** Onset F1 on the excerpts with and without depth in the view. */
  onset_f1_depth: number | null;
  onset_f1_no_depth: number | null;
  per_excerpt: { id: string; depth: boolean; notes: number; onset_f1: number; frame_f1: number; baseline_onset_f1: number }[];
}

/** Evaluates the model folder on the dataset's test split (and fits the baseline on its train split). */
export function evalBody2MusicPiano(opts: { datasetDir: string; modelDir: string }): Body2MusicPianoReport {
  if (!existsSync(join(opts.modelDir, 'config.json'))) throw new Error(`no body2music-piano model at ${opts.modelDir} (run npm run train:body2music-piano)`);
  readManifest(opts.datasetDir);
  const core = loadPianoCore(opts.modelDir);
  const test = loadSplit(opts.datasetDir, 'test');
  if (test.length === 0) throw new Error(`no test excerpts in ${opts.datasetDir}`);
  const baseline = fitGeometricBaseline(loadSplit(opts.datasetDir, 'train'));
  const all = zeroCounts();
  const base = zeroCounts();
  const depthC = zeroCounts();
  const noDepthC = zeroCounts();
  const per: Body2MusicPianoReport['per_excerpt'] = [];
  let seconds = 0;
  for (const e of test) {
    seconds += e.numFrames / 25;
    const est = modelNotes(core, e.view, e.present, e.numFrames, core.config.roll2midi);
    const one = addCounts(zeroCounts(), e, est);
    addCounts(all, e, est);
    addCounts(e.meta.depth ? depthC : noDepthC, e, est);
    const b = addCounts(zeroCounts(), e, geometricNotes(e.view, e.present, e.numFrames, baseline));
    addCounts(base, e, geometricNotes(e.view, e.present, e.numFrames, baseline));
    const m = countsToMetrics(one);
    per.push({ id: e.id, depth: e.meta.depth, notes: e.notes.length, onset_f1: r4(m.onset.f1), frame_f1: r4(m.frame.f1), baseline_onset_f1: r4(countsToMetrics(b).onset.f1) });
  }
  const m = countsToMetrics(all);
  const bm = countsToMetrics(base);
  return {
    data: opts.datasetDir,
    split: 'test',
    excerpts: test.length,
    reference_notes: all.onsetRef,
    seconds,
    lookahead_ms: (1000 * core.config.lookahead) / core.config.fps,
    frame_f1: r4(m.frame.f1),
    frame_precision: r4(m.frame.precision),
    frame_recall: r4(m.frame.recall),
    onset_f1: r4(m.onset.f1),
    onset_precision: r4(m.onset.precision),
    onset_recall: r4(m.onset.recall),
    baseline_geometric_onset_f1: r4(bm.onset.f1),
    baseline_geometric_frame_f1: r4(bm.frame.f1),
    baseline_geometric: { ...baseline, trainOnsetF1: r4(baseline.trainOnsetF1) },
    onset_f1_depth: depthC.onsetRef > 0 ? r4(countsToMetrics(depthC).onset.f1) : null,
    onset_f1_no_depth: noDepthC.onsetRef > 0 ? r4(countsToMetrics(noDepthC).onset.f1) : null,
    per_excerpt: per,
  };
}

function r4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

