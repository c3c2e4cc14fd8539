/**
 * How audio2body-dance's error splits between its posture stage and its motion: held-out metrics (as `npm run eval`)
 * of the stage's posture alone (the music's dance-family posture, no motion) and of the posture plus the model's
 * high-passed motion scaled by 0.5, 0.75, 1 (shipped) and 1.25; and the family probabilities per held-out dance.
 *
 *   [GAINS=0,0.5,0.75,1,1.25] npx tsx training/analyze-audio2body-motion.ts [MODEL_DIR (default models/audio2body-dance)]
 */
import { join, resolve } from 'node:path';
import { POSE_DIM } from '../src/features/skeleton';
import { createAudio2Body, type Audio2BodyConfigV1 } from '../src/models/audio2body/model';
import { PostureStage } from '../src/models/audio2body/posture';
import { DEFAULT_DANCE_DIR, HELD_OUT, ROOT, loadDances } from './lib/dance-data';
import { acceptance, aggregate, scoreDance } from './lib/eval-audio2body';
import { initTfNode } from './lib/tf-node';

await initTfNode();
const modelDir = resolve(process.argv[2] ?? join(ROOT, 'models', 'audio2body-dance'));
const model = createAudio2Body(modelDir);
await model.load();
const cfg = model.config as Audio2BodyConfigV1;
if (!cfg.posture) throw new Error(`${modelDir} has no posture stage`);
const L = cfg.lookahead;
const dim = cfg.featureNorm.mean.length;
const held = await loadDances(DEFAULT_DANCE_DIR, HELD_OUT);
const families: Record<string, number[]> = {};
const parts = held.map((d) => {
  const n = d.numFrames - L;
  const full = model.predictSequence(d.features, d.numFrames);
  const st = new PostureStage(cfg.posture!, dim, cfg.fps);
  const posture = new Float32Array(d.numFrames * POSE_DIM);
  const z = new Float32Array(dim);
  const sum = new Float64Array(cfg.posture!.classes.length);
  for (let t = 0; t < d.numFrames; t++) {
    for (let i = 0; i < dim; i++) z[i] = (d.features[t * dim + i] - cfg.featureNorm.mean[i]) / cfg.featureNorm.std[i];
    st.apply(z, posture.subarray(t * POSE_DIM, (t + 1) * POSE_DIM));
    for (let c = 0; c < sum.length; c++) sum[c] += st.probs[c] / d.numFrames;
  }
  families[d.name] = Array.from(sum, (v) => +v.toFixed(3));
  return { d, n, full: full.subarray(L * POSE_DIM), posture: posture.subarray(L * POSE_DIM) };
});
console.log(JSON.stringify({ meanFamilyProbabilities: cfg.posture.classes, ...families }));
for (const g of (process.env.GAINS ?? "0,0.5,0.75,1,1.25").split(",").map(Number)) {
  const scored = parts.map(({ d, n, full, posture }) => {
    const out = new Float32Array(n * POSE_DIM);
    for (let i = 0; i < out.length; i++) out[i] = posture[i] + g * (full[i] - posture[i]);
    return scoreDance(d, out, n, cfg.poseNorm.mean);
  });
  const m = aggregate(scored, L, cfg.fps);
  const r = (x: number) => +x.toFixed(3);
  console.log(JSON.stringify({ motionGain: g, mpjpe_cm: r(m.mpjpe_cm), baseline: r(m.baseline_mean_pose_mpjpe_cm), speed_ratio: r(m.speed_ratio), kinematic_beat_rate_ratio: r(m.kinematic_beat_rate_ratio), motion_tempo_ratio: r(m.motion_tempo_ratio), bas_pred: r(m.bas_pred), bas_chance: r(m.bas_chance), all_met: Object.values(acceptance(m)).every(Boolean) }));
}
model.dispose();
