/**
 * Where body2music-piano loses onset F1 on the held-out split: the same one-to-one onset matching as `npm run eval`
 * (training/lib/eval-body2music-piano.ts), with a wider key tolerance (±1, ±2 semitones, any key) and time tolerance
 * (±50, ±100 ms). Prints one line per tolerance and the note counts.
 *
 *   npx tsx training/pianist/diagnose-body2music-piano.ts [--data .cache/pianist] [--model models/body2music-piano] [--clean]
 *
 * --clean scores the clean keypoints through the default frontal camera (view.ts NO_DEGRADE) instead of the stored
 * degraded views (for a model trained with `npm run train:body2music-piano -- --degrade none`).
 */
import { join, resolve } from 'node:path';
import { createRng, seedFrom } from '../../src/features/piano/random';
import { noteFrames } from '../../src/features/piano/roll';
import { NO_DEGRADE, degradeSequence } from '../../src/features/piano/view';
import { ROOT, parseArgs } from '../lib/dance-data';
import { loadPianoCore, modelNotes } from '../lib/eval-body2music-piano';
import { defaultDatasetDir, loadSplit } from './dataset';

type Note = { midi: number; start: number };

/** One-to-one matches of estimated to reference notes within `semis` semitones and `tol` s (closest pairs first). */
function matchWithin(ref: readonly Note[], est: readonly Note[], semis: number, tol: number): number {
  const pairs: [number, number, number][] = [];
  ref.forEach((r, i) =>
    est.forEach((e, j) => {
      const d = Math.abs(r.start - e.start);
      if (d <= tol + 1e-9 && Math.abs(r.midi - e.midi) <= semis) pairs.push([d + Math.abs(r.midi - e.midi), i, j]);
    }),
  );
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

const args = parseArgs(process.argv.slice(2));
const data = resolve(args.data ?? defaultDatasetDir(ROOT));
const core = loadPianoCore(resolve(args.model ?? join(ROOT, 'models', 'body2music-piano')));
const tolerances: [number, number][] = [[0, 0.05], [1, 0.05], [2, 0.05], [0, 0.1], [1, 0.1], [Infinity, 0.05], [Infinity, 0.1]];
const tp = tolerances.map(() => 0);
let nRef = 0;
let nEst = 0;
for (const e of loadSplit(data, 'test')) {
  const ref = e.notes.filter((n) => noteFrames(n.start, n.end, 25)[0] < e.numFrames);
  const v = args.clean === 'true' ? degradeSequence(e.keypoints, e.numFrames, createRng(seedFrom(7, `clean:${e.id}`)), NO_DEGRADE) : { points: e.view, present: e.present };
  const est = modelNotes(core, v.points, v.present, e.numFrames, core.config.roll2midi);
  nRef += ref.length;
  nEst += est.length;
  tolerances.forEach(([s, t], i) => (tp[i] += matchWithin(ref, est, s, t)));
}
tolerances.forEach(([s, t], i) => {
  const p = tp[i] / nEst;
  const r = tp[i] / nRef;
  console.log(`keys within ${Number.isFinite(s) ? `±${s}` : 'any'}, onsets within ±${t * 1000} ms: precision ${p.toFixed(3)} recall ${r.toFixed(3)} F1 ${((2 * p * r) / (p + r)).toFixed(3)}`);
});
console.log(JSON.stringify({ referenceNotes: nRef, estimatedNotes: nEst }));
