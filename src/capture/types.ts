/**
 * Capture stage contract (audio).
 * NOTE: reconstructed from src/capture/audio.ts by the pose/camera helper, who overwrote this file by accident while
 * it was uncommitted; the audio capture owner should check it against the original. Video types: ./video-types.ts.
 */

/** Where the audio comes from. */
export type AudioInputKind = 'microphone' | 'file';

/** Options of startAudioCapture. */
export interface AudioCaptureOptions {
  /** The microphone, or an encoded audio file (its bytes) played through the context. */
  readonly input: { readonly kind: 'microphone'; readonly stream?: MediaStream } | { readonly kind: 'file'; readonly data: ArrayBuffer; readonly name?: string };
  /** Context to use (created and owned by the capture when absent). */
  readonly context?: AudioContext;
  /** Render quanta (128 samples) per posted batch, 1..64. */
  readonly quantaPerBatch?: number;
  /** Delay of the audible file playback, seconds, 0..2. */
  readonly playbackDelay?: number;
  /** Loop a file input. */
  readonly loop?: boolean;
  /** Receives each batch of mono samples at the context rate; `start` is the index of its first sample in the stream. */
  readonly onSamples: (samples: Float32Array, start: number) => void;
}

/** A running audio capture. */
export interface AudioCapture {
  readonly kind: AudioInputKind;
  readonly context: AudioContext;
  /** Context sample rate, Hz. */
  readonly sampleRate: number;
  /** Context time (s) of the first sample received; NaN before. */
  readonly startTime: number;
  /** Samples received so far. */
  readonly samplesReceived: number;
  /** Dropped or repeated batches and skipped render quanta seen so far. */
  readonly gaps: number;
  /** Stops the sources and closes an owned context; safe twice. */
  stop(): Promise<void>;
}

/** Message posted by the capture worklet. */
export interface WorkletBatchMessage {
  readonly type: 'samples';
  readonly samples: Float32Array;
  /** Stream index of the first sample. */
  readonly start: number;
  /** Audio-thread currentFrame at the first sample. */
  readonly frame: number;
  /** Render quanta skipped since the previous batch. */
  readonly skipped: number;
}
