/**
 * The Sound -> pianist network: the Audio to Body Dynamics LSTM (one LSTM layer over z-scored input frames and a
 * linear layer to the z-scored keypoints), here with audio features + pitch bands in and 49 pianist keypoints out.
 * Shared by training (built, weights set from the typed-array trainer) and the live model (loaded).
 */
import * as tf from '@tensorflow/tfjs';

/** Layer names the live model looks up in a saved network. */
export const PIANO_LSTM_LAYER = 'a2bp_lstm';
export const PIANO_OUT_LAYER = 'a2bp_keypoints';

/** Builds the untrained network: [batch, time, inDim] -> [batch, time, outDim]. Seeded initializers. */
export function buildAudio2BodyPianoNetwork(inDim: number, hiddenUnits: number, outDim: number, seed: number): tf.LayersModel {
  if (!Number.isInteger(hiddenUnits) || hiddenUnits < 1) throw new Error(`hiddenUnits must be a positive integer (got ${hiddenUnits})`);
  const input = tf.input({ shape: [null, inDim], name: 'a2bp_input' });
  const lstm = tf.layers.lstm({
    name: PIANO_LSTM_LAYER,
    units: hiddenUnits,
    returnSequences: true,
    activation: 'tanh',
    recurrentActivation: 'sigmoid',
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
    recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 1 }),
    unitForgetBias: true,
  }).apply(input) as tf.SymbolicTensor;
  const out = tf.layers.dense({
    name: PIANO_OUT_LAYER,
    units: outDim,
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }),
  }).apply(lstm) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'audio2body_piano' });
}
