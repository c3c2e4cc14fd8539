/**
 * The Pose2Roll network: a causal window of input frames (pose + velocity, z-scored) -> the roll of the window's
 * last frame. Stride-2 convolutions (time 64 -> 8), flatten, two dense layers. Output (7 values, raw):
 * energy logit, log2(tempo / 100 bpm), 4 style logits, beat logit (how likely a music beat falls on the last frame).
 */
import * as tf from '@tensorflow/tfjs';

/** Output layout of the network. */
export const OUT = Object.freeze({ energy: 0, tempo: 1, style: 2, beat: 6, size: 7 });

/** Builds the (untrained) network for `window` frames of `inputDim` values. */
/** `window` must be divisible by 8. */
export function buildPose2RollNetwork(window: number, inputDim: number, seed: number, filters = 32, dropout = 0.2): tf.LayersModel {
  if (window % 8 !== 0) throw new Error(`pose2roll network: window must be divisible by 8 (got ${window})`);
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed + k });
  const input = tf.input({ shape: [window, inputDim], name: 'frames' });
  // Per-frame embedding, then three 'convolutions' of kernel 2, stride 2 written as reshape + dense (time 64 -> 8):
  // the same function as conv1d, built from MatMul, which the wasm backend can differentiate (it lacks Conv2D's
  // backprop kernels).
  let x = tf.layers.dense({ units: filters, activation: 'relu', kernelInitializer: init(1), name: 'embed' }).apply(input) as tf.SymbolicTensor;
  let steps = window;
  for (let i = 0; i < 3; i++) {
    steps = Math.floor(steps / 2);
    x = tf.layers.reshape({ targetShape: [steps, 2 * filters] }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.dense({ units: filters, activation: 'relu', kernelInitializer: init(2 + i), name: `conv${i}` }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: dropout, seed }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: filters, activation: 'relu', kernelInitializer: init(6), name: 'hidden' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: OUT.size, kernelInitializer: init(7), name: 'roll' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'pose2roll' });
}
