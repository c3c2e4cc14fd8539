import type { AudioFeatureSpec, FeatureNormalization } from './types';

const MFCC_COUNT = 13;
const CHROMA = ['C', 'Cs', 'D', 'Ds', 'E', 'F', 'Fs', 'G', 'Gs', 'A', 'As', 'B'];

/** Feature names in frame order: the 28 of Audio to Body Dynamics (log energy, 13 MFCC, 14 deltas), onset, chroma. */
export const FEATURE_NAMES: readonly string[] = Object.freeze([
  'log_energy',
  ...Array.from({ length: MFCC_COUNT }, (_, i) => `mfcc_${i}`),
  'd_log_energy',
  ...Array.from({ length: MFCC_COUNT }, (_, i) => `d_mfcc_${i}`),
  'onset',
  ...CHROMA.map((c) => `chroma_${c}`),
]);

/** Index of each named feature in a frame. */
export const FEATURE_INDEX = Object.freeze({
  logEnergy: 0,
  mfcc: 1,
  deltaLogEnergy: 1 + MFCC_COUNT,
  deltaMfcc: 2 + MFCC_COUNT,
  onset: 2 + 2 * MFCC_COUNT,
  chroma: 3 + 2 * MFCC_COUNT,
});

/** The default feature spec: 22.05 kHz analysis, 25 fps (hop 882 samples), 2048-sample window. */
export const DEFAULT_FEATURE_SPEC: AudioFeatureSpec = Object.freeze({
  sampleRate: 22050,
  fps: 25,
  frameSize: 2048,
  mfccCount: MFCC_COUNT,
  melBands: 40,
  names: FEATURE_NAMES,
});

/** Hop between frames in samples at the analysis rate. Throws unless the rate divides evenly. */
export function hopSize(spec: AudioFeatureSpec): number {
  const hop = spec.sampleRate / spec.fps;
  if (!Number.isInteger(hop)) throw new Error(`sampleRate ${spec.sampleRate} / fps ${spec.fps} is not an integer hop`);
  return hop;
}

/** Throws a readable error when a model's stored spec differs from the code's spec. */
export function assertSameSpec(stored: AudioFeatureSpec, code: AudioFeatureSpec = DEFAULT_FEATURE_SPEC): void {
  const keys: (keyof AudioFeatureSpec)[] = ['sampleRate', 'fps', 'frameSize', 'mfccCount', 'melBands'];
  for (const k of keys) {
    if (stored[k] !== code[k]) throw new Error(`feature spec mismatch: ${k} is ${String(stored[k])} in the model, ${String(code[k])} in the code`);
  }
  if (stored.names.join(',') !== code.names.join(',')) {
    throw new Error(`feature spec mismatch: feature names differ (model: ${stored.names.length}, code: ${code.names.length})`);
  }
}

/** z-scores `frame` in place with `norm`. */
export function normalizeFrame(frame: Float32Array, norm: FeatureNormalization): void {
  for (let i = 0; i < frame.length; i++) frame[i] = (frame[i] - norm.mean[i]) / norm.std[i];
}

/** Mean and standard deviation (floored at `minStd`) of each column of row-major blocks. */
export function computeNormalization(blocks: readonly { data: Float32Array; dim: number }[], minStd = 1e-3): FeatureNormalization {
  const dim = blocks[0]?.dim ?? 0;
  const sum = new Float64Array(dim);
  const sq = new Float64Array(dim);
  let n = 0;
  for (const b of blocks) {
    for (let i = 0; i < b.data.length; i++) {
      const v = b.data[i];
      sum[i % dim] += v;
      sq[i % dim] += v * v;
    }
    n += b.data.length / dim;
  }
  const mean = Array.from(sum, (s) => s / n);
  const std = Array.from(sq, (s, i) => Math.max(minStd, Math.sqrt(Math.max(0, s / n - mean[i] * mean[i]))));
  return { mean, std };
}
