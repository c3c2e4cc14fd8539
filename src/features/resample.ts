/**
 * Streaming sample-rate converter: windowed-sinc low-pass at the input rate, then linear interpolation.
 * Chunk boundaries do not change the output (state is carried), so a live stream and a whole file give the same samples.
 */
export class StreamingResampler {
  /** Input rate in Hz. */
  readonly inRate: number;
  /** Output rate in Hz. */
  readonly outRate: number;
  private readonly taps: Float32Array;
  private readonly history: Float32Array;
  private histPos = 0;
  private readonly step: number;
  /** Position of the next output sample, in input samples, relative to the previous filtered sample. */
  private frac = 0;
  private prev = 0;
  private primed = false;
  private out = new Float32Array(0);

  constructor(inRate: number, outRate: number, numTaps = 63) {
    if (!(inRate > 0) || !(outRate > 0)) throw new Error(`sample rates must be positive (got ${inRate}, ${outRate})`);
    this.inRate = inRate;
    this.outRate = outRate;
    this.step = inRate / outRate;
    // Low-pass at 0.45 of the lower Nyquist-normalized rate; identity (one tap) when upsampling or equal.
    const cutoff = Math.min(1, outRate / inRate) * 0.9; // fraction of the input Nyquist
    if (cutoff >= 0.9 && inRate <= outRate) {
      this.taps = new Float32Array([1]);
    } else {
      const n = numTaps | 1;
      const taps = new Float32Array(n);
      const m = (n - 1) / 2;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const x = i - m;
        const sinc = x === 0 ? cutoff : Math.sin(Math.PI * cutoff * x) / (Math.PI * x);
        const w = 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1)) + 0.08 * Math.cos((4 * Math.PI * i) / (n - 1));
        taps[i] = sinc * w;
        sum += taps[i];
      }
      for (let i = 0; i < n; i++) taps[i] /= sum;
      this.taps = taps;
    }
    this.history = new Float32Array(this.taps.length);
  }

  /**
   * Converts a chunk. Returns a view into an internal buffer that is valid until the next call.
   * The filter delay is (taps - 1) / 2 input samples.
   */
  process(input: Float32Array): Float32Array {
    const maxOut = Math.ceil(input.length / this.step) + 2;
    if (this.out.length < maxOut) this.out = new Float32Array(maxOut);
    const out = this.out;
    const taps = this.taps;
    const hist = this.history;
    const n = taps.length;
    let count = 0;
    for (let i = 0; i < input.length; i++) {
      hist[this.histPos] = input[i];
      this.histPos = (this.histPos + 1) % n;
      let y = 0;
      let p = this.histPos; // oldest sample
      for (let k = 0; k < n; k++) {
        y += taps[k] * hist[p];
        p = p + 1 === n ? 0 : p + 1;
      }
      if (!this.primed) {
        this.prev = y;
        this.primed = true;
        out[count++] = y; // output sample 0 sits on input sample 0
        this.frac = this.step;
        continue;
      }
      // Emit every output position t in (i-1, i]: linear interpolation between prev and y.
      while (this.frac <= 1) {
        out[count++] = this.prev + (y - this.prev) * this.frac;
        this.frac += this.step;
      }
      this.frac -= 1;
      this.prev = y;
    }
    return out.subarray(0, count);
  }

  /** Clears the stream state. */
  reset(): void {
    this.history.fill(0);
    this.histPos = 0;
    this.frac = 0;
    this.prev = 0;
    this.primed = false;
  }
}
