/**
 * The Audio to Body Dynamics network (Shlizerman et al., CVPR 2018): one LSTM over z-scored audio feature frames and a
 * linear layer to the z-scored pose. Shared by training (built here, trained in Node) and the live model (loaded).
 */
import * as tf from '@tensorflow/tfjs';
import { POSE_DIM } from '../../features/skeleton';

/** Layer names the live model looks up in a saved network. */
export const LSTM_LAYER = 'a2b_lstm';
export const POSE_LAYER = 'a2b_pose';

/** Builds the untrained network: input [batch, time, featureDim] -> output [batch, time, 69]. Seeded initializers. */
export function buildAudio2BodyNetwork(featureDim: number, hiddenUnits: number, seed: number): tf.LayersModel {
  if (!Number.isInteger(hiddenUnits) || hiddenUnits < 1) throw new Error(`hiddenUnits must be a positive integer (got ${hiddenUnits})`);
  const input = tf.input({ shape: [null, featureDim], name: 'a2b_features' });
  const lstm = tf.layers.lstm({
    name: LSTM_LAYER,
    units: hiddenUnits,
    returnSequences: true,
    activation: 'tanh',
    recurrentActivation: 'sigmoid',
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
    recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 1 }),
    unitForgetBias: true,
  }).apply(input) as tf.SymbolicTensor;
  const pose = tf.layers.dense({
    name: POSE_LAYER,
    units: POSE_DIM,
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }),
  }).apply(lstm) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: pose, name: 'audio2body' });
}
