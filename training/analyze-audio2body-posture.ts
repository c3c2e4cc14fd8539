/**
 * Where audio2body-dance's held-out pose error comes from: posture vs motion. Prints MPJPE (cm, body-facing, as
 * `npm run eval`) and speed ratio on the held-out dances for the model, the global and per-style mean training postures,
 * each dance's own mean posture (an oracle), and the model's motion (its output minus its own mean over the dance) put
 * on the style's mean posture or on the oracle's, in full and at half amplitude.
 *
 *   npx tsx training/analyze-audio2body-posture.ts [MODEL_DIR (default models/audio2body-dance)]
 */
import { join, resolve } from 'node:path';
import { POSE_DIM } from '../src/features/skeleton';
import { createAudio2Body } from '../src/models/audio2body/model';
import { DEFAULT_DANCE_DIR, HELD_OUT, ROOT, listDances, loadDances, splitDances, styleOf } from './lib/dance-data';
import { meanPosesBy, normalizedDance } from './lib/eval-audio2body';
import { jointSpeed, mpjpePerFrame } from './lib/motion-metrics';
import { initTfNode } from './lib/tf-node';

await initTfNode();
const modelDir = resolve(process.argv[2] ?? join(ROOT, 'models', 'audio2body-dance'));
const names = listDances(DEFAULT_DANCE_DIR);
const { train } = splitDances(names);
const styleMean = await meanPosesBy(DEFAULT_DANCE_DIR, train, styleOf);
const model = createAudio2Body(modelDir);
await model.load();
const L = model.config.lookahead;
const tot: Record<string, number> = {};
let frames = 0;
const add = (k: string, v: number) => (tot[k] = (tot[k] ?? 0) + v);
const sum = (x: ArrayLike<number>) => { let s = 0; for (let i = 0; i < x.length; i++) s += x[i]; return s; };
for (const name of HELD_OUT) {
  const [d] = await loadDances(DEFAULT_DANCE_DIR, [name]);
  const n = d.numFrames - L;
  const pred = model.predictSequence(d.features, d.numFrames).slice(L * POSE_DIM, (L + n) * POSE_DIM);
  const real = normalizedDance(d);
  const sm = styleMean[styleOf(name)];
  const gm = model.config.poseNorm.mean;
  const pm = new Float64Array(POSE_DIM);
  const rm = new Float64Array(POSE_DIM);
  for (let i = 0; i < n; i++) for (let k = 0; k < POSE_DIM; k++) { pm[k] += pred[i * POSE_DIM + k] / n; rm[k] += real.facing[i * POSE_DIM + k] / n; }
  const build = (f: (i: number, k: number) => number) => { const o = new Float32Array(n * POSE_DIM); for (let i = 0; i < n; i++) for (let k = 0; k < POSE_DIM; k++) o[i * POSE_DIM + k] = f(i, k); return o; };
  const variants: Record<string, Float32Array> = {
    pred: pred,
    global_mean: build((_, k) => gm[k]),
    style_mean: build((_, k) => sm[k]),
    dance_mean_oracle: build((_, k) => rm[k]),
    pred_motion_on_style_mean: build((i, k) => pred[i * POSE_DIM + k] - pm[k] + sm[k]),
    pred_motion_on_oracle_mean: build((i, k) => pred[i * POSE_DIM + k] - pm[k] + rm[k]),
    half_motion_on_style_mean: build((i, k) => 0.5 * (pred[i * POSE_DIM + k] - pm[k]) + sm[k]),
  };
  const spReal = sum(jointSpeed(real.facing, n));
  for (const [k, v] of Object.entries(variants)) {
    add(k, sum(mpjpePerFrame(v, real.facing, n, real.scale)));
    add(k + '_speed', sum(jointSpeed(v, n)) * real.scale);
  }
  add('real_speed', spReal * real.scale);
  frames += n;
}
const out: Record<string, number> = {};
for (const k of Object.keys(tot)) if (!k.endsWith('_speed')) out[k] = +(tot[k] / frames).toFixed(3), out[k + ' speed_ratio'] = +(tot[k + '_speed'] / tot.real_speed).toFixed(3);
console.log(JSON.stringify(out, null, 1));
model.dispose();
