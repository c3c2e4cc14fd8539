/**
 * One-Euro filter (Casiez, Roussel, Vogel, "1 Euro Filter", CHI 2012) over a vector of values, with explicit
 * timestamps: an exponential low-pass whose cutoff rises with the (low-passed) speed, so still poses are smoothed and
 * fast moves lag little.
 *
 * Per value, with dt in seconds and alpha(fc) = 1 / (1 + 1 / (2 pi fc dt)):
 *   dx  = (x - xPrev) / dt;           dxHat = alpha(dCutoff) dx + (1 - alpha(dCutoff)) dxHatPrev
 *   fc  = minCutoff + beta |dxHat|;    xHat  = alpha(fc) x + (1 - alpha(fc)) xPrev
 * where xPrev is the previous output. The first sample passes through with zero speed.
 */
import type { OneEuroFilter, OneEuroFilterOptions } from './types';

export const DEFAULT_ONE_EURO_OPTIONS: Omit<OneEuroFilterOptions, 'dim'> = Object.freeze({
  minCutoff: 1,
  beta: 0.5,
  dCutoff: 1,
});

/** Fills and range-checks options; errors list the valid values. */
export function fillOneEuroOptions(options: Partial<OneEuroFilterOptions> & { dim: number }): OneEuroFilterOptions {
  const d = DEFAULT_ONE_EURO_OPTIONS;
  const o: OneEuroFilterOptions = {
    dim: options.dim,
    minCutoff: options.minCutoff ?? d.minCutoff,
    beta: options.beta ?? d.beta,
    dCutoff: options.dCutoff ?? d.dCutoff,
  };
  if (!Number.isInteger(o.dim) || o.dim < 1) throw new Error(`one-euro: dim must be an integer >= 1 (got ${String(o.dim)})`);
  if (!(o.minCutoff > 0 && Number.isFinite(o.minCutoff))) throw new Error(`one-euro: minCutoff must be a frequency > 0 Hz (got ${String(o.minCutoff)})`);
  if (!(o.beta >= 0 && Number.isFinite(o.beta))) throw new Error(`one-euro: beta must be >= 0 (got ${String(o.beta)})`);
  if (!(o.dCutoff > 0 && Number.isFinite(o.dCutoff))) throw new Error(`one-euro: dCutoff must be a frequency > 0 Hz (got ${String(o.dCutoff)})`);
  return Object.freeze(o);
}

/** Smoothing factor of a first-order low-pass with cutoff `fc` Hz over `dt` seconds. */
export function oneEuroAlpha(fc: number, dt: number): number {
  const tau = 1 / (2 * Math.PI * fc);
  return 1 / (1 + tau / dt);
}

class VectorOneEuroFilter implements OneEuroFilter {
  readonly options: OneEuroFilterOptions;
  private readonly x: Float64Array;
  private readonly dx: Float64Array;
  private lastMs = Number.NaN;

  constructor(options: OneEuroFilterOptions) {
    this.options = options;
    this.x = new Float64Array(options.dim);
    this.dx = new Float64Array(options.dim);
  }

  filter(values: Float32Array, timestampMs: number): Float32Array {
    const { dim, minCutoff, beta, dCutoff } = this.options;
    if (values.length < dim) throw new Error(`one-euro: expected ${dim} values (got ${values.length})`);
    if (!Number.isFinite(timestampMs)) throw new Error(`one-euro: timestampMs must be finite (got ${timestampMs})`);
    const x = this.x;
    const dx = this.dx;
    if (Number.isNaN(this.lastMs)) {
      for (let i = 0; i < dim; i++) {
        x[i] = values[i];
        dx[i] = 0;
      }
      this.lastMs = timestampMs;
      return values;
    }
    const dt = (timestampMs - this.lastMs) / 1000;
    if (!(dt > 0)) {
      // Repeated or backward timestamp: hold the previous output.
      for (let i = 0; i < dim; i++) values[i] = x[i];
      return values;
    }
    this.lastMs = timestampMs;
    const ad = oneEuroAlpha(dCutoff, dt);
    for (let i = 0; i < dim; i++) {
      const v = values[i];
      const d = ad * ((v - x[i]) / dt) + (1 - ad) * dx[i];
      dx[i] = d;
      const a = oneEuroAlpha(minCutoff + beta * Math.abs(d), dt);
      const y = a * v + (1 - a) * x[i];
      x[i] = y;
      values[i] = y;
    }
    return values;
  }

  reset(): void {
    this.lastMs = Number.NaN;
  }
}

/** Creates a One-Euro filter over `dim` values. */
export function createOneEuroFilter(options: Partial<OneEuroFilterOptions> & { dim: number }): OneEuroFilter {
  return new VectorOneEuroFilter(fillOneEuroOptions(options));
}
