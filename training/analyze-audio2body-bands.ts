/**
 * Which frequencies of audio2body-dance's motion cost pose error, and what a perfect dance-family classifier would give:
 * held-out metrics (as `npm run eval`) of the LSTM's output (the model without its posture stage) with its slow motion
 * (below fc Hz, a causal one-pole high-pass) replaced by a posture: the global mean training pose, or the mean training
 * pose of the dance's true family (Latin: cha-cha, rumba; Standard: tango, waltz; an oracle the live model does not
 * have, it recognizes the family from the music), the rest scaled by alpha.
 *
 *   npx tsx training/analyze-audio2body-bands.ts [MODEL_DIR]
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { POSE_DIM } from '../src/features/skeleton';
import { createAudio2Body } from '../src/models/audio2body/model';
import { DEFAULT_DANCE_DIR, HELD_OUT, ROOT, listDances, loadDances, splitDances } from './lib/dance-data';
import { aggregate, meanPosesBy, scoreDance, acceptance } from './lib/eval-audio2body';
import { initTfNode } from './lib/tf-node';
import { POSTURE_FAMILIES, familyOf } from './train-audio2body';

await initTfNode();
const modelDir = resolve(process.argv[2] ?? join(ROOT, 'models', 'audio2body-dance'));
const names = listDances(DEFAULT_DANCE_DIR);
const { train } = splitDances(names);
const family = (name: string): string => POSTURE_FAMILIES[familyOf(name)];
const familyMean = await meanPosesBy(DEFAULT_DANCE_DIR, train, family);
// The LSTM alone: a copy of the model folder without the posture stage.
const lstmDir = mkdtempSync(join(tmpdir(), 'a2b-bands-'));
cpSync(modelDir, lstmDir, { recursive: true });
const { posture: _posture, ...lstmConfig } = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as Record<string, unknown>;
writeFileSync(join(lstmDir, 'config.json'), JSON.stringify(lstmConfig));
const model = createAudio2Body(lstmDir);
await model.load();
const L = model.config.lookahead;
const fps = model.config.fps;
const gm = model.config.poseNorm.mean;
const held = await loadDances(DEFAULT_DANCE_DIR, HELD_OUT);
const preds = held.map((d) => model.predictSequence(d.features, d.numFrames).slice(L * POSE_DIM, (d.numFrames) * POSE_DIM));

/** One-pole low-pass (causal), cutoff fc Hz. */
function lowpass(x: Float32Array, n: number, fc: number): Float32Array {
  const a = Math.exp((-2 * Math.PI * fc) / fps);
  const y = new Float32Array(x.length);
  for (let k = 0; k < POSE_DIM; k++) y[k] = x[k];
  for (let t = 1; t < n; t++) for (let k = 0; k < POSE_DIM; k++) y[t * POSE_DIM + k] = a * y[(t - 1) * POSE_DIM + k] + (1 - a) * x[t * POSE_DIM + k];
  return y;
}
type Posture = 'global' | 'family' | 'slow';
function variant(fc: number, alpha: number, posture: Posture, slowHz = 0.02): Record<string, number | string | boolean> {
  const scored = held.map((d, i) => {
    const p = preds[i];
    const n = d.numFrames - L;
    const lp = fc > 0 ? lowpass(p, n, fc) : null;
    const slow = posture === 'slow' ? lowpass(p, n, slowHz) : null;
    const out = new Float32Array(n * POSE_DIM);
    for (let t = 0; t < n; t++) for (let k = 0; k < POSE_DIM; k++) {
      const j = t * POSE_DIM + k;
      const base = posture === 'global' ? gm[k] : posture === 'family' ? familyMean[family(d.name)][k] : slow![j];
      const hp = lp ? p[j] - lp[j] : p[j] - base;
      out[j] = base + alpha * hp;
    }
    return scoreDance(d, out, n, gm);
  });
  const m = aggregate(scored, L, fps);
  const a = acceptance(m);
  return { fc, alpha, posture, mpjpe: +m.mpjpe_cm.toFixed(2), base: +m.baseline_mean_pose_mpjpe_cm.toFixed(2), speed: +m.speed_ratio.toFixed(3), kb: +m.kinematic_beat_rate_ratio.toFixed(3), tempo: +m.motion_tempo_ratio.toFixed(3), bas: +m.bas_pred.toFixed(3), chance: +m.bas_chance.toFixed(3), all: Object.values(a).every(Boolean) };
}

for (const posture of ['global', 'family'] as Posture[]) for (const fc of [0.3, 0.4, 0.5]) for (const alpha of [1, 1.1, 1.2]) {
  const r = variant(fc, alpha, posture);

  console.log(JSON.stringify(r));
}
model.dispose();
rmSync(lstmDir, { recursive: true, force: true });
