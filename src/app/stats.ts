/** Small running statistics for the status line (no allocation per update). */

/** Exponential moving average with a time constant in samples. */
export class Ema {
  value = Number.NaN;
  constructor(readonly samples = 20) {
    if (!(samples >= 1)) throw new Error(`samples must be >= 1 (got ${samples})`);
  }
  add(x: number): number {
    if (!Number.isFinite(x)) return this.value;
    this.value = Number.isNaN(this.value) ? x : this.value + (x - this.value) / this.samples;
    return this.value;
  }
  reset(): void {
    this.value = Number.NaN;
  }
}

/** Rate of events per second from their timestamps (ms), averaged. */
export class RateMeter {
  private last = Number.NaN;
  private readonly dt: Ema;
  constructor(samples = 30) {
    this.dt = new Ema(samples);
  }
  tick(nowMs: number): void {
    if (!Number.isNaN(this.last) && nowMs > this.last) this.dt.add(nowMs - this.last);
    this.last = nowMs;
  }
  /** Events per second, NaN before two events. */
  get rate(): number {
    return this.dt.value > 0 ? 1000 / this.dt.value : Number.NaN;
  }
  reset(): void {
    this.last = Number.NaN;
    this.dt.reset();
  }
}

/** Formats a number for the status line ('–' when unknown). */
export function fmt(x: number, digits = 1): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '–';
}
