/**
 * A single-layer LSTM + linear output trained by backpropagation through time in plain typed arrays (Float64).
 *
 * Why not tfjs layers: on the wasm backend in Node a tfjs LSTM training step costs ~4 ms of op dispatch per time step
 * whatever the batch, so a 15-minute budget allowed only a few hundred updates. Here a frame costs ~80k multiply-adds
 * and nothing else. The weight layout is exactly tfjs's LSTM + Dense (gate order i, f, c, o; kernel [in, 4H],
 * recurrent [H, 4H], bias [4H], dense [H, out], dense bias [out]; sigmoid gates, tanh), so trained weights go straight
 * into the tfjs network (src/models/audio2body/network.ts) that the app loads.
 *
 * Loss per window (B windows of T frames, D output dims, z-scored targets y, predictions p):
 *   mse   = mean over b, t, d of (p - y)^2
 *   std   = mean over b, d of (sqrt(var_t p + eps) - sqrt(var_t y + eps))^2           (motion magnitude per dimension)
 *   speed = mean over b, d of (mean_t sqrt(dp^2 + eps) - mean_t sqrt(dy^2 + eps))^2    (speed per dimension)
 *   post  = mean over b, d of (mean_t p - mean_t y)^2                                  (posture of the window)
 *   band  = mean over b, d, bands of (sqrt(P_band(p) / n + eps) - sqrt(P_band(y) / n + eps))^2, P_band the summed DFT
 *           power (bins k / n cycles per frame of the n scored frames) inside the band: motion amplitude per
 *           dimension and frequency band, so that slow (bar-level) motion is not replaced by beat-rate trembling
 *   env   = mean over b, bands of (A_band(e_p) / mean e_p - A_band(e_y) / mean e_y)^2, A = sqrt(P_band / n^2 + eps), where
 *           e(t) = sum_d w_d (x_t,d - x_(t-1),d)^2 is the window's kinetic-energy curve (w_d = envDimWeights, e.g. the
 *           pose std^2), each band amplitude divided by its own curve's mean (A_band(e) / mean e): the spectral
 *           *shape* of the speed curve, independent of how much the body moves, so that the body speeds up and slows
 *           down at the dancer's metrical level (once per bar, every two beats) instead of on every onset
 *   loss  = mse + stdWeight * std + speedWeight * speed + meanWeight * post + bandWeight * band + envWeight * env
 */

/** Seeded PRNG (mulberry32), uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** LSTM + dense parameters (or gradients of the same shapes). */
export interface LstmParams {
  inDim: number;
  hidden: number;
  outDim: number;
  /** [inDim, 4H] */
  kernel: Float64Array;
  /** [H, 4H] */
  recurrent: Float64Array;
  /** [4H] */
  bias: Float64Array;
  /** [H, outDim] */
  dense: Float64Array;
  /** [outDim] */
  denseBias: Float64Array;
}

export function zerosLike(p: Pick<LstmParams, 'inDim' | 'hidden' | 'outDim'>): LstmParams {
  const { inDim, hidden: H, outDim } = p;
  return {
    inDim,
    hidden: H,
    outDim,
    kernel: new Float64Array(inDim * 4 * H),
    recurrent: new Float64Array(H * 4 * H),
    bias: new Float64Array(4 * H),
    dense: new Float64Array(H * outDim),
    denseBias: new Float64Array(outDim),
  };
}

/** The parameter arrays in a fixed order. */
export function tensorsOf(p: LstmParams): Float64Array[] {
  return [p.kernel, p.recurrent, p.bias, p.dense, p.denseBias];
}

/**
 * Seeded initialization as tfjs's defaults in network.ts: Glorot-uniform kernel and dense, orthogonal recurrent
 * (rows of [H, 4H] orthonormal), zero bias except forget gate 1 (unitForgetBias).
 */
export function initLstmParams(inDim: number, hidden: number, outDim: number, seed: number): LstmParams {
  const p = zerosLike({ inDim, hidden, outDim });
  const H = hidden;
  const rand = mulberry32(seed);
  const normal = () => {
    const u = Math.max(1e-12, rand());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  const glorot = (a: Float64Array, fanIn: number, fanOut: number) => {
    const lim = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < a.length; i++) a[i] = (rand() * 2 - 1) * lim;
  };
  glorot(p.kernel, inDim, 4 * H);
  glorot(p.dense, H, outDim);
  // Orthogonal: Gram-Schmidt on H random normal rows of length 4H.
  const G = 4 * H;
  for (let r = 0; r < H; r++) {
    const row = p.recurrent.subarray(r * G, (r + 1) * G);
    for (let g = 0; g < G; g++) row[g] = normal();
    for (let q = 0; q < r; q++) {
      const prev = p.recurrent.subarray(q * G, (q + 1) * G);
      let dot = 0;
      for (let g = 0; g < G; g++) dot += row[g] * prev[g];
      for (let g = 0; g < G; g++) row[g] -= dot * prev[g];
    }
    let nrm = 0;
    for (let g = 0; g < G; g++) nrm += row[g] * row[g];
    nrm = Math.sqrt(nrm);
    for (let g = 0; g < G; g++) row[g] /= nrm;
  }
  for (let k = 0; k < H; k++) p.bias[H + k] = 1;
  return p;
}

/** Per-sequence forward buffers (reused across calls for sequences up to maxT). */
export class LstmWorkspace {
  readonly ig: Float64Array;
  readonly fg: Float64Array;
  readonly gg: Float64Array;
  readonly og: Float64Array;
  readonly c: Float64Array;
  readonly tc: Float64Array;
  readonly h: Float64Array;
  readonly out: Float64Array;
  readonly z: Float64Array;
  readonly dh: Float64Array;
  readonly dhNext: Float64Array;
  readonly dcNext: Float64Array;
  readonly dz: Float64Array;
  readonly dout: Float64Array;
  constructor(
    readonly maxT: number,
    readonly hidden: number,
    readonly outDim: number,
  ) {
    const H = hidden;
    this.ig = new Float64Array(maxT * H);
    this.fg = new Float64Array(maxT * H);
    this.gg = new Float64Array(maxT * H);
    this.og = new Float64Array(maxT * H);
    this.c = new Float64Array(maxT * H);
    this.tc = new Float64Array(maxT * H);
    this.h = new Float64Array(maxT * H);
    this.out = new Float64Array(maxT * outDim);
    this.z = new Float64Array(4 * H);
    this.dh = new Float64Array(H);
    this.dhNext = new Float64Array(H);
    this.dcNext = new Float64Array(H);
    this.dz = new Float64Array(4 * H);
    this.dout = new Float64Array(maxT * outDim);
  }
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Runs the LSTM from zero state over x (T x inDim); fills ws (gates, states, out: T x outDim). */
export function forward(p: LstmParams, x: ArrayLike<number>, T: number, ws: LstmWorkspace): void {
  const { inDim, hidden: H, outDim, kernel, recurrent, bias, dense, denseBias } = p;
  const G = 4 * H;
  const z = ws.z;
  for (let t = 0; t < T; t++) {
    z.set(bias);
    const xo = t * inDim;
    for (let i = 0; i < inDim; i++) {
      const xi = x[xo + i];
      const row = i * G;
      for (let g = 0; g < G; g++) z[g] += xi * kernel[row + g];
    }
    if (t > 0) {
      const ho = (t - 1) * H;
      for (let j = 0; j < H; j++) {
        const hj = ws.h[ho + j];
        const row = j * G;
        for (let g = 0; g < G; g++) z[g] += hj * recurrent[row + g];
      }
    }
    const o = t * H;
    for (let k = 0; k < H; k++) {
      const ig = sigmoid(z[k]);
      const fg = sigmoid(z[H + k]);
      const gg = Math.tanh(z[2 * H + k]);
      const og = sigmoid(z[3 * H + k]);
      const cPrev = t > 0 ? ws.c[o - H + k] : 0;
      const c = fg * cPrev + ig * gg;
      const tc = Math.tanh(c);
      ws.ig[o + k] = ig;
      ws.fg[o + k] = fg;
      ws.gg[o + k] = gg;
      ws.og[o + k] = og;
      ws.c[o + k] = c;
      ws.tc[o + k] = tc;
      ws.h[o + k] = og * tc;
    }
    const oo = t * outDim;
    for (let d = 0; d < outDim; d++) ws.out[oo + d] = denseBias[d];
    for (let j = 0; j < H; j++) {
      const hj = ws.h[o + j];
      const row = j * outDim;
      for (let d = 0; d < outDim; d++) ws.out[oo + d] += hj * dense[row + d];
    }
  }
}

/** Backpropagates ws.dout (T x outDim, dLoss/dOut) through the forward pass in ws, adding into grads. */
export function backward(p: LstmParams, x: ArrayLike<number>, T: number, ws: LstmWorkspace, grads: LstmParams): void {
  const { inDim, hidden: H, outDim, recurrent, dense } = p;
  const G = 4 * H;
  const { dh, dhNext, dcNext, dz } = ws;
  dhNext.fill(0);
  dcNext.fill(0);
  for (let t = T - 1; t >= 0; t--) {
    const o = t * H;
    const oo = t * outDim;
    // Output layer.
    for (let d = 0; d < outDim; d++) grads.denseBias[d] += ws.dout[oo + d];
    for (let j = 0; j < H; j++) {
      const hj = ws.h[o + j];
      const row = j * outDim;
      let s = dhNext[j];
      for (let d = 0; d < outDim; d++) {
        const g = ws.dout[oo + d];
        grads.dense[row + d] += hj * g;
        s += dense[row + d] * g;
      }
      dh[j] = s;
    }
    // Cell.
    for (let k = 0; k < H; k++) {
      const ig = ws.ig[o + k];
      const fg = ws.fg[o + k];
      const gg = ws.gg[o + k];
      const og = ws.og[o + k];
      const tc = ws.tc[o + k];
      const cPrev = t > 0 ? ws.c[o - H + k] : 0;
      const dhk = dh[k];
      const dc = dhk * og * (1 - tc * tc) + dcNext[k];
      dz[k] = dc * gg * ig * (1 - ig);
      dz[H + k] = dc * cPrev * fg * (1 - fg);
      dz[2 * H + k] = dc * ig * (1 - gg * gg);
      dz[3 * H + k] = dhk * tc * og * (1 - og);
      dcNext[k] = dc * fg;
    }
    for (let g = 0; g < G; g++) grads.bias[g] += dz[g];
    const xo = t * inDim;
    for (let i = 0; i < inDim; i++) {
      const xi = x[xo + i];
      if (xi === 0) continue;
      const row = i * G;
      for (let g = 0; g < G; g++) grads.kernel[row + g] += xi * dz[g];
    }
    if (t > 0) {
      const ho = (t - 1) * H;
      for (let j = 0; j < H; j++) {
        const hj = ws.h[ho + j];
        const row = j * G;
        let s = 0;
        for (let g = 0; g < G; g++) {
          grads.recurrent[row + g] += hj * dz[g];
          s += recurrent[row + g] * dz[g];
        }
        dhNext[j] = s;
      }
    }
  }
}

/** Loss weights and warm-up (frames at the window start excluded from the loss). */
export interface MotionLossOptions {
  stdWeight: number;
  speedWeight: number;
  warmup: number;
  /** Weight of the per-window posture term: squared error of the window mean per dimension (0 = off). */
  meanWeight?: number;
  /** Weight of the per-dimension band-amplitude matching term (0 = off). */
  bandWeight?: number;
  /** Band edges in cycles per frame (e.g. Hz / fps), ascending; band i covers [edges[i], edges[i+1]). */
  bandEdges?: readonly number[];
  /** Weight of the speed-envelope shape term (0 = off). */
  envWeight?: number;
  /** Band edges (cycles per frame) of the envelope term. */
  envEdges?: readonly number[];
  /** Per-dimension weights of the kinetic-energy curve (length D; default all 1). */
  envDimWeights?: ArrayLike<number>;
}

/** DFT bins k (frequency k / n cycles per frame) inside each band of `edges`, with cos/sin tables (q x n). */
function bandBins(n: number, edges: readonly number[]): { bins: number[]; bandOf: number[]; cosT: Float64Array; sinT: Float64Array } {
  const nb = edges.length - 1;
  const bandOf: number[] = [];
  const bins: number[] = [];
  for (let k = 1; k <= n / 2; k++) {
    const f = k / n;
    for (let bi = 0; bi < nb; bi++) {
      if (f >= edges[bi] && f < edges[bi + 1]) {
        bins.push(k);
        bandOf.push(bi);
      }
    }
  }
  const cosT = new Float64Array(bins.length * n);
  const sinT = new Float64Array(bins.length * n);
  bins.forEach((k, q) => {
    for (let t = 0; t < n; t++) {
      cosT[q * n + t] = Math.cos((2 * Math.PI * k * t) / n);
      sinT[q * n + t] = Math.sin((2 * Math.PI * k * t) / n);
    }
  });
  return { bins, bandOf, cosT, sinT };
}

/**
 * Speed-envelope shape term of {@link motionLoss} for one window: adds weight * env to the loss (returned, before the
 * weight) and its gradient (scaled by gw) into dout.
 */
function envelopeTerm(pArr: ArrayLike<number>, yArr: ArrayLike<number>, w: number, n: number, D: number, edges: readonly number[], dimW: ArrayLike<number> | undefined, gw: number, dout: Float64Array): number {
  // e(t) for t = 1..n-1 of the scored frames (frame w + t against w + t - 1).
  const m = n - 1;
  const ep = new Float64Array(m);
  const ey = new Float64Array(m);
  for (let t = 0; t < m; t++) {
    let a = 0;
    let b = 0;
    const i = (w + t + 1) * D;
    const j = (w + t) * D;
    for (let d = 0; d < D; d++) {
      const wd = dimW ? dimW[d] : 1;
      const dp = pArr[i + d] - pArr[j + d];
      const dy = yArr[i + d] - yArr[j + d];
      a += wd * dp * dp;
      b += wd * dy * dy;
    }
    ep[t] = a;
    ey[t] = b;
  }
  let mp = 0;
  let my = 0;
  for (let t = 0; t < m; t++) {
    mp += ep[t];
    my += ey[t];
  }
  mp /= m;
  my /= m;
  // Both curves in units of the real window's mean energy (a constant of the targets), so the term's size does not
  // depend on the dimension weights' units.
  const unit = my > EPS ? 1 / my : 0;
  for (let t = 0; t < m; t++) {
    ep[t] *= unit;
    ey[t] *= unit;
  }
  mp *= unit;
  my *= unit;
  if (!(mp > EPS) || !(my > EPS)) return 0;
  const { bins, bandOf, cosT, sinT } = bandBins(m, edges);
  const nb = edges.length - 1;
  const powP = new Float64Array(nb);
  const powY = new Float64Array(nb);
  const reP = new Float64Array(bins.length);
  const imP = new Float64Array(bins.length);
  for (let q = 0; q < bins.length; q++) {
    let rp = 0;
    let ip = 0;
    let ry = 0;
    let iy = 0;
    for (let t = 0; t < m; t++) {
      rp += ep[t] * cosT[q * m + t];
      ip -= ep[t] * sinT[q * m + t];
      ry += ey[t] * cosT[q * m + t];
      iy -= ey[t] * sinT[q * m + t];
    }
    reP[q] = rp;
    imP[q] = ip;
    powP[bandOf[q]] += rp * rp + ip * ip;
    powY[bandOf[q]] += ry * ry + iy * iy;
  }
  // Shape only: each band's amplitude relative to the curve's own mean (q_p = A_p / mean e_p vs q_y = A_y / mean e_y),
  // so the term neither rewards nor penalizes the overall amount of motion.
  let loss = 0;
  const dPow = new Float64Array(nb);
  let dMean = 0; // dLoss/d(mean e_p)
  for (let bi = 0; bi < nb; bi++) {
    const ap = Math.sqrt(powP[bi] / (m * m) + EPS);
    const qp = ap / mp;
    const qy = Math.sqrt(powY[bi] / (m * m) + EPS) / my;
    loss += (qp - qy) * (qp - qy);
    const dq = ((gw / nb) * 2 * (qp - qy));
    dPow[bi] = (dq / mp) / (2 * ap * m * m);
    dMean -= (dq * ap) / (mp * mp);
  }
  loss /= nb;
  // dLoss/de(t), then through e(t) = sum_d w_d (p_(t+1) - p_t)^2.
  const de = new Float64Array(m).fill(dMean / m);
  for (let q = 0; q < bins.length; q++) {
    const g = dPow[bandOf[q]] * 2;
    for (let t = 0; t < m; t++) de[t] += g * (reP[q] * cosT[q * m + t] - imP[q] * sinT[q * m + t]);
  }
  for (let t = 0; t < m; t++) {
    const i = (w + t + 1) * D;
    const j = (w + t) * D;
    for (let d = 0; d < D; d++) {
      const g = 2 * unit * (dimW ? dimW[d] : 1) * (pArr[i + d] - pArr[j + d]) * de[t];
      dout[i + d] += g;
      dout[j + d] -= g;
    }
  }
  return loss;
}

const EPS = 1e-6;

/**
 * Loss of one window (per-window share of a batch of `batch` windows) and its gradient dLoss/dOut written into dout.
 * `p` and `y` are T x D; frames t < warmup are ignored.
 */
export function motionLoss(pArr: ArrayLike<number>, yArr: ArrayLike<number>, T: number, D: number, o: MotionLossOptions, batch: number, dout: Float64Array): { loss: number; mse: number; std: number; speed: number; band: number; post: number; env: number } {
  const w = Math.min(o.warmup, T - 2);
  const n = T - w;
  dout.fill(0, 0, T * D);
  let mse = 0;
  const scale = 1 / (batch * n * D);
  for (let t = w; t < T; t++) {
    for (let d = 0; d < D; d++) {
      const e = pArr[t * D + d] - yArr[t * D + d];
      mse += e * e;
      dout[t * D + d] += 2 * e * scale;
    }
  }
  mse /= n * D;
  let stdL = 0;
  let spL = 0;
  let postL = 0;
  const mw = (o.meanWeight ?? 0) / (batch * D);
  const sw = o.stdWeight / (batch * D);
  const vw = o.speedWeight / (batch * D);
  for (let d = 0; d < D; d++) {
    let mp = 0;
    let my = 0;
    for (let t = w; t < T; t++) {
      mp += pArr[t * D + d];
      my += yArr[t * D + d];
    }
    mp /= n;
    my /= n;
    postL += (mp - my) * (mp - my);
    if (mw > 0) {
      const g = (mw * 2 * (mp - my)) / n;
      for (let t = w; t < T; t++) dout[t * D + d] += g;
    }
    let vp = 0;
    let vy = 0;
    for (let t = w; t < T; t++) {
      const a = pArr[t * D + d] - mp;
      const b = yArr[t * D + d] - my;
      vp += a * a;
      vy += b * b;
    }
    const sp = Math.sqrt(vp / n + EPS);
    const sy = Math.sqrt(vy / n + EPS);
    stdL += (sp - sy) * (sp - sy);
    if (o.stdWeight > 0) {
      const g = (sw * 2 * (sp - sy)) / (n * sp);
      for (let t = w; t < T; t++) dout[t * D + d] += g * (pArr[t * D + d] - mp);
    }
    let ap = 0;
    let ay = 0;
    for (let t = w + 1; t < T; t++) {
      const dp = pArr[t * D + d] - pArr[(t - 1) * D + d];
      const dy = yArr[t * D + d] - yArr[(t - 1) * D + d];
      ap += Math.sqrt(dp * dp + EPS);
      ay += Math.sqrt(dy * dy + EPS);
    }
    ap /= n - 1;
    ay /= n - 1;
    spL += (ap - ay) * (ap - ay);
    if (o.speedWeight > 0) {
      const g = (vw * 2 * (ap - ay)) / (n - 1);
      for (let t = w + 1; t < T; t++) {
        const dp = pArr[t * D + d] - pArr[(t - 1) * D + d];
        const q = (g * dp) / Math.sqrt(dp * dp + EPS);
        dout[t * D + d] += q;
        dout[(t - 1) * D + d] -= q;
      }
    }
  }
  stdL /= D;
  spL /= D;
  postL /= D;
  let bandL = 0;
  const bw = o.bandWeight ?? 0;
  const edges = o.bandEdges ?? [];
  if (bw > 0 && edges.length >= 2) {
    const nb = edges.length - 1;
    const { bins, bandOf, cosT, sinT } = bandBins(n, edges);
    const reP = new Float64Array(bins.length);
    const imP = new Float64Array(bins.length);
    const powP = new Float64Array(nb);
    const powY = new Float64Array(nb);
    const gw = bw / (batch * D * nb);
    for (let d = 0; d < D; d++) {
      powP.fill(0);
      powY.fill(0);
      for (let q = 0; q < bins.length; q++) {
        let rp = 0;
        let ip = 0;
        let ry = 0;
        let iy = 0;
        for (let t = 0; t < n; t++) {
          const vp = pArr[(t + w) * D + d];
          const vy = yArr[(t + w) * D + d];
          rp += vp * cosT[q * n + t];
          ip -= vp * sinT[q * n + t];
          ry += vy * cosT[q * n + t];
          iy -= vy * sinT[q * n + t];
        }
        reP[q] = rp;
        imP[q] = ip;
        powP[bandOf[q]] += rp * rp + ip * ip;
        powY[bandOf[q]] += ry * ry + iy * iy;
      }
      for (let bi = 0; bi < nb; bi++) {
        const ap = Math.sqrt(powP[bi] / (n * n) + EPS);
        const ay = Math.sqrt(powY[bi] / (n * n) + EPS);
        bandL += (ap - ay) * (ap - ay);
        powP[bi] = (gw * 2 * (ap - ay)) / (2 * ap * n * n); // dLoss/dPower of this band
      }
      for (let q = 0; q < bins.length; q++) {
        const g = powP[bandOf[q]] * 2;
        const re = reP[q];
        const im = imP[q];
        for (let t = 0; t < n; t++) dout[(t + w) * D + d] += g * (re * cosT[q * n + t] - im * sinT[q * n + t]);
      }
    }
    bandL /= D * nb;
  }
  const ew = o.envWeight ?? 0;
  const envEdges = o.envEdges ?? [];
  const envL = ew > 0 && envEdges.length >= 2 ? envelopeTerm(pArr, yArr, w, n, D, envEdges, o.envDimWeights, ew / batch, dout) : 0;
  return { loss: mse + o.stdWeight * stdL + o.speedWeight * spL + (o.meanWeight ?? 0) * postL + bw * bandL + ew * envL, mse, std: stdL, speed: spL, band: bandL, post: postL, env: envL };
}

/** Adam with global-norm gradient clipping. */
export class Adam {
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private t = 0;
  constructor(
    private readonly params: Float64Array[],
    public lr: number,
    private readonly clipNorm = 5,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    this.m = params.map((a) => new Float64Array(a.length));
    this.v = params.map((a) => new Float64Array(a.length));
  }

  /** Applies one update from `grads` (same order as params); returns the gradient's global norm before clipping. */
  step(grads: Float64Array[]): number {
    let sq = 0;
    for (const g of grads) for (let i = 0; i < g.length; i++) sq += g[i] * g[i];
    const norm = Math.sqrt(sq);
    const clip = norm > this.clipNorm ? this.clipNorm / norm : 1;
    this.t++;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k];
      const g = grads[k];
      const m = this.m[k];
      const v = this.v[k];
      for (let i = 0; i < p.length; i++) {
        const gi = g[i] * clip;
        m[i] = b1 * m[i] + (1 - b1) * gi;
        v[i] = b2 * v[i] + (1 - b2) * gi * gi;
        p[i] -= (this.lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + this.eps);
      }
    }
    return norm;
  }
}

/**
 * One-pole output smoothing y_t = a y_(t-1) + (1 - a) x_t, y_0 = x_0, in place on T x D values (the live model's
 * `outputSmoothing`, which commutes with the per-dimension de-normalization).
 */
export function smoothForward(out: Float64Array, T: number, D: number, a: number): void {
  if (a <= 0) return;
  for (let t = 1; t < T; t++) for (let d = 0; d < D; d++) out[t * D + d] = a * out[(t - 1) * D + d] + (1 - a) * out[t * D + d];
}

/** Backpropagates through {@link smoothForward}: dLoss/dy in, dLoss/dx out, in place. */
export function smoothBackward(dout: Float64Array, T: number, D: number, a: number): void {
  if (a <= 0) return;
  for (let t = T - 1; t >= 1; t--) {
    for (let d = 0; d < D; d++) {
      const g = dout[t * D + d];
      dout[t * D + d] = (1 - a) * g;
      dout[(t - 1) * D + d] += a * g;
    }
  }
}
