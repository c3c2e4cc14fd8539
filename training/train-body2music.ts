/**
 * Trains the Body -> music Pose2Roll network on the Dance with Melody data and writes models/body2music-dance:
 * model.json + weights.bin, config.json (Body2MusicConfig), card.json (data, split, metrics, baselines, time, command).
 *
 *   npm run train:body2music -- [--data DIR] [--out DIR] [--epochs N] [--dances a,b] [--seed S] [--steps N]
 *                              [--beat-target beats|onset] [--beat-sigma S] [--beat-weight W]
 *
 * Inputs: a causal window of normalized poses (body-facing, the dancer's median body scale) and their velocities,
 * augmented so the model transfers to BlazePose-derived poses (noise, yaw / pitch, scale, per-joint offsets, frozen
 * frames). Targets at the window's last frame, from our own feature code on each dance's music: log energy, tempo
 * (beats tracked on the onset feature by training/lib/beats.ts), the dance's style, and the music-beat likelihood
 * (`--beat-target beats`: Gaussian bumps of `--beat-sigma` s at the tracked beats; `onset`: the music's onset envelope,
 * training/lib/beats.ts prepareOnset, / 3 and clipped to 1): the causal beat curve that Roll2Score's phase tracker
 * follows when config.beatSource is 'network'. The card reports held-out metrics for both beat sources.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { J, JOINT_NAMES, POSE_DIM } from '../src/features/skeleton';
import { computeNormalization } from '../src/features/spec';
import { ACTIVITY_LAG, INPUT_DIM, inputFrame, inputSequence, motionSpeed } from '../src/models/body2music/features';
import { OUT, buildPose2RollNetwork } from '../src/models/body2music/network';
import { BODY2MUSIC_CONFIG_VERSION, BODY2MUSIC_FPS, createPose2Roll, emptyRoll, type Pose2RollConfig } from '../src/models/body2music/pose2roll';
import { STYLES } from '../src/types';
import { DEFAULT_DANCE_DIR, HELD_OUT, ROOT, listDances, loadDances, parseArgs, splitDances } from './lib/dance-data';
import { beatLikelihood, beatPhaseCoherence, evalBody2Music, median, prepareDance, verticalOnsetCorrelation, type PreparedDance } from './lib/eval-body2music';
import { initTfNode, saveLayersModel } from './lib/tf-node';
import { mulberry32 } from './lib/lstm-bptt';

const WINDOW = 64;
const BATCH = 128;
/** Activity is 0 at or below this speed (body scales/s): allowance for pose-estimator jitter of a still person. */
const ACTIVITY_STILL = 0.15;
/** Defaults: width (standard deviation) of the beat-likelihood bumps at the music's tracked beats, seconds, and the
 * weight of the beat term in the loss. */
const BEAT_SIGMA = 0.04;
const BEAT_WEIGHT = 1;
const BEAT_TARGETS = ['beats', 'onset'] as const;

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
}

function percentile(xs: Float32Array | number[], q: number): number {
  const s = Float32Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

interface TrainDance extends PreparedDance {
  energy: Float32Array;
  /** Beat-likelihood target per frame (0..1). */
  beatCurve: Float32Array;
  styleIndex: number;
}

/** Augments a window of normalized poses (count x 69) in place: rotation, scale, joint offsets, noise, frozen frames. */
function augment(w: Float32Array, count: number, rand: () => number): void {
  const yaw = (rand() * 2 - 1) * 0.35;
  const pitch = (rand() * 2 - 1) * 0.17;
  const scale = 0.88 + rand() * 0.24;
  const cy = Math.cos(yaw);
  const sy = Math.sin(yaw);
  const cp = Math.cos(pitch);
  const sp = Math.sin(pitch);
  const offsets = Float32Array.from({ length: POSE_DIM }, () => gaussian(rand) * 0.03);
  const noise = rand() * 0.03;
  const freeze = rand() < 0.5 ? 0.08 : 0;
  for (let f = 0; f < count; f++) {
    const o = f * POSE_DIM;
    if (f > 0 && freeze > 0 && rand() < freeze) {
      w.copyWithin(o, o - POSE_DIM, o);
      continue;
    }
    for (let j = 0; j < 23; j++) {
      const x = w[o + j * 3];
      const y = w[o + j * 3 + 1];
      const z = w[o + j * 3 + 2];
      // Yaw about y, then pitch about x.
      const x1 = x * cy + z * sy;
      const z1 = -x * sy + z * cy;
      const y2 = y * cp - z1 * sp;
      const z2 = y * sp + z1 * cp;
      w[o + j * 3] = x1 * scale + offsets[j * 3] + gaussian(rand) * noise;
      w[o + j * 3 + 1] = y2 * scale + offsets[j * 3 + 1] + gaussian(rand) * noise;
      w[o + j * 3 + 2] = z2 * scale + offsets[j * 3 + 2] + gaussian(rand) * noise;
    }
    // Back to pelvis-relative, as normalizePose leaves every live pose.
    const px = w[o + J.pelvis * 3];
    const py = w[o + J.pelvis * 3 + 1];
    const pz = w[o + J.pelvis * 3 + 2];
    for (let j = 0; j < 23; j++) {
      w[o + j * 3] -= px;
      w[o + j * 3 + 1] -= py;
      w[o + j * 3 + 2] -= pz;
    }
  }
}

/** Loss of the raw outputs against [energy, log2(tempo / 100), style one-hot x4, beat likelihood]. */
function rollLoss(yTrue: tf.Tensor, yPred: tf.Tensor, beatWeight: number): tf.Tensor {
  return tf.tidy(() => {
    const n = yTrue.shape[0] as number;
    const energy = tf.losses.sigmoidCrossEntropy(yTrue.slice([0, OUT.energy], [n, 1]), yPred.slice([0, OUT.energy], [n, 1]));
    const tempo = tf.losses.meanSquaredError(yTrue.slice([0, OUT.tempo], [n, 1]), yPred.slice([0, OUT.tempo], [n, 1]));
    const style = tf.losses.softmaxCrossEntropy(yTrue.slice([0, OUT.style], [n, STYLES.length]), yPred.slice([0, OUT.style], [n, STYLES.length]));
    const beat = tf.losses.sigmoidCrossEntropy(yTrue.slice([0, OUT.beat], [n, 1]), yPred.slice([0, OUT.beat], [n, 1]));
    return energy.mul(0.3).add(tempo.mul(2)).add(style.mul(0.5)).add(beat.mul(beatWeight));
  });
}

/** Median and 95th-percentile time of one streaming step of the saved model on real poses, ms. */
async function benchStep(dir: string, d: PreparedDance): Promise<{ stepMsMedian: number; stepMsP95: number }> {
  const m = createPose2Roll(dir);
  await m.load();
  const roll = emptyRoll();
  const times: number[] = [];
  for (let i = 0; i < 550; i++) {
    const t = i % d.numFrames;
    const a = performance.now();
    m.step(d.poses.subarray(t * POSE_DIM, (t + 1) * POSE_DIM), roll);
    if (i >= 50) times.push(performance.now() - a);
  }
  m.dispose();
  times.sort((x, y) => x - y);
  const r = (x: number): number => Math.round(x * 1000) / 1000;
  return { stepMsMedian: r(times[times.length >> 1]), stepMsP95: r(times[Math.floor(times.length * 0.95)]) };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dataDir = resolve(args.data ?? DEFAULT_DANCE_DIR);
  const outDir = resolve(args.out ?? join(ROOT, 'models', 'body2music-dance'));
  const epochs = Number(args.epochs ?? 24);
  const steps = Number(args.steps ?? 32);
  const seed = Number(args.seed ?? 7);
  if (!(Number.isInteger(epochs) && epochs >= 1)) throw new Error(`--epochs must be a positive integer (got ${args.epochs})`);
  if (!(Number.isInteger(steps) && steps >= 1)) throw new Error(`--steps must be a positive integer (got ${args.steps})`);
  const beatTarget = (args['beat-target'] ?? 'beats') as (typeof BEAT_TARGETS)[number];
  const beatSigma = Number(args['beat-sigma'] ?? BEAT_SIGMA);
  const beatWeight = Number(args['beat-weight'] ?? BEAT_WEIGHT);
  if (!BEAT_TARGETS.includes(beatTarget)) throw new Error(`--beat-target must be one of ${BEAT_TARGETS.join(', ')} (got ${beatTarget})`);
  if (!(beatSigma > 0 && beatSigma <= 0.5)) throw new Error(`--beat-sigma must be in (0, 0.5] s (got ${args['beat-sigma']})`);
  if (!(beatWeight >= 0)) throw new Error(`--beat-weight must be >= 0 (got ${args['beat-weight']})`);
  const all = listDances(dataDir);
  if (all.length === 0) throw new Error(`no DANCE_* folders in ${dataDir}`);
  const names = args.dances ? args.dances.split(',').map((s) => s.trim()).filter((s) => s) : all;
  for (const n of names) if (!all.includes(n)) throw new Error(`unknown dance ${n} (in ${dataDir}: ${all.join(', ')})`);
  const { train, test } = splitDances(names);
  if (train.length === 0) throw new Error('no training dances left after the held-out split');
  const t0 = performance.now();
  await initTfNode('wasm');
  tf.setBackend('wasm');

  const loaded = await loadDances(dataDir, train, true);
  const prepared = loaded.map(prepareDance);
  // Energy target: smoothed log energy scaled to 0..1 by the training set's 5th / 95th percentiles.
  const allEnergy = prepared.flatMap((p) => Array.from(p.logEnergy));
  const eLo = percentile(allEnergy, 0.05);
  const eHi = percentile(allEnergy, 0.95);
  const dances: TrainDance[] = prepared.map((p) => ({
    ...p,
    energy: p.logEnergy.map((v) => Math.min(1, Math.max(0, (v - eLo) / (eHi - eLo)))),
    beatCurve: beatTarget === 'onset' ? Float32Array.from(p.onset, (v) => Math.min(1, v / 3)) : beatLikelihood(p.beats, p.numFrames, p.fps, beatSigma),
    styleIndex: STYLES.indexOf(p.style),
  }));
  const inputs = dances.map((d) => inputSequence(d.poses, d.numFrames, d.fps));
  const inputNorm = computeNormalization(inputs.map((x) => ({ data: x, dim: INPUT_DIM })), 0.05);
  const medianBpm = median(dances.map((d) => d.bpm));
  const styleBpm = STYLES.map((s) => {
    const b = dances.filter((d) => d.style === s).map((d) => d.bpm);
    return b.length ? median(b) : medianBpm;
  });
  // Activity reaches 1 at the training dancers' 25th-percentile speed.
  const speeds: number[] = [];
  for (const d of dances) {
    for (let t = ACTIVITY_LAG; t < d.numFrames; t += 5) {
      speeds.push(motionSpeed(d.poses.subarray(t * POSE_DIM, (t + 1) * POSE_DIM), d.poses.subarray((t - ACTIVITY_LAG) * POSE_DIM, (t - ACTIVITY_LAG + 1) * POSE_DIM), ACTIVITY_LAG / d.fps));
    }
  }
  const activityFull = Math.max(ACTIVITY_STILL + 0.1, percentile(speeds, 0.25));
  // Sampling: dances weighted so each style gets frames in proportion to the square root of its share.
  const styleFrames = STYLES.map((_, s) => dances.filter((d) => d.styleIndex === s).reduce((a, d) => a + d.numFrames, 0));
  const weights = dances.map((d) => d.numFrames / Math.sqrt(styleFrames[d.styleIndex]));
  const wSum = weights.reduce((a, b) => a + b, 0);
  const cum: number[] = [];
  weights.reduce((a, w, i) => ((cum[i] = a + w / wSum), a + w / wSum), 0);

  const rand = mulberry32(seed);
  const net = buildPose2RollNetwork(WINDOW, INPUT_DIM, seed);
  net.compile({ optimizer: tf.train.adam(1e-3), loss: (yt: tf.Tensor, yp: tf.Tensor) => rollLoss(yt, yp, beatWeight) });
  const params = net.countParams();
  console.error(`train ${train.length} dances (${dances.reduce((a, d) => a + d.numFrames, 0)} frames), held out ${test.length}; ${params} parameters; medianBpm ${medianBpm.toFixed(1)}; styleBpm ${styleBpm.map((b) => b.toFixed(1)).join(', ')}; activityFull ${activityFull.toFixed(3)}`);

  const xb = new Float32Array(BATCH * WINDOW * INPUT_DIM);
  const yb = new Float32Array(BATCH * OUT.size);
  const win = new Float32Array((WINDOW + 1) * POSE_DIM);
  const frame = new Float32Array(INPUT_DIM);
  const mean = Float32Array.from(inputNorm.mean);
  const inv = Float32Array.from(inputNorm.std, (s) => 1 / s);
  const losses: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    if (epoch === Math.floor(epochs * 0.75)) net.optimizer = tf.train.adam(3e-4);
    let sum = 0;
    for (let s = 0; s < steps; s++) {
      for (let b = 0; b < BATCH; b++) {
        const r = rand();
        let di = cum.findIndex((c) => r < c);
        if (di < 0) di = dances.length - 1;
        const d = dances[di];
        const t = WINDOW - 1 + Math.floor(rand() * (d.numFrames - WINDOW + 1));
        // Poses t - WINDOW .. t (the first only for the velocity of the window's first frame).
        for (let k = 0; k <= WINDOW; k++) {
          const src = Math.max(0, t - WINDOW + k);
          win.set(d.poses.subarray(src * POSE_DIM, (src + 1) * POSE_DIM), k * POSE_DIM);
        }
        augment(win, WINDOW + 1, rand);
        for (let k = 0; k < WINDOW; k++) {
          inputFrame(win.subarray((k + 1) * POSE_DIM, (k + 2) * POSE_DIM), win.subarray(k * POSE_DIM, (k + 1) * POSE_DIM), d.fps, frame);
          const o = (b * WINDOW + k) * INPUT_DIM;
          for (let i = 0; i < INPUT_DIM; i++) xb[o + i] = (frame[i] - mean[i]) * inv[i];
        }
        const y = b * OUT.size;
        yb[y + OUT.energy] = d.energy[t];
        yb[y + OUT.tempo] = Math.log2(d.bpm / 100);
        yb[y + OUT.beat] = d.beatCurve[t];
        for (let k = 0; k < STYLES.length; k++) yb[y + OUT.style + k] = k === d.styleIndex ? 1 : 0;
      }
      const xs = tf.tensor3d(xb, [BATCH, WINDOW, INPUT_DIM]);
      const ys = tf.tensor2d(yb, [BATCH, OUT.size]);
      const l = (await net.trainOnBatch(xs, ys)) as number;
      xs.dispose();
      ys.dispose();
      sum += l;
    }
    losses.push(sum / steps);
    console.error(`epoch ${epoch + 1}/${epochs} loss ${(sum / steps).toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const trainSeconds = (performance.now() - t0) / 1000;

  mkdirSync(outDir, { recursive: true });
  await saveLayersModel(net, outDir);
  net.dispose();
  const round = (x: number): number => Math.round(x * 1e5) / 1e5;
  const config: Pose2RollConfig = {
    kind: 'body2music',
    version: BODY2MUSIC_CONFIG_VERSION,
    fps: BODY2MUSIC_FPS,
    joints: [...JOINT_NAMES],
    bodyFacing: true,
    window: WINDOW,
    inputNorm: { mean: inputNorm.mean.map(round), std: inputNorm.std.map(round) },
    medianBpm: round(medianBpm),
    styles: [...STYLES],
    styleBpm: styleBpm.map(round),
    activityStill: ACTIVITY_STILL,
    activityFull: round(activityFull),
    beatSource: 'network',
  };
  writeFileSync(join(outDir, 'config.json'), JSON.stringify(config, null, 1));

  const metrics = test.length ? await evalBody2Music({ dataDir, names: test, modelDir: outDir }) : null;
  const perturb = { noise: 0.025, frozen: 0.05, yaw: 0.2, seed };
  const noisy = test.length ? await evalBody2Music({ dataDir, names: test, modelDir: outDir, perturb }) : null;
  // The same trained model with the rule-based beat (MotionBeat) instead of the network's: the comparison in the card.
  const motionBeat = test.length ? await evalBody2Music({ dataDir, names: test, modelDir: outDir, beatSource: 'motion' }) : null;
  const speed = await benchStep(outDir, dances[0]);
  const card = {
    model: 'body2music-dance: Pose2Roll (strided 1D conv over a 64-frame window of pose + velocity) + Roll2Score (tempo/phase tracker, arrangement)',
    data: { source: 'Dance with Melody (Tang, Jia, Mao, ACM MM 2018), ../shared/data/dance-with-melody', dataDir, train, heldOut: test },
    split: `held-out dances by name (training/lib/dance-data HELD_OUT: ${HELD_OUT.join(', ')})`,
    targets: 'tempo from training/lib/beats.ts trackBeats on the onset feature; energy = log energy (1 s mean) scaled by training 5th/95th percentiles; tempo = tracked bpm; style from the folder name',
    metrics: metrics
      ? {
          beat_f1: metrics.beat_f1,
          style_accuracy: metrics.style_accuracy,
          tempo_accuracy: metrics.tempo_accuracy,
          beat_tolerance_s: metrics.beat_tolerance_s,
          tempo_tolerance: metrics.tempo_tolerance,
        }
      : null,
    baselines: metrics ? { baseline_metronome_beat_f1: metrics.baseline_metronome_beat_f1, baseline_motion_peaks_beat_f1: metrics.baseline_motion_peaks_beat_f1 } : null,
    metrics_noisy_poses: noisy
      ? { perturbation: { ...perturb, units: 'noise in body scales per coordinate per frame, frozen = share of repeated frames, yaw in rad' }, beat_f1: noisy.beat_f1, style_accuracy: noisy.style_accuracy, tempo_accuracy: noisy.tempo_accuracy }
      : null,
    metrics_motion_beat: motionBeat
      ? { note: 'same model, roll.beat from the rule-based MotionBeat (joint-speed dips) instead of the network', beat_f1: motionBeat.beat_f1, tempo_accuracy: motionBeat.tempo_accuracy, per_dance_beat_f1: Object.fromEntries(motionBeat.per_dance.map((d) => [d.name, d.beatF1])) }
      : null,
    per_dance: metrics?.per_dance ?? null,
    findings: {
      beatPhaseInMotion: { ...beatPhaseCoherence(dances), dances: 'training', note: 'joint speed vs the music beat phase in 10 s windows: windowMagnitude is the share of speed variation at one beat phase, angleConsistency the agreement of that phase across windows and dances (1 = fixed relation, ~1/sqrt(windows) = random). A small consistency means the beat phase is not a fixed function of joint speed; the network beat head (beatSource network) is trained to find whatever phase cue the window holds.' },
      verticalMotionAfterOnsets: {
        lagFrames: 1,
        training: verticalOnsetCorrelation(dances),
        heldOut: test.length ? verticalOnsetCorrelation((await loadDances(dataDir, test)).map(prepareDance)) : [],
        note: 'correlation of the music onset with z-scored vertical velocity one frame (40 ms) later: bodyDown = mean joint height falling relative to the pelvis, wristsDown = wrists falling; ...Raw against the raw onset feature (z-scored), the others against the envelope the beat tracker uses (1 s mean removed, rectified). Several training waltzes show raw correlations of 0.1-0.5, the envelope correlations stay near 0 everywhere: the motion follows the slow loudness of the music, not its beat-level onsets.',
      },
    },
    training: { epochs, stepsPerEpoch: steps, batch: BATCH, window: WINDOW, beatTarget, beatSigma: beatTarget === 'beats' ? beatSigma : null, beatWeight, parameters: params, finalLoss: round(losses[losses.length - 1]), lossCurve: losses.map(round), seconds: Math.round(trainSeconds), backend: tf.getBackend() },
    speed: { ...speed, backend: tf.getBackend(), note: 'one Pose2Roll.step (window net + rules) in Node on this machine, 500 steps after 50 warm-up' },
    seed,
    command: ['npm run train:body2music', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
    date: new Date().toISOString(),
  };
  writeFileSync(join(outDir, 'card.json'), JSON.stringify(card, null, 1));
  console.log(JSON.stringify({ out: outDir, seconds: Math.round((performance.now() - t0) / 1000), trainSeconds: Math.round(trainSeconds), metrics: card.metrics, baselines: card.baselines, speed }, null, 1));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
