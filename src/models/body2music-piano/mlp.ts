/**
 * A small multilayer perceptron on typed arrays (ReLU hidden layers, linear outputs): the per-finger network of the
 * piano Pose2Roll. Forward only here (training/train-body2music-piano.ts trains it); no tfjs, no allocation per call.
 * Weights of layer l: W[l] (out x in, row-major) and b[l] (out).
 */

/** Layer sizes, input first, output last. */
export interface MlpWeights {
  readonly sizes: readonly number[];
  readonly W: readonly Float32Array[];
  readonly b: readonly Float32Array[];
}

/** Checks shapes; throws with the first mismatch. */
export function checkMlp(m: MlpWeights): void {
  if (m.sizes.length < 2) throw new Error('mlp: needs at least an input and an output size');
  if (m.W.length !== m.sizes.length - 1 || m.b.length !== m.sizes.length - 1) throw new Error(`mlp: ${m.sizes.length - 1} layers need as many W and b arrays`);
  for (let l = 0; l < m.W.length; l++) {
    if (m.W[l].length !== m.sizes[l] * m.sizes[l + 1]) throw new Error(`mlp: layer ${l} W has ${m.W[l].length} values, expected ${m.sizes[l] * m.sizes[l + 1]}`);
    if (m.b[l].length !== m.sizes[l + 1]) throw new Error(`mlp: layer ${l} b has ${m.b[l].length} values, expected ${m.sizes[l + 1]}`);
    for (const v of m.W[l]) if (!Number.isFinite(v)) throw new Error(`mlp: layer ${l} has a non-finite weight`);
  }
}

/** Preallocated activations for {@link mlpForward}. */
export function mlpScratch(m: MlpWeights): Float32Array[] {
  return m.sizes.map((n) => new Float32Array(n));
}

/** Runs the network on `x` (sizes[0] values); returns the output activation array (a view into `scratch`). */
export function mlpForward(m: MlpWeights, x: ArrayLike<number>, scratch: Float32Array[]): Float32Array {
  const a0 = scratch[0];
  for (let i = 0; i < m.sizes[0]; i++) a0[i] = x[i];
  const L = m.W.length;
  for (let l = 0; l < L; l++) {
    const nin = m.sizes[l];
    const nout = m.sizes[l + 1];
    const W = m.W[l];
    const b = m.b[l];
    const a = scratch[l];
    const z = scratch[l + 1];
    for (let j = 0; j < nout; j++) {
      let s = b[j];
      const r = j * nin;
      for (let i = 0; i < nin; i++) s += W[r + i] * a[i];
      z[j] = l < L - 1 && s < 0 ? 0 : s;
    }
  }
  return scratch[L];
}
