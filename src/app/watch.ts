/**
 * Watch mode: camera or video file -> BlazePose (async, one estimate at a time, latest result wins) -> 23-joint mapping
 * -> normalization -> 25 fps resampling -> Pose2Roll step -> Roll2Score tracker. Runs from video-frame callbacks and
 * promise continuations, never inside the animation frame; the loop only reads the latest pose.
 *
 * Notes are decided just in time on the synth's scheduler clock (a worker timer every `updateInterval`, 5 ms): each
 * tick hands the synth the notes starting before `now + lookAhead + updateInterval (+ stall margin)`, about 15 ms ahead,
 * with the tracker's latest tempo, phase, energy and style. A pause of the main thread longer than that window would
 * make notes late; pauses that recur (pose inference blocks the thread at every estimate) widen the window by the
 * stall margin: the second-longest excess pause of the last 5 s, so a one-off pause (GC, another process) does not, and
 * the margin is back to 0 5 s after the thread runs freely.
 */
import type { VideoFrameInfo, VideoSource } from '../capture/video-types';
import { POSE_DIM } from '../features/skeleton';
import type { FrameRateResampler, OneEuroFilter, PoseNormalizer, PoseTracker } from '../features/pose/types';
import type { Roll2ScoreTracker } from '../models/body2music/roll2score';
import type { Pose2RollModel, RollFrame } from '../models/types';
import type { Synth } from '../synth/types';
import { STYLES, type NoteEvent } from '../types';
import { EstimateGate } from './estimate-gate';
import { Ema } from './stats';

/** Everything a Watch session runs; built by the app from the pose and model factories. */
export interface WatchParts {
  /** Started video source. */
  readonly source: VideoSource;
  readonly tracker: PoseTracker;
  /** BlazePose world landmarks (33 x xyz, metres) -> 23-joint pose (69) in `out`. */
  readonly mapTo23: (world: Float32Array, out: Float32Array) => Float32Array;
  readonly normalizer: PoseNormalizer;
  readonly smoother: OneEuroFilter | null;
  /** Builds the 25 fps resampler with tick 0 at `originMs` (performance.now clock). */
  readonly makeResampler: (originMs: number) => FrameRateResampler;
  readonly pose2roll: Pose2RollModel;
  readonly roll2score: Roll2ScoreTracker;
  readonly synth: Synth;
}

/** Seconds without a person before the performer is told. */
export const NO_PERSON_SECONDS = 1.5;

/** Per-tick fraction by which the music latency relaxes toward a smaller lag (it rises at once). */
const LATENCY_DECAY = 0.005;

/** Largest stall margin added to the scheduling window, seconds (BlazePose on software WebGL blocks ~0.3-1 s). */
export const MAX_STALL_MARGIN = 1;
/** Stalls of the scheduler clock remembered for the stall margin, and for how long, ms. */
const STALL_SLOTS = 8;
const STALL_WINDOW_MS = 5000;

export class WatchSession {
  /** Seconds between a pose tick and its music (follows the pose pipeline's lag). */
  latency = 0;
  readonly estimateMs = new Ema(20);
  readonly rollMs = new Ema(50);
  readonly poseRate = new Ema(20);
  /** Pose frames estimated, with a person / without. */
  framesWithPerson = 0;
  framesWithoutPerson = 0;
  ticks = 0;
  /** Notes returned by Roll2Score. */
  notesScheduled = 0;
  /** Scheduler clock: how far ahead of the AudioContext time notes were handed to the synth, ms. */
  readonly leadMs = new Ema(50);
  /** Notes handed over after their start time (played at once, late), and the extra window covering stalls, s. */
  lateNotes = 0;
  stallMargin = 0;
  /** Optional probe called with every batch of notes handed to the synth and the AudioContext time (bench). */
  onNotes: ((events: readonly NoteEvent[], now: number) => void) | null = null;
  /** performance.now() of the last frame with a person (NaN: never). */
  lastPersonMs = Number.NaN;
  firstFrameMs = Number.NaN;
  lastActivity = 0;
  lastBeat = 0;
  styleName = '';
  /** Latest normalized pose of the performer (valid when `havePose`). */
  readonly pose = new Float32Array(POSE_DIM);
  havePose = false;
  private readonly raw = new Float32Array(POSE_DIM);
  private readonly norm = new Float32Array(POSE_DIM);
  private readonly roll: RollFrame;
  private resampler: FrameRateResampler | null = null;
  /** One pose estimate at a time, with a rest after each (./estimate-gate.ts). */
  private readonly gate = new EstimateGate();
  private lastEstimateEnd = Number.NaN;
  private unsubscribe: (() => void) | null = null;
  private unclock: (() => void) | null = null;
  /** performance.now() of the previous scheduler tick (NaN: none yet). */
  private lastClockMs = Number.NaN;
  /** Recent stalls: excess pause beyond the window (s) and performance.now() (ms), a ring of {@link STALL_SLOTS}. */
  private readonly stallSize = new Float64Array(STALL_SLOTS);
  private readonly stallAt = new Float64Array(STALL_SLOTS).fill(-Infinity);
  private stallHead = 0;
  private stopped = false;

  constructor(readonly parts: WatchParts, private readonly onError: (e: unknown) => void) {
    this.roll = { beat: 0, energy: 0, style: new Float32Array(STYLES.length), activity: 0 };
  }

  /** Starts estimating from the (already started) video source. */
  start(): void {
    const p = this.parts;
    p.tracker.reset();
    p.pose2roll.reset();
    p.roll2score.reset();
    p.normalizer.reset();
    p.smoother?.reset();
    this.unsubscribe = p.source.onFrame(this.onFrame);
    this.unclock = p.synth.onTick(this.onClock);
  }

  /** Scheduler tick: hands the synth the notes that start within the window. */
  private readonly onClock = (now: number): void => {
    if (this.stopped) return;
    const p = this.parts;
    const nowMs = performance.now();
    const period = p.synth.updateInterval;
    const gap = Number.isNaN(this.lastClockMs) ? period : (nowMs - this.lastClockMs) / 1000;
    this.lastClockMs = nowMs;
    const window = p.synth.lookAhead + period;
    // A pause up to the window hands no note over late; longer ones are remembered.
    if (gap > window) {
      this.stallSize[this.stallHead] = Math.min(MAX_STALL_MARGIN, gap - window);
      this.stallAt[this.stallHead] = nowMs;
      this.stallHead = (this.stallHead + 1) % STALL_SLOTS;
    }
    let first = 0;
    let second = 0;
    for (let i = 0; i < STALL_SLOTS; i++) {
      if (nowMs - this.stallAt[i] > STALL_WINDOW_MS) continue;
      const v = this.stallSize[i];
      if (v > first) {
        second = first;
        first = v;
      } else if (v > second) second = v;
    }
    this.stallMargin = second;
    const events = p.roll2score.due(now, now + window + this.stallMargin);
    if (events.length === 0) return;
    for (let i = 0; i < events.length; i++) {
      const lead = events[i].time - now;
      if (lead < 0) this.lateNotes++;
      this.leadMs.add(Math.max(0, lead) * 1000);
    }
    this.notesScheduled += events.length;
    this.onNotes?.(events, now);
    p.synth.play(events);
  };

  /** True when frames arrive but nobody has been seen for {@link NO_PERSON_SECONDS}. */
  noPersonInView(nowMs: number): boolean {
    if (Number.isNaN(this.firstFrameMs) || this.stopped) return false;
    const since = Number.isNaN(this.lastPersonMs) ? this.firstFrameMs : this.lastPersonMs;
    return nowMs - since > NO_PERSON_SECONDS * 1000 && this.framesWithoutPerson > 0;
  }

  private readonly onFrame = (frame: VideoFrameInfo): void => {
    // BlazePose is slower than the camera: skip frames while one is estimated, and for a rest after it (EstimateGate).
    const t0 = performance.now();
    if (this.stopped || !this.gate.tryStart(t0)) return;
    if (Number.isNaN(this.firstFrameMs)) this.firstFrameMs = frame.timestampMs;
    const ts = frame.timestampMs;
    this.parts.tracker
      .estimate(frame.video, ts)
      .then((res) => {
        if (this.stopped) return;
        const t1 = performance.now();
        // The first frame at the camera's size sets up the detector's graph (seconds): keep it out of the average.
        if (this.framesWithPerson + this.framesWithoutPerson > 0) this.estimateMs.add(t1 - t0);
        if (!Number.isNaN(this.lastEstimateEnd)) this.poseRate.add(1000 / Math.max(1, t1 - this.lastEstimateEnd));
        this.lastEstimateEnd = t1;
        this.onPose(res === null ? null : res.world, ts);
      })
      .catch((e: unknown) => this.onError(e))
      .finally(() => this.gate.end(performance.now()));
  };

  private onPose(world: Float32Array | null, ts: number): void {
    const p = this.parts;
    this.resampler ??= p.makeResampler(ts);
    if (world) {
      p.mapTo23(world, this.raw);
      p.normalizer.normalize(this.raw, this.norm);
      p.smoother?.filter(this.norm, ts);
      this.pose.set(this.norm);
      this.havePose = true;
      this.lastPersonMs = ts;
      this.framesWithPerson++;
      this.resampler.push(this.norm, ts, this.onTick);
    } else {
      this.havePose = false;
      this.framesWithoutPerson++;
      this.resampler.push(null, ts, this.onTick);
    }
  }

  private readonly onTick = (values: Float32Array | null, _tick: number, tickTimeMs: number): void => {
    const p = this.parts;
    const t0 = performance.now();
    p.pose2roll.step(values, this.roll);
    this.rollMs.add(performance.now() - t0);
    this.ticks++;
    this.lastActivity = this.roll.activity;
    this.lastBeat = this.roll.beat;
    // The tick happened `lag` s ago (pose estimation latency, ticks arrive in bursts). Put it on the synth's clock
    // shifted by a steady latency that covers the lag, so beats land on time in the future instead of in bursts.
    const lag = Math.max(0, performance.now() - tickTimeMs) / 1000;
    this.latency = lag > this.latency ? lag : this.latency + (lag - this.latency) * LATENCY_DECAY;
    p.roll2score.observe(this.roll, p.synth.now() - lag + this.latency);
  };

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    this.unclock?.();
    this.parts.source.stop();
    this.parts.synth.releaseAll();
    this.havePose = false;
  }
}
