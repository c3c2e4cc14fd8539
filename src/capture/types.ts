/**
 * Capture stage contract (audio): the microphone or a decoded file, tapped by an AudioWorklet that posts raw mono samples
 * with a running counter. Video types are in ./video-types.ts.
 */

/** Where the audio comes from. */
export type AudioInputKind = 'microphone' | 'file';

/**
 * Called for every batch of mono samples, in order. `start` is the index of `samples[0]` counted from the first sample
 * of the stream (at the context's rate); consecutive batches are contiguous unless a gap was reported.
 * `samples` is valid during the call only when buffers are recycled (the default): copy what you keep.
 */
export type SamplesCallback = (samples: Float32Array, start: number) => void;

/** Options of startAudioCapture (./audio.ts). */
export interface AudioCaptureOptions {
  /**
   * Source: the microphone (opened by the capture, or an already opened `stream`, see openMicrophone), or an encoded
   * audio file (its bytes), played to the speakers while it is analysed.
   */
  readonly input: { readonly kind: 'microphone'; readonly stream?: MediaStream } | { readonly kind: 'file'; readonly data: ArrayBuffer; readonly name?: string };
  /** Context to use (else one is created with latencyHint 'interactive' and owned by the capture). */
  readonly context?: AudioContext;
  /** Render quanta (128 samples each) per posted batch, 1..64. Default 2 (about 5.3 ms at 48 kHz). */
  readonly quantaPerBatch?: number;
  /** Seconds by which a file's sound is delayed at the speakers (to line up with delayed output), 0..2. Default 0. */
  readonly playbackDelay?: number;
  /** Loop a file. Default true. */
  readonly loop?: boolean;
  /** Receives every batch of samples. */
  readonly onSamples: SamplesCallback;
  /**
   * Hand each batch's buffer back to the audio thread after `onSamples` returns, so the worklet reuses it instead of
   * allocating (then `onSamples` must not keep `samples`). Default true.
   */
  readonly recycleBuffers?: boolean;
}

/** A running audio capture. */
export interface AudioCapture {
  readonly kind: AudioInputKind;
  readonly context: AudioContext;
  /** Sample rate of the delivered samples (the context's rate), Hz. */
  readonly sampleRate: number;
  /** AudioContext time (s) of stream sample 0; NaN until the first batch has arrived. */
  readonly startTime: number;
  /** Samples delivered so far. */
  readonly samplesReceived: number;
  /**
   * Batches whose start did not follow the previous one (samples dropped or repeated between the audio thread and the
   * page). 0 in a healthy stream.
   */
  readonly gaps: number;
  /**
   * Render quanta (128 samples) the browser's audio thread skipped (its clock jumped: an underrun under CPU load). The
   * delivered stream stays contiguous, but that input was never captured.
   */
  readonly skippedQuanta: number;
  /** Stops the input, releases the device and closes an owned context; safe to call twice. */
  stop(): Promise<void>;
}

/** Message posted by the capture worklet (./audio-worklet.ts). */
export interface WorkletBatchMessage {
  readonly type: 'samples';
  /** Mono samples of this batch. */
  readonly samples: Float32Array;
  /** Stream index of samples[0]. */
  readonly start: number;
  /** Audio-thread currentFrame (context sample clock) of samples[0]. */
  readonly frame: number;
  /** Render quanta skipped by the audio thread since the previous batch (currentFrame jumps). */
  readonly skipped: number;
}
