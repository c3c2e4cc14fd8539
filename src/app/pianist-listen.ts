/**
 * Pianist Listen: microphone or audio file -> AudioWorklet samples -> streaming features (the model's spec) ->
 * sound -> pianist step, in the worklet's message handler as audio arrives (never in the animation frame) -> a
 * time-stamped timeline of 147 keypoint values + 88 key activations that the animation loop samples on the audio clock.
 * The same timing as the dancer's ListenSession (./listen.ts): a file is heard late by the model's delay.
 * When the model asks for pitch bands (`pitchSpec`), the streaming pitch extractor runs on the same samples and a
 * step waits until both frames of its index exist (same frame convention; in practice they complete in the same push).
 */
import { startAudioCapture } from '../capture/audio';
import type { AudioCapture } from '../capture/types';
import { createFeatureExtractor } from '../features/extractor';
import { createPitchExtractor, type StreamingPitchExtractor } from '../features/pitch';
import { NUM_KEYS } from '../features/piano/keyboard';
import { PIANIST_DIM } from '../features/piano/layout';
import type { StreamingFeatureExtractor } from '../features/types';
import { fingertipKeyActivations } from '../render/pianist-keys';
import { PoseTimeline } from '../render/pose-timeline';
import type { ListenInput } from './listen';
import type { PianistListenModel } from './pianist-models';
import { LISTEN_MAX_EXTRAPOLATION_S, listenDisplayDelay, modelLagFrames } from './latency';
import { Ema } from './stats';

/** Values per timeline frame: keypoints, then key activations. */
export const PIANIST_FRAME_DIM = PIANIST_DIM + NUM_KEYS;

/** Frames of features / pitch bands kept while waiting for the other of the same index. */
const JOIN_FRAMES = 16;

export class PianistListenSession {
  readonly timeline = new PoseTimeline(128, PIANIST_FRAME_DIM);
  readonly featureMs = new Ema(50);
  readonly stepMs = new Ema(50);
  framesStepped = 0;
  /** Seconds between a frame's audio time and when it is shown. */
  displayDelay = 0;
  private capture: AudioCapture | null = null;
  private sumSquares = 0;
  private samplesIn = 0;
  private context: AudioContext | null = null;
  private extractor: StreamingFeatureExtractor | null = null;
  private pitchExtractor: StreamingPitchExtractor | null = null;
  // Model input frame (features, then pitch bands) and the join of the two streams by frame index.
  private input = new Float32Array(0);
  private featureDim = 0;
  private pitchDim = 0;
  private featureRing = new Float32Array(0);
  private featureIndex = new Int32Array(0);
  private pitchRing = new Float32Array(0);
  private pitchIndex = new Int32Array(0);
  private nextIndex = 0;
  private readonly frame = new Float32Array(PIANIST_FRAME_DIM);
  private readonly keypoints = this.frame.subarray(0, PIANIST_DIM);
  private readonly keys = this.frame.subarray(PIANIST_DIM);
  private featureStart = 0;
  private stopped = false;

  constructor(private readonly model: PianistListenModel, private readonly onError: (e: unknown) => void) {}

  get kind(): string {
    return this.capture?.kind ?? 'none';
  }

  /** The model's output lag in model frames (its lookahead), as the display timing accounts for it. */
  get lagFrames(): number {
    return modelLagFrames(this.model.delayFrames);
  }

  /** The model's frame rate, frames per second. */
  get modelFps(): number {
    return this.model.fps;
  }

  /** The AudioContext's base and output latency in ms (0 where the browser does not report them). */
  get contextLatencyMs(): { base: number; output: number } {
    return { base: (this.context?.baseLatency ?? 0) * 1000, output: (this.context?.outputLatency ?? 0) * 1000 };
  }

  /** Starts capture; throws a CaptureError (readable message) when the input cannot be opened. */
  async start(input: ListenInput): Promise<void> {
    const ctx = new AudioContext({ latencyHint: 'interactive' });
    this.context = ctx;
    const m = this.model;
    if (!(m.fps > 0) || !(m.delayFrames >= 0)) throw new Error(`pianist model: fps must be > 0 and delayFrames >= 0 (got ${m.fps}, ${m.delayFrames})`);
    // The same display timing as the dancer (latency.ts): the model's lag plus a small margin, the last frames' velocity
    // continued for up to one frame instead of waiting a whole frame to interpolate.
    const modelDelay = listenDisplayDelay(modelLagFrames(m.delayFrames), m.fps);
    m.reset();
    this.extractor = createFeatureExtractor({ inputSampleRate: ctx.sampleRate, spec: m.featureSpec });
    this.featureDim = this.extractor.dim;
    this.pitchExtractor = m.pitchSpec ? createPitchExtractor({ inputSampleRate: ctx.sampleRate, spec: m.pitchSpec }) : null;
    this.pitchDim = this.pitchExtractor?.dim ?? 0;
    this.input = new Float32Array(this.featureDim + this.pitchDim);
    this.featureRing = new Float32Array(JOIN_FRAMES * this.featureDim);
    this.featureIndex = new Int32Array(JOIN_FRAMES).fill(-1);
    this.pitchRing = new Float32Array(JOIN_FRAMES * this.pitchDim);
    this.pitchIndex = new Int32Array(JOIN_FRAMES).fill(-1);
    this.nextIndex = 0;
    try {
      this.capture = await startAudioCapture({
        input,
        context: ctx,
        playbackDelay: input.kind === 'file' ? modelDelay : 0,
        onSamples: (s) => this.onSamples(s),
      });
    } catch (e) {
      await ctx.close().catch(() => undefined);
      this.context = null;
      throw e;
    }
    this.displayDelay = modelDelay + (input.kind === 'file' ? ctx.outputLatency ?? 0 : 0);
    if (this.stopped) await this.stop();
  }

  /** Root mean square of the input samples received so far (the level the models hear; 1 = full scale). */
  get inputRms(): number {
    return this.samplesIn > 0 ? Math.sqrt(this.sumSquares / this.samplesIn) : 0;
  }

  private onSamples(samples: Float32Array): void {
    const ex = this.extractor;
    if (!ex || this.stopped) return;
    let ss = 0;
    for (let i = 0; i < samples.length; i++) ss += samples[i] * samples[i];
    this.sumSquares += ss;
    this.samplesIn += samples.length;
    try {
      this.featureStart = performance.now();
      this.pitchExtractor?.push(samples, this.onPitch);
      ex.push(samples, this.onFeatures);
    } catch (e) {
      this.onError(e);
    }
  }

  private readonly onPitch = (pitch: Float32Array, index: number): void => {
    const slot = index % JOIN_FRAMES;
    this.pitchRing.set(pitch, slot * this.pitchDim);
    this.pitchIndex[slot] = index;
    this.stepReady();
  };

  private readonly onFeatures = (features: Float32Array, index: number): void => {
    const slot = index % JOIN_FRAMES;
    this.featureRing.set(features, slot * this.featureDim);
    this.featureIndex[slot] = index;
    this.stepReady();
  };

  /** Steps every frame whose features (and pitch bands, when used) have arrived, in index order. */
  private stepReady(): void {
    for (;;) {
      const index = this.nextIndex;
      const slot = index % JOIN_FRAMES;
      if (this.featureIndex[slot] !== index || (this.pitchDim > 0 && this.pitchIndex[slot] !== index)) return;
      const { input, featureDim: fd, pitchDim: pd } = this;
      for (let i = 0; i < fd; i++) input[i] = this.featureRing[slot * fd + i];
      for (let i = 0; i < pd; i++) input[fd + i] = this.pitchRing[slot * pd + i];
      this.nextIndex = index + 1;
      this.onFrame(this.input, index);
    }
  }

  private onFrame(features: Float32Array, index: number): void {
    const t0 = performance.now();
    this.featureMs.add(t0 - this.featureStart);
    // Keys the model does not predict are the keys its fingertips touch.
    if (!this.model.step(features, this.keypoints, this.keys)) fingertipKeyActivations(this.keypoints, this.keys);
    const t1 = performance.now();
    this.stepMs.add(t1 - t0);
    this.featureStart = t1;
    this.framesStepped++;
    const start = this.capture?.startTime ?? Number.NaN;
    const time = (Number.isNaN(start) ? 0 : start) + (index - this.model.delayFrames) / this.model.fps;
    this.timeline.push(this.frame, time);
  }

  /** Writes the frame to show now (147 keypoints + 88 keys) into `out`; false when none yet. */
  sample(out: Float32Array): boolean {
    const ctx = this.context;
    if (!ctx || this.stopped) return false;
    return this.timeline.sample(ctx.currentTime - this.displayDelay, out, LISTEN_MAX_EXTRAPOLATION_S);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const cap = this.capture;
    const ctx = this.context;
    this.capture = null;
    this.context = null;
    await cap?.stop();
    await ctx?.close().catch(() => undefined);
  }
}
