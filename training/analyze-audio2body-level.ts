/**
 * `npx tsx training/analyze-audio2body-level.ts`: how much the shipped dancer (models/audio2body-dance) depends on the
 * input level. The first 30 s of three recordings in ../shared/data/music at gains 1, 0.5, 0.25 and 0.1 go through the
 * shared feature code and the model's whole-sequence inference; per gain it prints the mean joint speed (body scales/s)
 * and the mean joint distance from the gain-1 output (body scales). A microphone's level varies by more than 6 dB from
 * room to room, so this is what a performer sees when the same music plays softer.
 */
import { join } from 'node:path';
import { extractFeatures } from '../src/features/extractor';
import { POSE_DIM } from '../src/features/skeleton';
import { createAudio2Body } from '../src/models/audio2body/model';
import { decodeAudioFile } from './lib/audio-file';
import { ROOT } from './lib/dance-data';
import { initTfNode } from './lib/tf-node';
await initTfNode();
const m = createAudio2Body(join(ROOT, 'models', 'audio2body-dance'));
await m.load();
for (const file of ['loop_amen_full.flac', 'brahms_hungarian_dance_5.ogg', 'macleod_vibe_ace.ogg']) {
  const a = await decodeAudioFile(join(ROOT, '..', 'shared', 'data', 'music', file));
  const secs = Math.min(a.samples.length, a.sampleRate * 30);
  const base = a.samples.subarray(0, secs);
  let ref: Float32Array | null = null;
  const row: Record<string, unknown> = { file };
  for (const g of [1, 0.5, 0.25, 0.1]) {
    const x = base.map((v) => v * g);
    const f = extractFeatures(x, a.sampleRate, m.config.featureSpec);
    const y = m.predictSequence(f.data, f.numFrames);
    // mean joint speed (units/s) and mean distance to the gain-1 output
    let sp = 0;
    for (let t = 1; t < f.numFrames; t++) { let s = 0; for (let j = 0; j < 23; j++) { const o = t * POSE_DIM + j * 3, p = o - POSE_DIM; s += Math.hypot(y[o] - y[p], y[o + 1] - y[p + 1], y[o + 2] - y[p + 2]); } sp += s / 23; }
    sp = (sp / (f.numFrames - 1)) * 25;
    let d = 0;
    if (ref) { for (let t = 0; t < f.numFrames; t++) { let s = 0; for (let j = 0; j < 23; j++) { const o = t * POSE_DIM + j * 3; s += Math.hypot(y[o] - ref[o], y[o + 1] - ref[o + 1], y[o + 2] - ref[o + 2]); } d += s / 23; } d /= f.numFrames; }
    else ref = y;
    row[`g${g}`] = { speed: +sp.toFixed(3), distFromG1: +d.toFixed(3) };
  }
  console.log(JSON.stringify(row));
}
m.dispose();
