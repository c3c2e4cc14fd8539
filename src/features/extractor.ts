import Meyda from 'meyda';
import { DEFAULT_FEATURE_SPEC, FEATURE_INDEX, hopSize } from './spec';
import { StreamingResampler } from './resample';
import type { AudioFeatureSpec, FrameBlock, StreamingFeatureExtractor } from './types';

/** Options for {@link createFeatureExtractor}. */
export interface FeatureExtractorOptions {
  /** Sample rate of the pushed audio in Hz (8000-192000). */
  inputSampleRate: number;
  /** Feature spec; defaults to {@link DEFAULT_FEATURE_SPEC}. */
  spec?: AudioFeatureSpec;
}

/** Floor added to mel band powers before the log, so silence stays finite (MFCC = DCT of log mel power). */
const MEL_FLOOR = 1e-8;
/** Energy floor that keeps log-energy finite in digital silence. */
const ENERGY_FLOOR = 1e-10;
/** Compression of the magnitude spectrum before spectral flux (log(1 + C|X|)). */
const FLUX_COMPRESSION = 100;

/** A filter bank row stored sparsely: weights for bins [start, start + weights.length). */
interface SparseRow {
  start: number;
  weights: Float32Array;
}

/** Sparse copy of a filter bank, limited to `bins` bins (Meyda's rows have one more than its spectrum). */
function sparse(rows: ArrayLike<number>[], bins: number): SparseRow[] {
  return rows.map((full) => {
    const row = Array.from({ length: bins }, (_, i) => (Number.isFinite(full[i]) ? full[i] : 0));
    let a = 0;
    while (a < row.length && row[a] === 0) a++;
    let b = row.length;
    while (b > a && row[b - 1] === 0) b--;
    return { start: a, weights: Float32Array.from(row.slice(a, b)) };
  });
}

let meydaConfigured: string | null = null;

/** Meyda keeps its settings (and caches its mel/chroma banks) globally: configure once, refuse a second config. */
function configureMeyda(spec: AudioFeatureSpec): void {
  const key = `${spec.sampleRate}/${spec.frameSize}/${spec.melBands}/${spec.mfccCount}`;
  if (meydaConfigured === key) return;
  if (meydaConfigured !== null) {
    throw new Error(`Meyda is already configured for ${meydaConfigured}; its filter banks are cached, so one spec per process`);
  }
  Meyda.bufferSize = spec.frameSize;
  Meyda.sampleRate = spec.sampleRate;
  Meyda.melBands = spec.melBands;
  Meyda.numberOfMFCCCoefficients = spec.mfccCount;
  Meyda.chromaBands = 12;
  Meyda.windowingFunction = 'hanning';
  // Meyda builds its mel and chroma filter banks on the first extract; we reuse them, sparsely, on our own hot loop.
  Meyda.extract('amplitudeSpectrum', new Float32Array(spec.frameSize));
  const m = Meyda as unknown as { melFilterBank: number[][]; chromaFilterBank: number[][] };
  banks = { mel: sparse(m.melFilterBank.slice(0, spec.melBands), spec.frameSize / 2), chroma: sparse(m.chromaFilterBank, spec.frameSize / 2) };
  meydaConfigured = key;
}

/** Meyda's filter banks for the configured spec. */
let banks: { mel: SparseRow[]; chroma: SparseRow[] } = { mel: [], chroma: [] };

/** Fills and range-checks extractor options. */
export function fillFeatureExtractorOptions(options: FeatureExtractorOptions): Required<FeatureExtractorOptions> {
  const inputSampleRate = options.inputSampleRate;
  if (!Number.isFinite(inputSampleRate) || inputSampleRate < 8000 || inputSampleRate > 192000) {
    throw new Error(`inputSampleRate must be a number of Hz in 8000..192000 (got ${String(inputSampleRate)})`);
  }
  const spec = options.spec ?? DEFAULT_FEATURE_SPEC;
  hopSize(spec);
  if ((spec.frameSize & (spec.frameSize - 1)) !== 0) throw new Error(`frameSize must be a power of two (got ${spec.frameSize})`);
  return { inputSampleRate, spec };
}

class MeydaStreamingExtractor implements StreamingFeatureExtractor {
  readonly spec: AudioFeatureSpec;
  readonly dim: number;
  private readonly hop: number;
  private readonly resampler: StreamingResampler;
  /** Ring of the last `frameSize` analysis-rate samples. */
  private readonly ring: Float32Array;
  private ringPos = 0;
  /** Analysis-rate samples received. */
  private received = 0;
  private emitted = 0;
  private readonly window: Float32Array;
  private readonly frame: Float32Array;
  private readonly prevFrame: Float32Array;
  private readonly prevLogSpec: Float32Array;
  private havePrev = false;
  private readonly logMel: Float32Array;
  /** DCT-II matrix, mfccCount x melBands, orthonormal. */
  private readonly dct: Float32Array;

  constructor(options: FeatureExtractorOptions) {
    const { inputSampleRate, spec } = fillFeatureExtractorOptions(options);
    configureMeyda(spec);
    this.spec = spec;
    this.dim = spec.names.length;
    this.hop = hopSize(spec);
    this.resampler = new StreamingResampler(inputSampleRate, spec.sampleRate);
    this.ring = new Float32Array(spec.frameSize);
    this.window = new Float32Array(spec.frameSize);
    this.frame = new Float32Array(this.dim);
    this.prevFrame = new Float32Array(this.dim);
    this.prevLogSpec = new Float32Array(spec.frameSize / 2);
    this.logMel = new Float32Array(spec.melBands);
    this.dct = dctMatrix(spec.mfccCount, spec.melBands);
  }

  get framesEmitted(): number {
    return this.emitted;
  }

  push(samples: Float32Array, onFrame: (frame: Float32Array, index: number) => void): void {
    const x = this.resampler.process(samples);
    const n = this.ring.length;
    for (let i = 0; i < x.length; i++) {
      // Frame k covers the window ending at analysis sample k * hop; emit it before sample k * hop is stored.
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
    this.havePrev = false;
    this.prevLogSpec.fill(0);
    this.prevFrame.fill(0);
  }

  private emit(onFrame: (frame: Float32Array, index: number) => void): void {
    const n = this.ring.length;
    for (let i = 0; i < n; i++) this.window[i] = this.ring[(this.ringPos + i) % n];
    // Meyda: Hann window + FFT -> amplitude spectrum (frameSize / 2 bins). Mel bands and chroma use Meyda's own filter
    // banks; we apply them here because Meyda's melBands returns log(1 + x) and allocates per call.
    const amp = Meyda.extract('amplitudeSpectrum', this.window) as unknown as Float32Array;
    const out = this.frame;
    const m = this.spec.mfccCount;
    let energy = 0;
    for (let i = 0; i < n; i++) energy += this.window[i] * this.window[i];
    out[FEATURE_INDEX.logEnergy] = Math.log(energy / n + ENERGY_FLOOR);
    const nb = this.logMel.length;
    for (let b = 0; b < nb; b++) {
      const row = banks.mel[b];
      let p = 0;
      for (let k = 0; k < row.weights.length; k++) {
        const a = amp[row.start + k];
        p += row.weights[k] * a * a;
      }
      this.logMel[b] = Math.log(p + MEL_FLOOR);
    }
    // MFCC: orthonormal DCT-II of log mel power (a gain change moves only c0).
    for (let i = 0; i < m; i++) {
      let c = 0;
      const row = i * nb;
      for (let b = 0; b < nb; b++) c += this.dct[row + b] * this.logMel[b];
      out[FEATURE_INDEX.mfcc + i] = c;
    }
    // Causal deltas: this frame minus the previous one (0 for the first frame).
    for (let i = 0; i <= m; i++) {
      out[FEATURE_INDEX.deltaLogEnergy + i] = this.havePrev ? out[i] - this.prevFrame[i] : 0;
    }
    // Chroma: Meyda's chroma filter bank on the amplitude spectrum, scaled so the strongest class is 1 (0 in silence).
    let maxChroma = 0;
    for (let c = 0; c < 12; c++) {
      const row = banks.chroma[c];
      let v = 0;
      for (let k = 0; k < row.weights.length; k++) v += row.weights[k] * amp[row.start + k];
      out[FEATURE_INDEX.chroma + c] = v;
      if (v > maxChroma) maxChroma = v;
    }
    for (let c = 0; c < 12; c++) out[FEATURE_INDEX.chroma + c] = maxChroma > 1e-9 ? out[FEATURE_INDEX.chroma + c] / maxChroma : 0;
    // Onset strength: half-wave rectified spectral flux of the log-compressed amplitude spectrum
    // (Meyda's own spectralFlux is broken in 5.6.3).
    let flux = 0;
    for (let k = 0; k < this.prevLogSpec.length; k++) {
      const v = Math.log1p(FLUX_COMPRESSION * amp[k]);
      const d = v - this.prevLogSpec[k];
      if (d > 0 && this.havePrev) flux += d;
      this.prevLogSpec[k] = v;
    }
    out[FEATURE_INDEX.onset] = Math.log1p(flux);
    this.prevFrame.set(out);
    this.havePrev = true;
    const index = this.emitted++;
    onFrame(out, index);
  }
}

/** Orthonormal DCT-II basis: rows = coefficients, columns = inputs. */
export function dctMatrix(rows: number, cols: number): Float32Array {
  const m = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const scale = Math.sqrt((i === 0 ? 1 : 2) / cols);
    for (let j = 0; j < cols; j++) m[i * cols + j] = scale * Math.cos((Math.PI * i * (j + 0.5)) / cols);
  }
  return m;
}


/** Creates a streaming feature extractor for audio at `options.inputSampleRate`. */
export function createFeatureExtractor(options: FeatureExtractorOptions): StreamingFeatureExtractor {
  return new MeydaStreamingExtractor(options);
}

/**
 * Features of a whole signal, computed by pushing it through the streaming extractor in `chunkSize` pieces
 * (so offline and live features are the same code path). Frame k describes the window ending at k / fps s.
 */
export function extractFeatures(
  samples: Float32Array,
  inputSampleRate: number,
  spec: AudioFeatureSpec = DEFAULT_FEATURE_SPEC,
  chunkSize = 4096,
): FrameBlock {
  const ex = createFeatureExtractor({ inputSampleRate, spec });
  const expected = Math.floor((samples.length * spec.sampleRate) / inputSampleRate / hopSize(spec)) + 2;
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
