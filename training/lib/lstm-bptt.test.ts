import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAudio2BodyNetwork } from '../../src/models/audio2body/network';
import { Adam, LstmWorkspace, backward, forward, initLstmParams, motionLoss, mulberry32, smoothBackward, smoothForward, tensorsOf, zerosLike, type LstmParams } from './lstm-bptt';
import { initTfNode } from './tf-node';

function totalLoss(p: LstmParams, x: Float64Array, y: Float64Array, T: number, ws: LstmWorkspace, opts = { stdWeight: 0.7, speedWeight: 1.3, warmup: 2, meanWeight: 2.1, bandWeight: 1.7, bandEdges: [0.1, 0.3, 0.51], envWeight: 1.1, envEdges: [0.05, 0.2, 0.51], envDimWeights: [0.5, 1, 2, 1.5, 0.7] }): number {
  forward(p, x, T, ws);
  smoothForward(ws.out, T, p.outDim, 0.4);
  const l = motionLoss(ws.out, y, T, p.outDim, opts, 1, ws.dout).loss;
  smoothBackward(ws.dout, T, p.outDim, 0.4);
  return l;
}

describe('LSTM BPTT', () => {
  beforeAll(async () => {
    await initTfNode('wasm');
  });

  it('analytic gradients match central finite differences (all parameter tensors, full motion loss)', () => {
    const inDim = 3;
    const H = 4;
    const D = 5;
    const T = 14;
    const p = initLstmParams(inDim, H, D, 3);
    const r = mulberry32(9);
    for (const a of tensorsOf(p)) for (let i = 0; i < a.length; i++) a[i] += (r() - 0.5) * 0.6;
    const x = Float64Array.from({ length: T * inDim }, () => (r() - 0.5) * 2);
    const y = Float64Array.from({ length: T * D }, () => (r() - 0.5) * 2);
    const ws = new LstmWorkspace(T, H, D);
    totalLoss(p, x, y, T, ws);
    const g = zerosLike(p);
    backward(p, x, T, ws, g);
    const eps = 1e-6;
    let worst = 0;
    const params = tensorsOf(p);
    const grads = tensorsOf(g);
    for (let k = 0; k < params.length; k++) {
      for (let i = 0; i < params[k].length; i++) {
        const v = params[k][i];
        params[k][i] = v + eps;
        const lp = totalLoss(p, x, y, T, ws);
        params[k][i] = v - eps;
        const lm = totalLoss(p, x, y, T, ws);
        params[k][i] = v;
        const num = (lp - lm) / (2 * eps);
        worst = Math.max(worst, Math.abs(num - grads[k][i]) / Math.max(1e-3, Math.abs(num) + Math.abs(grads[k][i])));
      }
    }
    expect(worst).toBeLessThan(1e-5);
  });

  it('forward equals the tfjs network with the same weights (layout check)', () => {
    const inDim = 41;
    const H = 8;
    const p = initLstmParams(inDim, H, 69, 5);
    const net = buildAudio2BodyNetwork(inDim, H, 1);
    net.setWeights(tensorsOf(p).map((a, i) => tf.tensor(Float32Array.from(a), net.getWeights()[i].shape)));
    const T = 30;
    const r = mulberry32(2);
    const x = Float64Array.from({ length: T * inDim }, () => r() * 2 - 1);
    const ws = new LstmWorkspace(T, H, 69);
    forward(p, x, T, ws);
    const y = tf.tidy(() => (net.predict(tf.tensor3d(Float32Array.from(x), [1, T, inDim])) as tf.Tensor).dataSync());
    let maxDiff = 0;
    for (let i = 0; i < T * 69; i++) maxDiff = Math.max(maxDiff, Math.abs(y[i] - ws.out[i]));
    expect(maxDiff).toBeLessThan(1e-5);
    net.dispose();
  });

  it('Adam reduces the loss of a tiny problem', () => {
    const p = initLstmParams(2, 6, 2, 1);
    const T = 20;
    const x = Float64Array.from({ length: T * 2 }, (_, i) => Math.sin(i * 0.3));
    const y = Float64Array.from({ length: T * 2 }, (_, i) => Math.cos(i * 0.3));
    const ws = new LstmWorkspace(T, 6, 2);
    const opt = new Adam(tensorsOf(p), 0.02);
    const first = totalLoss(p, x, y, T, ws);
    for (let it = 0; it < 200; it++) {
      totalLoss(p, x, y, T, ws);
      const g = zerosLike(p);
      backward(p, x, T, ws, g);
      opt.step(tensorsOf(g));
    }
    expect(totalLoss(p, x, y, T, ws)).toBeLessThan(first * 0.2);
  });
});
