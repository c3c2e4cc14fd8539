/**
 * Listen mode: microphone or audio file -> AudioWorklet samples -> streaming features -> audio2body LSTM step, all in
 * the worklet's message handler (as audio arrives, never in the animation frame) -> a time-stamped pose timeline the
 * animation loop samples.
 */
import { startAudioCapture } from '../capture/audio';
import type { AudioCapture } from '../capture/types';
import { createFeatureExtractor } from '../features/extractor';
import { POSE_DIM } from '../features/skeleton';
import { FEATURE_INDEX } from '../features/spec';
import type { StreamingFeatureExtractor } from '../features/types';
import type { Audio2BodyModel } from '../models/types';
import { PoseTimeline, meanJointDisplacement } from '../render/pose-timeline';
import { LISTEN_MAX_EXTRAPOLATION_S, listenDisplayDelay, modelLagFrames } from './latency';
import { Ema } from './stats';

export type ListenInput = { kind: 'microphone'; stream: MediaStream } | { kind: 'file'; data: ArrayBuffer; name: string };

/** Time constant of the motion meter, in model frames (2 s at 25 fps). */
const MOTION_FRAMES = 50;
/**
 * Input level (log energy, z-scored by the model's training statistics, averaged over MOTION_FRAMES) below which the
 * posture readout says the input is quiet instead of naming a family: -4 sd is about 35 dB under the training music's
 * mean level (log-energy sd 2.07); digital silence sits near -9.4.
 */
export const QUIET_LEVEL_Z = -4;

/**
 * The posture readout of the status line: the most probable class and its probability ('latin 83%'), 'none (quiet
 * input)' while the input level `levelZ` is below QUIET_LEVEL_Z, '' without a posture stage.
 */
export function postureReadout(p: Audio2BodyModel['posture'], levelZ: number): string {
  if (!p) return '';
  if (levelZ < QUIET_LEVEL_Z) return 'none (quiet input)';
  let best = 0;
  for (let c = 1; c < p.classes.length; c++) if (p.probs[c] > p.probs[best]) best = c;
  return `${p.classes[best]} ${Math.round(100 * p.probs[best])}%`;
}

export class ListenSession {
  readonly timeline = new PoseTimeline(128);
  readonly featureMs = new Ema(50);
  readonly stepMs = new Ema(50);
  /** Mean joint speed of the model's output, body-scale units per second, averaged over ~2 s. */
  readonly motion = new Ema(MOTION_FRAMES);
  /** Input level: the model's z-scored log energy, averaged over ~2 s. */
  readonly level = new Ema(MOTION_FRAMES);
  framesStepped = 0;
  private capture: AudioCapture | null = null;
  private context: AudioContext | null = null;
  private extractor: StreamingFeatureExtractor | null = null;
  private readonly pose = new Float32Array(POSE_DIM);
  private readonly prevPose = new Float32Array(POSE_DIM);
  private havePrev = false;
  private featureStart = 0;
  /** Frames by which the model's output lags its input (lookahead plus output smoothing). */
  private outputDelayFrames = 0;
  /** Seconds between a pose's audio time and when it is shown. */
  displayDelay = 0;
  private stopped = false;

  constructor(private readonly model: Audio2BodyModel, private readonly onError: (e: unknown) => void) {}

  get gaps(): number {
    return this.capture?.gaps ?? 0;
  }

  get skippedQuanta(): number {
    return this.capture?.skippedQuanta ?? 0;
  }

  /** Samples delivered by the capture so far. */
  get samplesReceived(): number {
    return this.capture?.samplesReceived ?? 0;
  }

  get sampleRate(): number {
    return this.context?.sampleRate ?? Number.NaN;
  }

  get kind(): string {
    return this.capture?.kind ?? 'none';
  }

  /** Frames by which the pose lags the sound that drives it (latency.ts modelLagFrames), and the model's frames/s. */
  get lagFrames(): number {
    return this.outputDelayFrames;
  }

  /**
   * The posture the model recognizes in the music now, e.g. 'latin 83%' (its most probable class), or 'none (quiet
   * input)' while the input is below QUIET_LEVEL_Z; '' without a posture stage.
   */
  postureText(): string {
    return this.framesStepped === 0 ? '' : postureReadout(this.model.posture, this.level.value);
  }

  get modelFps(): number {
    return this.model.config.fps;
  }

  /** The AudioContext's base and output latency in ms (0 where the browser does not report them). */
  get contextLatencyMs(): { base: number; output: number } {
    return { base: (this.context?.baseLatency ?? 0) * 1000, output: (this.context?.outputLatency ?? 0) * 1000 };
  }

  /** Starts capture; throws a CaptureError (with a readable message) when the input cannot be opened. */
  async start(input: ListenInput): Promise<void> {
    const ctx = new AudioContext({ latencyHint: 'interactive' });
    this.context = ctx;
    const fps = this.model.config.fps;
    // Output of step k is the pose of frame k - lookahead (the output smoothing is trained through: its lag is made up
    // for, as the card's measured onset response lag shows; latency.ts). The display runs a small margin behind the
    // newest pose and continues its velocity for up to one frame, instead of waiting a whole frame to interpolate.
    this.outputDelayFrames = modelLagFrames(this.model.config.lookahead);
    const modelDelay = listenDisplayDelay(this.outputDelayFrames, fps);
    this.model.reset();
    this.extractor = createFeatureExtractor({ inputSampleRate: ctx.sampleRate });
    try {
      this.capture = await startAudioCapture({
        input,
        context: ctx,
        // A file is heard late by the model's delay so the dancer is in time with what is heard.
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

  private onSamples(samples: Float32Array): void {
    const ex = this.extractor;
    if (!ex || this.stopped) return;
    try {
      this.featureStart = performance.now();
      ex.push(samples, this.onFrame);
    } catch (e) {
      this.onError(e);
    }
  }

  private readonly onFrame = (frame: Float32Array, index: number): void => {
    const t0 = performance.now();
    this.featureMs.add(t0 - this.featureStart);
    this.model.step(frame, this.pose);
    const t1 = performance.now();
    this.stepMs.add(t1 - t0);
    this.featureStart = t1;
    this.framesStepped++;
    const cfg = this.model.config;
    const e = FEATURE_INDEX.logEnergy;
    this.level.add((frame[e] - cfg.featureNorm.mean[e]) / cfg.featureNorm.std[e]);
    const start = this.capture?.startTime ?? Number.NaN;
    // The audio time this pose belongs to (the model's output lags its input by outputDelayFrames).
    const time = (Number.isNaN(start) ? 0 : start) + (index - this.outputDelayFrames) / cfg.fps;
    this.timeline.push(this.pose, time);
    if (this.havePrev) this.motion.add(meanJointDisplacement(this.pose, this.prevPose) * cfg.fps);
    this.prevPose.set(this.pose);
    this.havePrev = true;
  };

  /** Pose to show now (linear interpolation on the audio clock); false when none yet. */
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
