/**
 * `npm run data:pianist [-- --seed 1 --train 120 --test 20 --seconds 20 --data DIR --out DIR]`
 *
 * Writes the virtual pianist dataset (see ./dataset.ts) to .cache/pianist: a seeded selection of `--train` training
 * pieces and `--test` held-out pieces (10 % of all pieces are held out, by piece), one excerpt of `--seconds` per piece
 * from a seeded start. Prints a JSON summary with timings (render speed as seconds of audio per second of wall time);
 * timings also go to timing.json (manifest.json and the data are deterministic for a seed).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRng, seedFrom } from '../../src/features/piano/random';
import { ROOT, parseArgs } from '../lib/dance-data';
import { buildManifest, generateExcerpt, shuffled, splitPieces, writeExcerpt, type PianistManifest } from './dataset';
import { listPieces } from './midi';
import { loadPianoRenderer } from './render';

/** Default material: 80 training + 16 held-out excerpts of 15 s (24 min of audio). */
export const DEFAULTS = Object.freeze({ seed: 1, train: 80, test: 16, seconds: 15 });

const args = parseArgs(process.argv.slice(2));
const num = (k: keyof typeof DEFAULTS): number => {
  const v = args[k] === undefined ? DEFAULTS[k] : Number(args[k]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${k} must be a number >= 0 (got ${args[k]})`);
  return v;
};
const seed = num('seed');
const nTrain = num('train');
const nTest = num('test');
const seconds = num('seconds');
const dataDir = resolve(args.data ?? join(ROOT, '..', 'shared', 'data', 'midi', 'classical-piano'));
const out = resolve(args.out ?? join(ROOT, '.cache', 'pianist'));

const t0 = performance.now();
const pieces = listPieces(dataDir);
if (pieces.length === 0) throw new Error(`no pieces in ${dataDir}/metadata.csv`);
const split = splitPieces(
  pieces.map((p) => p.id),
  seed,
);
const pick = (ids: string[], n: number, tag: string): string[] => shuffled(ids, createRng(seedFrom(seed, tag))).slice(0, n).sort();
const chosen = [...pick(split.train, nTrain, 'train').map((id) => ({ id, split: 'train' as const })), ...pick(split.test, nTest, 'test').map((id) => ({ id, split: 'test' as const }))];
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const renderer = await loadPianoRenderer(22050);
const tLoad = (performance.now() - t0) / 1000;
const entries: PianistManifest['excerpts'] = [];
const stage: Record<string, number> = {};
let audioSeconds = 0;
let dropped = 0;
let truncated = 0;
let inputNotes = 0;
let stretched = 0;
let pressed = 0;
for (const [i, c] of chosen.entries()) {
  const piece = pieces.find((p) => p.id === c.id);
  if (!piece) continue;
  const e = await generateExcerpt(piece, c.split, seconds, seed, renderer);
  const t = performance.now();
  const dir = writeExcerpt(out, e);
  for (const [k, v] of Object.entries(e.meta.timing ?? {})) stage[k] = (stage[k] ?? 0) + v;
  stage.write = (stage.write ?? 0) + (performance.now() - t) / 1000;
  entries.push({ id: e.id, split: e.split, dir, from: e.from, seconds: e.seconds, frames: e.numFrames, notes: e.notes.length });
  audioSeconds += e.seconds;
  dropped += e.meta.playability.dropped;
  truncated += e.meta.playability.truncated + e.meta.kinematics.leapTruncated;
  inputNotes += e.meta.playability.notes;
  stretched += e.meta.kinematics.stretchedFingerFrames;
  pressed += e.meta.kinematics.pressedFingerFrames;
  if (args.quiet === undefined) console.error(`${i + 1}/${chosen.length} ${c.split} ${e.id}: ${e.seconds} s, ${e.notes.length} notes (${JSON.stringify(e.meta.timing)})`);
}
const manifest = buildManifest(seed, seconds, dataDir, split, entries);
writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 1));
const wall = (performance.now() - t0) / 1000;
const timing = {
  wallSeconds: Math.round(wall * 10) / 10,
  loadSeconds: Math.round(tLoad * 10) / 10,
  stageSeconds: Object.fromEntries(Object.entries(stage).map(([k, v]) => [k, Math.round(v * 10) / 10])),
  audioSeconds,
  renderAudioSecondsPerWallSecond: Math.round((audioSeconds / (stage.render ?? 1)) * 100) / 100,
  overallAudioSecondsPerWallSecond: Math.round((audioSeconds / wall) * 100) / 100,
};
writeFileSync(join(out, 'timing.json'), JSON.stringify(timing, null, 1));
console.log(
  JSON.stringify({
    out,
    seed,
    excerpts: entries.length,
    totals: manifest.totals,
    heldOutPieces: split.test.length,
    notes: { input: inputNotes, dropped, truncated },
    stretchedFingerFrameRate: pressed ? stretched / pressed : 0,
    timing,
  }),
);
