/**
 * Node half of `npm run bench`: feature extraction per hop, and training throughput of the audio2body network on the
 * wasm backend vs the cpu backend (same network, same batches).
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createFeatureExtractor } from '../src/features/extractor';
import { DEFAULT_FEATURE_SPEC } from '../src/features/spec';
import { POSE_DIM } from '../src/features/skeleton';
import { buildAudio2BodyNetwork } from '../src/models/audio2body/network';
import { benchSignal } from './signal';
import { summarize, type StageStats } from './stats';

/** Time of one hop through the feature code (48 kHz input, one frame per push). */
export function benchFeaturesHop(hops = 3000): StageStats {
  const rate = 48000;
  const hop = rate / DEFAULT_FEATURE_SPEC.fps;
  const x = benchSignal((hops + 200) / DEFAULT_FEATURE_SPEC.fps, rate);
  const ex = createFeatureExtractor({ inputSampleRate: rate });
  const times: number[] = [];
  let sink = 0;
  const onFrame = (f: Float32Array) => {
    sink += f[0];
  };
  for (let h = 0; h < hops + 200; h++) {
    const t0 = performance.now();
    ex.push(x.subarray(h * hop, (h + 1) * hop), onFrame);
    const dt = performance.now() - t0;
    if (h >= 200) times.push(dt);
  }
  if (!Number.isFinite(sink)) throw new Error('non-finite features');
  return summarize(times);
}

/** Sequences per second training the audio2body network (hidden 64, windows of 150 frames, batch 16) on `backend`. */
async function trainThroughput(backend: 'wasm' | 'cpu', steps: number): Promise<number> {
  await tf.setBackend(backend);
  await tf.ready();
  const B = 16;
  const T = 150;
  const dim = DEFAULT_FEATURE_SPEC.names.length;
  const net = buildAudio2BodyNetwork(dim, 64, 1);
  const opt = tf.train.adam(1e-3);
  const x = tf.randomNormal([B, T, dim], 0, 1, 'float32', 1);
  const y = tf.randomNormal([B, T, POSE_DIM], 0, 1, 'float32', 2);
  const step = () => opt.minimize(() => tf.losses.meanSquaredError(y, net.apply(x) as tf.Tensor) as tf.Scalar, false);
  step(); // warm-up (kernels, wasm compilation)
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const seconds = (performance.now() - t0) / 1000;
  tf.dispose([x, y]);
  net.dispose();
  opt.dispose();
  return (steps * B) / seconds;
}

/** Node results: features per hop, and training throughput on wasm vs cpu. */
export async function runNodeBench(log: (s: string) => void): Promise<{
  features_hop_node: StageStats;
  train_sequences_per_s: { wasm: number; cpu: number };
  train_wasm_vs_cpu_node: number;
}> {
  log('node: features per hop');
  const features_hop_node = benchFeaturesHop();
  const require = createRequire(import.meta.url);
  setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/');
  log('node: training throughput, wasm');
  const wasm = await trainThroughput('wasm', 6);
  log('node: training throughput, cpu');
  const cpu = await trainThroughput('cpu', 2);
  return { features_hop_node, train_sequences_per_s: { wasm, cpu }, train_wasm_vs_cpu_node: wasm / cpu };
}
