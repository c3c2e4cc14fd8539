/**
 * Pitch-carrying audio features: 88 semitone bands (A0..C8) of the amplitude spectrum, streaming, at the feature
 * frame rate. MFCCs and chroma say little about register; these bands say which keys sound.
 *
 * Frame convention as in ./extractor.ts: input is resampled to `spec.sampleRate`; frame k describes the analysis window
 * ending at sample k * hop (hop = sampleRate / fps), frame 0 being the window before any sample (silence). A longer
 * window than the extractor's (4096 samples = 186 ms at 22.05 kHz, bins 5.4 Hz apart) separates semitones down to
 * about F#2; below that, neighbouring bands share bins (each band is at least one bin wide).
 *
 * Band value: log(1 + 100 a), where a is the largest weighted bin of the Hann-windowed amplitude spectrum in the band,
 * scaled so a full-scale sine on a bin gives 1. Weights: a triangle, 1 at the note's frequency, reaching zero at the
 * neighbouring semitones (or one bin away, whichever is wider).
 */
import { hopSize } from './spec';
import { StreamingResampler } from './resample';

/** Describes the pitch bands. Stored in every model's config.json that uses them. */
export interface PitchSpec {
  /** Analysis sample rate, Hz. */
  readonly sampleRate: number;
  /** Frames per second (must divide sampleRate). */
  readonly fps: number;
  /** FFT window length, samples (a power of two). */
  readonly frameSize: number;
  /** MIDI note of the first band. */
  readonly lowestMidi: number;
  /** Number of semitone bands. */
  readonly bands: number;
  /** Amplitude compression C in log(1 + C a). */
  readonly compression: number;
}

/** Default: 88 bands A0..C8 at 22.05 kHz, 25 fps, 4096-sample window. */
export const DEFAULT_PITCH_SPEC: PitchSpec = Object.freeze({ sampleRate: 22050, fps: 25, frameSize: 4096, lowestMidi: 21, bands: 88, compression: 100 });

/** Band names: `pitch_<midi>`. */
export function pitchNames(spec: PitchSpec = DEFAULT_PITCH_SPEC): string[] {
  return Array.from({ length: spec.bands }, (_, i) => `pitch_${spec.lowestMidi + i}`);
}

/** Frequency of a MIDI note, Hz (A4 = 440 Hz). */
export function midiToHz(midi: number): number {
  return 440 * 2 ** ((midi - 69) / 12);
}

/** Options for {@link createPitchExtractor}. */
export interface PitchExtractorOptions {
  /** Sample rate of the pushed audio, Hz (8000..192000). */
  inputSampleRate: number;
  spec?: PitchSpec;
}

/** Fills and range-checks pitch extractor options. */
export function fillPitchExtractorOptions(options: PitchExtractorOptions): Required<PitchExtractorOptions> {
  const inputSampleRate = options.inputSampleRate;
  if (!Number.isFinite(inputSampleRate) || inputSampleRate < 8000 || inputSampleRate > 192000) {
    throw new Error(`inputSampleRate must be a number of Hz in 8000..192000 (got ${String(inputSampleRate)})`);
  }
  const spec = options.spec ?? DEFAULT_PITCH_SPEC;
  hopSize({ sampleRate: spec.sampleRate, fps: spec.fps, frameSize: spec.frameSize, mfccCount: 0, melBands: 0, names: [] });
  if (!(spec.frameSize >= 256 && spec.frameSize <= 32768) || (spec.frameSize & (spec.frameSize - 1)) !== 0) {
    throw new Error(`frameSize must be a power of two in 256..32768 (got ${spec.frameSize})`);
  }
  if (!Number.isInteger(spec.bands) || spec.bands < 1 || spec.lowestMidi < 0 || spec.lowestMidi + spec.bands > 128) {
    throw new Error(`bands must be 1..128 with lowestMidi + bands <= 128 (got ${spec.lowestMidi} + ${spec.bands})`);
  }
  if (midiToHz(spec.lowestMidi + spec.bands - 1) >= spec.sampleRate / 2) {
    throw new Error(`the highest band (MIDI ${spec.lowestMidi + spec.bands - 1}) must lie below Nyquist (${spec.sampleRate / 2} Hz)`);
  }
  if (!(spec.compression > 0)) throw new Error(`compression must be > 0 (got ${spec.compression})`);
  return { inputSampleRate, spec };
}

/** Sparse band weights: band b uses bins [start[b], start[b] + len[b]) with weights at offset[b]. */
export interface PitchBank {
  start: Int32Array;
  len: Int32Array;
  offset: Int32Array;
  weights: Float32Array;
}

/** The semitone filter bank of a spec (see the module comment). */
export function pitchFilterBank(spec: PitchSpec = DEFAULT_PITCH_SPEC): PitchBank {
  const bins = spec.frameSize / 2;
  const binHz = spec.sampleRate / spec.frameSize;
  const start = new Int32Array(spec.bands);
  const len = new Int32Array(spec.bands);
  const offset = new Int32Array(spec.bands);
  const all: number[] = [];
  for (let b = 0; b < spec.bands; b++) {
    const f = midiToHz(spec.lowestMidi + b);
    const lo = Math.max(f - midiToHz(spec.lowestMidi + b - 1), binHz);
    const hi = Math.max(midiToHz(spec.lowestMidi + b + 1) - f, binHz);
    const k0 = Math.max(1, Math.ceil((f - lo) / binHz));
    const k1 = Math.min(bins - 1, Math.floor((f + hi) / binHz));
    const w: number[] = [];
    for (let k = k0; k <= k1; k++) {
      const fk = k * binHz;
      w.push(fk < f ? 1 - (f - fk) / lo : 1 - (fk - f) / hi);
    }
    start[b] = k0;
    len[b] = w.length;
    offset[b] = all.length;
    for (const x of w) all.push(Math.max(0, x));
  }
  return { start, len, offset, weights: Float32Array.from(all) };
}

/** In-place radix-2 FFT of (re, im), length a power of two; `rev` and `cos`/`sin` tables precomputed. */
function fft(re: Float64Array, im: Float64Array, rev: Uint32Array, cos: Float64Array, sin: Float64Array): void {
  const n = re.length;
  for (let i = 0; i < n; i++) {
    const j = rev[i];
    if (j > i) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = n / size;
    for (let i = 0; i < n; i += size) {
      for (let j = 0; j < half; j++) {
        const c = cos[j * step];
        const s = sin[j * step];
        const a = i + j;
        const b = a + half;
        const tr = re[b] * c + im[b] * s;
        const ti = im[b] * c - re[b] * s;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}

/** Streaming pitch-band extractor (no allocation per frame). */
export interface StreamingPitchExtractor {
  readonly spec: PitchSpec;
  /** Bands per frame. */
  readonly dim: number;
  readonly framesEmitted: number;
  /** Appends mono samples at the input rate; calls `onFrame(frame, index)` per completed frame (reused buffer). */
  push(samples: Float32Array, onFrame: (frame: Float32Array, index: number) => void): void;
  reset(): void;
}

class PitchExtractor implements StreamingPitchExtractor {
  readonly spec: PitchSpec;
  readonly dim: number;
  private readonly hop: number;
  private readonly resampler: StreamingResampler;
  private readonly ring: Float32Array;
  private ringPos = 0;
  private received = 0;
  private emitted = 0;
  private readonly hann: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly amp: Float64Array;
  private readonly rev: Uint32Array;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly bank: PitchBank;
  private readonly frame: Float32Array;
  private readonly scale: number;

  constructor(options: PitchExtractorOptions) {
    const { inputSampleRate, spec } = fillPitchExtractorOptions(options);
    this.spec = spec;
    this.dim = spec.bands;
    const n = spec.frameSize;
    this.hop = spec.sampleRate / spec.fps;
    this.resampler = new StreamingResampler(inputSampleRate, spec.sampleRate);
    this.ring = new Float32Array(n);
    this.hann = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += this.hann[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
    // A sine of amplitude A gives a peak |X| of A * sum(w) / 2.
    this.scale = 2 / sum;
    this.re = new Float64Array(n);
    this.im = new Float64Array(n);
    this.amp = new Float64Array(n / 2);
    this.rev = new Uint32Array(n);
    const bits = Math.log2(n);
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
    this.cos = new Float64Array(n / 2);
    this.sin = new Float64Array(n / 2);
    for (let i = 0; i < n / 2; i++) {
      this.cos[i] = Math.cos((2 * Math.PI * i) / n);
      this.sin[i] = Math.sin((2 * Math.PI * i) / n);
    }
    this.bank = pitchFilterBank(spec);
    this.frame = new Float32Array(this.dim);
  }

  get framesEmitted(): number {
    return this.emitted;
  }

  push(samples: Float32Array, onFrame: (frame: Float32Array, index: number) => void): void {
    const x = this.resampler.process(samples);
    const n = this.ring.length;
    for (let i = 0; i < x.length; i++) {
      if (this.received === this.emitted * this.hop) this.emit(onFrame);
      this.ring[this.ringPos] = x[i];
      this.ringPos = this.ringPos + 1 === n ? 0 : this.ringPos + 1;
      this.received++;
    }
    if (this.received === this.emitted * this.hop) this.emit(onFrame);
  }

  reset(): void {
    this.resampler.reset();
    this.ring.fill(0);
    this.ringPos = 0;
    this.received = 0;
    this.emitted = 0;
  }

  private emit(onFrame: (frame: Float32Array, index: number) => void): void {
    const n = this.ring.length;
    for (let i = 0; i < n; i++) {
      this.re[i] = this.ring[(this.ringPos + i) % n] * this.hann[i];
      this.im[i] = 0;
    }
    fft(this.re, this.im, this.rev, this.cos, this.sin);
    for (let k = 0; k < n / 2; k++) this.amp[k] = Math.sqrt(this.re[k] * this.re[k] + this.im[k] * this.im[k]) * this.scale;
    const { start, len, offset, weights } = this.bank;
    const c = this.spec.compression;
    for (let b = 0; b < this.dim; b++) {
      let v = 0;
      const s = start[b];
      const o = offset[b];
      for (let k = 0; k < len[b]; k++) {
        const a = weights[o + k] * this.amp[s + k];
        if (a > v) v = a;
      }
      this.frame[b] = Math.log1p(c * v);
    }
    const index = this.emitted++;
    onFrame(this.frame, index);
  }
}

/** Creates a streaming pitch-band extractor for audio at `options.inputSampleRate`. */
export function createPitchExtractor(options: PitchExtractorOptions): StreamingPitchExtractor {
  return new PitchExtractor(options);
}

/** Pitch bands of a whole signal through the streaming extractor (offline = live code path); frames x bands. */
export function extractPitch(samples: Float32Array, inputSampleRate: number, spec: PitchSpec = DEFAULT_PITCH_SPEC, chunkSize = 4096): { data: Float32Array; numFrames: number; dim: number; fps: number } {
  const ex = createPitchExtractor({ inputSampleRate, spec });
  const expected = Math.floor((samples.length * spec.sampleRate) / inputSampleRate / (spec.sampleRate / spec.fps)) + 2;
  let data = new Float32Array(expected * ex.dim);
  let count = 0;
  const onFrame = (frame: Float32Array, index: number): void => {
    if ((index + 1) * ex.dim > data.length) {
      const bigger = new Float32Array(data.length * 2);
      bigger.set(data);
      data = bigger;
    }
    data.set(frame, index * ex.dim);
    count = index + 1;
  };
  for (let i = 0; i < samples.length; i += chunkSize) ex.push(samples.subarray(i, Math.min(samples.length, i + chunkSize)), onFrame);
  return { data: data.slice(0, count * ex.dim), numFrames: count, dim: ex.dim, fps: spec.fps };
}
