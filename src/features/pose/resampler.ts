/**
 * Frame-rate resampler: poses at irregular camera timestamps in, one pose per tick of a steady clock out (25 fps for
 * the models), so body -> music sees the rate it was trained at whatever the camera and BlazePose manage.
 *
 * Tick k is at originMs + k * 1000 / fps. When a pose arrives at time t, every tick not yet emitted with time <= t is
 * emitted: a tick strictly between the previous pose (t0) and this one is their linear interpolation when both are
 * present and t - t0 <= maxGapMs, else null (no person); a tick at exactly t gets this pose (or null). The output lags
 * the camera by at most one camera interval.
 */
import type { FrameRateResampler, FrameRateResamplerOptions, TickCallback } from './types';

export const DEFAULT_FRAME_RATE_RESAMPLER_OPTIONS: Omit<FrameRateResamplerOptions, 'dim'> = Object.freeze({
  fps: 25,
  originMs: 0,
  maxGapMs: 500,
});

/** Fills and range-checks options; errors list the valid values. */
export function fillFrameRateResamplerOptions(options: Partial<FrameRateResamplerOptions> & { dim: number }): FrameRateResamplerOptions {
  const d = DEFAULT_FRAME_RATE_RESAMPLER_OPTIONS;
  const o: FrameRateResamplerOptions = {
    dim: options.dim,
    fps: options.fps ?? d.fps,
    originMs: options.originMs ?? d.originMs,
    maxGapMs: options.maxGapMs ?? d.maxGapMs,
  };
  if (!Number.isInteger(o.dim) || o.dim < 1) throw new Error(`frame-rate resampler: dim must be an integer >= 1 (got ${String(o.dim)})`);
  if (!(o.fps > 0 && o.fps <= 1000)) throw new Error(`frame-rate resampler: fps must be in (0, 1000] (got ${String(o.fps)})`);
  if (!Number.isFinite(o.originMs)) throw new Error(`frame-rate resampler: originMs must be a finite time in ms (got ${String(o.originMs)})`);
  if (!(o.maxGapMs >= 0 && Number.isFinite(o.maxGapMs))) throw new Error(`frame-rate resampler: maxGapMs must be >= 0 ms (got ${String(o.maxGapMs)})`);
  return Object.freeze(o);
}

/** Tolerance (ms) for a tick to count as "at" a sample time. */
const EPS_MS = 1e-6;

class LinearFrameRateResampler implements FrameRateResampler {
  readonly options: FrameRateResamplerOptions;
  private readonly periodMs: number;
  private readonly prev: Float32Array;
  private readonly out: Float32Array;
  private prevMs = Number.NaN;
  private prevValid = false;
  private next = 0;

  constructor(options: FrameRateResamplerOptions) {
    this.options = options;
    this.periodMs = 1000 / options.fps;
    this.prev = new Float32Array(options.dim);
    this.out = new Float32Array(options.dim);
  }

  get nextTick(): number {
    return this.next;
  }

  private tickTime(k: number): number {
    return this.options.originMs + k * this.periodMs;
  }

  push(values: Float32Array | null, timestampMs: number, onTick: TickCallback): void {
    const dim = this.options.dim;
    if (values && values.length < dim) throw new Error(`frame-rate resampler: expected ${dim} values (got ${values.length})`);
    if (!Number.isFinite(timestampMs)) throw new Error(`frame-rate resampler: timestampMs must be finite (got ${timestampMs})`);
    const first = Number.isNaN(this.prevMs);
    if (!first && !(timestampMs > this.prevMs)) return;
    // Ticks before originMs are never emitted.
    if (first) this.next = Math.max(0, Math.ceil((timestampMs - this.options.originMs - EPS_MS) / this.periodMs));
    const t0 = this.prevMs;
    const gapOk = !first && this.prevValid && values !== null && timestampMs - t0 <= this.options.maxGapMs;
    const out = this.out;
    for (let tt = this.tickTime(this.next); tt <= timestampMs + EPS_MS; tt = this.tickTime(this.next)) {
      const k = this.next++;
      if (Math.abs(tt - timestampMs) <= EPS_MS) {
        if (values) {
          out.set(values.subarray(0, dim));
          onTick(out, k, tt);
        } else onTick(null, k, tt);
      } else if (gapOk) {
        const f = (tt - t0) / (timestampMs - t0);
        const p = this.prev;
        for (let i = 0; i < dim; i++) out[i] = p[i] + f * (values![i] - p[i]);
        onTick(out, k, tt);
      } else {
        onTick(null, k, tt);
      }
    }
    this.prevMs = timestampMs;
    this.prevValid = values !== null;
    if (values) this.prev.set(values.subarray(0, dim));
  }

  reset(): void {
    this.prevMs = Number.NaN;
    this.prevValid = false;
    this.next = 0;
  }
}

/** Creates a resampler to a steady tick rate (default 25 fps). */
export function createFrameRateResampler(options: Partial<FrameRateResamplerOptions> & { dim: number }): FrameRateResampler {
  return new LinearFrameRateResampler(fillFrameRateResamplerOptions(options));
}
