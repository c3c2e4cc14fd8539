/**
 * One LSTM layer + a linear output stepped one frame at a time in plain typed arrays: no tensor and no allocation per
 * step. Generic in its input and output sizes; the weights come from a tfjs LSTM + Dense pair (row-major as tfjs
 * stores them: kernel [in, 4H], recurrent [H, 4H], bias [4H], dense [H, out], dense bias [out]; gate order i, f, c, o;
 * sigmoid gates, tanh cell), so a step computes exactly what the tfjs network computes for one more frame.
 */
import type * as tf from '@tensorflow/tfjs';

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Typed-array LSTM state machine over fixed weights. */
export class LstmStepper {
  readonly inDim: number;
  readonly hidden: number;
  readonly outDim: number;
  private readonly kernel: Float32Array;
  private readonly recurrent: Float32Array;
  private readonly bias: Float32Array;
  private readonly dense: Float32Array;
  private readonly denseBias: Float32Array;
  private readonly h: Float32Array;
  private readonly c: Float32Array;
  private readonly z: Float32Array;

  /**
   * Copies the weights of an LSTM layer and a Dense layer (tfjs `getWeights()` order) and checks their shapes and
   * values; throws a readable Error (with `where`) on a mismatch or a non-finite weight.
   */
  constructor(lstm: tf.layers.Layer, dense: tf.layers.Layer, inDim: number, hidden: number, outDim: number, where: string) {
    const ws = [...lstm.getWeights(), ...dense.getWeights()];
    const shapes = ws.map((t) => t.shape.join('x')).join(', ');
    const G = 4 * hidden;
    const expected = [`${inDim}x${G}`, `${hidden}x${G}`, `${G}`, `${hidden}x${outDim}`, `${outDim}`].join(', ');
    if (shapes !== expected) throw new Error(`${where}: weight shapes are [${shapes}], expected [${expected}] for hiddenUnits ${hidden}`);
    const arrays = ws.map((t) => (t.dataSync() as Float32Array).slice());
    for (const a of arrays) for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) throw new Error(`${where}: weights contain non-finite values (corrupt model?)`);
    [this.kernel, this.recurrent, this.bias, this.dense, this.denseBias] = arrays;
    this.inDim = inDim;
    this.hidden = hidden;
    this.outDim = outDim;
    this.h = new Float32Array(hidden);
    this.c = new Float32Array(hidden);
    this.z = new Float32Array(G);
  }

  /** One step on an already normalized input frame `x` (inDim values); writes the raw network output (outDim) to `out`. */
  step(x: Float32Array, out: Float32Array): void {
    const { inDim, hidden: H, z, h, c, kernel, recurrent, dense } = this;
    const G = 4 * H;
    z.set(this.bias);
    for (let i = 0; i < inDim; i++) {
      const xi = x[i];
      if (xi === 0) continue;
      const row = i * G;
      for (let g = 0; g < G; g++) z[g] += xi * kernel[row + g];
    }
    for (let j = 0; j < H; j++) {
      const hj = h[j];
      if (hj === 0) continue;
      const row = j * G;
      for (let g = 0; g < G; g++) z[g] += hj * recurrent[row + g];
    }
    for (let k = 0; k < H; k++) {
      const ig = sigmoid(z[k]);
      const fg = sigmoid(z[H + k]);
      const cc = Math.tanh(z[2 * H + k]);
      const og = sigmoid(z[3 * H + k]);
      const ck = fg * c[k] + ig * cc;
      c[k] = ck;
      h[k] = og * Math.tanh(ck);
    }
    const D = this.outDim;
    for (let k = 0; k < D; k++) out[k] = this.denseBias[k];
    for (let j = 0; j < H; j++) {
      const hj = h[j];
      const row = j * D;
      for (let k = 0; k < D; k++) out[k] += hj * dense[row + k];
    }
  }

  /** Zeroes the recurrent state. */
  reset(): void {
    this.h.fill(0);
    this.c.fill(0);
  }
}
