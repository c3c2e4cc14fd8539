/**
 * How much of body2music-piano's onset F1 the webcam degradation takes away: the held-out excerpts' clean keypoints
 * are degraded again (src/features/piano/view.ts degradeSequence, seeded) at several levels, from none to the issue's
 * full model (about +-15 deg yaw, +-10 deg pitch, +-20 % distance, depth noisy or absent, 1 cm jitter, 5 % missing
 * frames), and each level is scored like `npm run eval`: the geometric baseline (its height and key rule refitted on
 * the training excerpts degraded the same way) and the shipped model (trained on the full degradation).
 * Prints one JSON line per level.
 *
 *   npx tsx training/pianist/analyze-degradation.ts [--data .cache/pianist] [--model models/body2music-piano]
 */
import { join, resolve } from 'node:path';
import { createRng, seedFrom } from '../../src/features/piano/random';
import { NO_DEGRADE, degradeSequence, type DegradeOptions } from '../../src/features/piano/view';
import { ROOT, parseArgs } from '../lib/dance-data';
import { addCounts, countsToMetrics, fitGeometricBaseline, geometricNotes, loadPianoCore, modelNotes, zeroCounts } from '../lib/eval-body2music-piano';
import { defaultDatasetDir, loadSplit, type LoadedExcerpt } from './dataset';

const LEVELS: [string, Partial<DegradeOptions>][] = [
  ['none', NO_DEGRADE],
  ['missing 5 %', { ...NO_DEGRADE, missingRate: 0.05 }],
  ['camera pose only', { ...NO_DEGRADE, maxYaw: (15 * Math.PI) / 180, maxPitch: (10 * Math.PI) / 180, distanceRange: 0.2 }],
  ['jitter 0.25 cm', { ...NO_DEGRADE, jitterCm: 0.25, calibrationJitterCm: 0.25 }],
  ['jitter 0.5 cm', { ...NO_DEGRADE, jitterCm: 0.5, calibrationJitterCm: 0.5 }],
  ['jitter 1 cm', { ...NO_DEGRADE, jitterCm: 1, calibrationJitterCm: 1 }],
  ['full (the issue, as trained and evaluated)', {}],
];

const args = parseArgs(process.argv.slice(2));
const data = resolve(args.data ?? defaultDatasetDir(ROOT));
const core = loadPianoCore(resolve(args.model ?? join(ROOT, 'models', 'body2music-piano')));
const train = loadSplit(data, 'train');
const test = loadSplit(data, 'test');
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** The excerpts with their view replaced by a fresh degradation at `o` (seeded per excerpt and level). */
function degraded(xs: LoadedExcerpt[], o: Partial<DegradeOptions>, tag: string): LoadedExcerpt[] {
  return xs.map((e) => {
    const v = degradeSequence(e.keypoints, e.numFrames, createRng(seedFrom(7, `${tag}:${e.id}`)), o);
    return { ...e, view: v.points, present: v.present };
  });
}

for (const [name, o] of LEVELS) {
  const t0 = performance.now();
  const base = fitGeometricBaseline(degraded(train, o, name));
  const model = zeroCounts();
  const geo = zeroCounts();
  for (const e of degraded(test, o, name)) {
    addCounts(model, e, modelNotes(core, e.view, e.present, e.numFrames, core.config.roll2midi));
    addCounts(geo, e, geometricNotes(e.view, e.present, e.numFrames, base));
  }
  const m = countsToMetrics(model);
  const g = countsToMetrics(geo);
  console.log(JSON.stringify({ level: name, model_onset_f1: r3(m.onset.f1), model_frame_f1: r3(m.frame.f1), geometric_onset_f1: r3(g.onset.f1), geometric_frame_f1: r3(g.frame.f1), geometric: { height: base.height, keyRule: base.keyRule }, s: r3((performance.now() - t0) / 1000) }));
}
