/**
 * Feature stage contract: audio samples in, fixed-rate feature frames out.
 * The same code runs in Node (decoded files, for training) and live in the browser (AudioWorklet hops).
 */

/** Describes how feature frames are computed. Stored in every model's config.json and checked on load. */
export interface AudioFeatureSpec {
  /** Internal analysis sample rate in Hz; input at any other rate is resampled to it. */
  readonly sampleRate: number;
  /** Feature frames per second (the dance data is 25 fps). */
  readonly fps: number;
  /** Analysis window length in samples at `sampleRate` (a power of two, for Meyda's FFT). */
  readonly frameSize: number;
  /** Number of MFCC coefficients. */
  readonly mfccCount: number;
  /** Number of mel bands behind the MFCCs. */
  readonly melBands: number;
  /** Names of the per-frame values, in order; `names.length` is the feature dimension. */
  readonly names: readonly string[];
}

/** Per-feature normalization statistics (z-score). Travel with each model in config.json. */
export interface FeatureNormalization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** A block of frames, row-major: frame `i` is `data.subarray(i * dim, (i + 1) * dim)`. */
export interface FrameBlock {
  readonly data: Float32Array;
  readonly numFrames: number;
  readonly dim: number;
  /** Frames per second. */
  readonly fps: number;
}

/** Streaming extractor: push audio at any sample rate, receive every completed frame exactly once. */
export interface StreamingFeatureExtractor {
  readonly spec: AudioFeatureSpec;
  /** Feature dimension. */
  readonly dim: number;
  /** Number of frames emitted so far; frame `k` describes the audio window ending at time `k / fps` s. */
  readonly framesEmitted: number;
  /**
   * Appends samples (mono, at `inputSampleRate`). For every frame completed, calls `onFrame(frame, index)`;
   * `frame` is a reused buffer: copy it if you keep it.
   */
  push(samples: Float32Array, onFrame: (frame: Float32Array, index: number) => void): void;
  /** Forgets all audio and restarts frame numbering at 0. */
  reset(): void;
}
