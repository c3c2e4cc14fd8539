/**
 * Browser half of `npm run bench`: every per-stage figure measured in Chromium with the app's own modules, driven by
 * bench/run.ts through `window.__bench`. Stages are timed one call at a time with performance.now().
 */
import '@tensorflow-models/pose-detection';
import '@tensorflow-models/hand-pose-detection';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createFeatureExtractor } from '../src/features/extractor';
import { createPitchExtractor } from '../src/features/pitch';
import { DEFAULT_FEATURE_SPEC } from '../src/features/spec';
import { POSE_DIM } from '../src/features/skeleton';
import { createPoseTracker } from '../src/features/pose/tracker';
import { createHandTracker } from '../src/features/hands/tracker';
import { createFrameRateResampler } from '../src/features/pose/resampler';
import type { BlazePoseFrame, PoseNormalizer, PoseTracker } from '../src/features/pose/types';
import type { VideoFrameInfo, VideoSource } from '../src/capture/video-types';
import { WatchSession, type WatchParts } from '../src/app/watch';
import { createAudio2Body } from '../src/models/audio2body/model';
import { createPose2Roll, emptyRoll } from '../src/models/body2music/pose2roll';
import { PIANO_FEATURE_DIM, PIANO_PITCH_DIM, createAudio2BodyPiano } from '../src/models/audio2body-piano/model';
import { createPianoPose2Roll, emptyPianoRollFrame } from '../src/models/body2music-piano/pose2roll';
import { Roll2Midi } from '../src/models/body2music-piano/roll2midi';
import { PIANIST_DIM } from '../src/features/piano/layout';
import { pianistRestPose } from '../src/render/pianist-rest';
import { createRoll2Score } from '../src/models/body2music/roll2score';
import { loadLayersModel } from '../src/models/io';
import { createSceneView } from '../src/render/scene';
import { createSynth } from '../src/synth/synth';
import { benchSignal } from './signal';
import { summarize, type StageStats } from './stats';

const FPS = DEFAULT_FEATURE_SPEC.fps;
const MIC_RATE = 48000;
const HOP = MIC_RATE / FPS;

interface MemoryResult {
  tensor_growth: number;
  heap_growth_mb: number;
  frames: number;
}

declare global {
  interface Window {
    __bench: {
      run(name: string, arg?: unknown): Promise<unknown>;
      heapMb(): number;
    };
    gc?: () => void;
  }
}

function time(n: number, warmup: number, fn: (i: number) => void): StageStats {
  const t: number[] = [];
  for (let i = 0; i < n + warmup; i++) {
    const t0 = performance.now();
    fn(i);
    const dt = performance.now() - t0;
    if (i >= warmup) t.push(dt);
  }
  return summarize(t);
}

async function timeAsync(n: number, warmup: number, fn: (i: number) => Promise<void>): Promise<StageStats> {
  const t: number[] = [];
  for (let i = 0; i < n + warmup; i++) {
    const t0 = performance.now();
    await fn(i);
    const dt = performance.now() - t0;
    if (i >= warmup) t.push(dt);
  }
  return summarize(t);
}

/** Feature frames (raw, 41 per frame) of the bench signal, computed once. */
let frames: Float32Array | null = null;
function featureFrames(n: number): Float32Array {
  if (frames && frames.length >= n * 41) return frames;
  const x = benchSignal(n / FPS + 1, MIC_RATE);
  const ex = createFeatureExtractor({ inputSampleRate: MIC_RATE });
  const out = new Float32Array((n + FPS + 2) * ex.dim);
  ex.push(x, (f, k) => {
    if ((k + 1) * ex.dim <= out.length) out.set(f, k * ex.dim);
  });
  frames = out;
  return out;
}

/** Poses (69 per frame) the shipped audio2body model makes from the bench signal: realistic motion for other stages. */
let poses: Float32Array | null = null;
async function benchPoses(n: number): Promise<Float32Array> {
  if (poses) return poses;
  const m = createAudio2Body('/models/audio2body-dance');
  await m.load();
  poses = m.predictSequence(featureFrames(n), n);
  m.dispose();
  return poses;
}

async function useBackend(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend ${name} unavailable`);
  await tf.ready();
}

const stages: Record<string, (arg?: unknown) => Promise<unknown>> = {
  async features_hop() {
    const x = benchSignal(3300 / FPS, MIC_RATE);
    const ex = createFeatureExtractor({ inputSampleRate: MIC_RATE });
    let sink = 0;
    const onFrame = (f: Float32Array) => {
      sink += f[0];
    };
    const r = time(3000, 200, (i) => ex.push(x.subarray(i * HOP, (i + 1) * HOP), onFrame));
    if (!Number.isFinite(sink)) throw new Error('non-finite features');
    return r;
  },

  /** One hop through the pitch-band extractor (src/features/pitch.ts), which Pianist Listen runs beside the features. */
  async pitch_hop() {
    const x = benchSignal(3300 / FPS, MIC_RATE);
    const ex = createPitchExtractor({ inputSampleRate: MIC_RATE });
    let sink = 0;
    const onFrame = (f: Float32Array) => {
      sink += f[0];
    };
    const r = time(3000, 200, (i) => ex.push(x.subarray(i * HOP, (i + 1) * HOP), onFrame));
    if (!Number.isFinite(sink)) throw new Error('non-finite pitch bands');
    return r;
  },

  async audio2body_step() {
    await useBackend('wasm');
    const m = createAudio2Body('/models/audio2body-dance');
    await m.load();
    const f = featureFrames(2000);
    const out = new Float32Array(POSE_DIM);
    const dim = 41;
    const step = time(5000, 500, (i) => m.step(f.subarray((i % 2000) * dim, ((i % 2000) + 1) * dim), out));
    // tfjs LayersModel.predict on a one-step sequence each frame (stateless: the naive way to run a model live).
    const net = await loadLayersModel('/models/audio2body-dance');
    const predict: Record<string, StageStats> = {};
    for (const backend of ['wasm', 'cpu', 'webgl']) {
      await useBackend(backend);
      const n = backend === 'webgl' ? 100 : 300;
      predict[backend] = time(n, 20, (i) => {
        const y = tf.tidy(() => net.predict(tf.tensor3d(f.subarray((i % 2000) * dim, ((i % 2000) + 1) * dim), [1, 1, dim])) as tf.Tensor);
        y.dataSync();
        y.dispose();
      });
    }
    await useBackend('wasm');
    const lookahead = m.config.lookahead;
    net.dispose();
    m.dispose();
    return { step, predict, lookahead };
  },

  /**
   * The pianist models, one step at a time: audio2body-piano (41 features + 88 pitch bands -> 49 keypoints) on the
   * bench signal's features with moving pitch bands, and body2music-piano (Pose2Roll step + Roll2Midi update) on the
   * rest pose with fingers moving up and down 1.5 cm at 3 Hz (so that the network and Roll2Midi do real work).
   */
  async piano_steps() {
    await useBackend('wasm');
    const a = createAudio2BodyPiano('/models/audio2body-piano');
    await a.load();
    const f = featureFrames(2000);
    const pitch = new Float32Array(2000 * PIANO_PITCH_DIM);
    for (let i = 0; i < 2000; i++) for (let b = 0; b < PIANO_PITCH_DIM; b++) pitch[i * PIANO_PITCH_DIM + b] = Math.max(0, Math.sin(i / 7 + b / 5)) * 2;
    const out = new Float32Array(PIANIST_DIM);
    const audio2body_piano_step = time(5000, 500, (i) => {
      const k = i % 2000;
      a.step(f.subarray(k * PIANO_FEATURE_DIM, (k + 1) * PIANO_FEATURE_DIM), pitch.subarray(k * PIANO_PITCH_DIM, (k + 1) * PIANO_PITCH_DIM), out);
    });
    const lookahead = a.config.lookahead;
    a.dispose();
    const b = createPianoPose2Roll('/models/body2music-piano');
    await b.load();
    const rest = pianistRestPose();
    const views = new Float32Array(100 * PIANIST_DIM);
    for (let k = 0; k < 100; k++) {
      for (let j = 0; j < PIANIST_DIM; j++) views[k * PIANIST_DIM + j] = rest[j];
      for (let j = 1; j < PIANIST_DIM; j += 3) views[k * PIANIST_DIM + j] += 1.5 * Math.sin((2 * Math.PI * 3 * k) / 25 + j);
    }
    const roll = emptyPianoRollFrame();
    const r2m = new Roll2Midi({ fps: b.config.fps, ...b.config.roll2midi });
    const events = { started: [], ended: [] };
    let notes = 0;
    const body2music_piano_step = time(5000, 500, (i) => {
      b.step(views.subarray((i % 100) * PIANIST_DIM, ((i % 100) + 1) * PIANIST_DIM), roll);
      notes += r2m.update(roll, 0, events).started.length;
    });
    b.dispose();
    return { audio2body_piano_step, body2music_piano_step, lookahead, notes };
  },

  async render_frame() {
    const canvas = document.getElementById('view') as HTMLCanvasElement;
    const view = createSceneView({ canvas, maxPixelRatio: 1, software: false });
    view.resize();
    const fig = view.addFigure({ color: 0x4fc3f7, x: 0 });
    const p = await benchPoses(2000);
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext;
    const px = new Uint8Array(4);
    const r = time(300, 30, (i) => {
      fig.setPose(p.subarray((i % 2000) * POSE_DIM, ((i % 2000) + 1) * POSE_DIM));
      view.render();
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px); // waits for the frame to be drawn
    });
    view.dispose();
    return { ...r, width: canvas.width, height: canvas.height, renderer: gl.getParameter(gl.RENDERER) as string };
  },

  async body2music() {
    await useBackend('wasm');
    const m = createPose2Roll('/models/body2music-dance');
    await m.load();
    const p = await benchPoses(2000);
    const roll = emptyRoll();
    const step = time(3000, 200, (i) => m.step(p.subarray((i % 2000) * POSE_DIM, ((i % 2000) + 1) * POSE_DIM), roll));
    // Rolls of the sequence, for roll_to_notes.
    const rolls = m.predictSequence(p, 2000);
    const score = createRoll2Score();
    let notes = 0;
    const toNotes = time(10000, 500, (i) => {
      notes += score.update(rolls[i % 2000], (i + 1) / FPS).length;
    });
    m.dispose();
    return { step, roll_to_notes: toNotes, notes };
  },

  /**
   * The app's own Watch code (WatchSession) on stand-ins for the camera and BlazePose: a 30 fps timer delivers frames,
   * the "tracker" returns the audio2body poses of the bench signal at once, then the real 25 fps resampler, Pose2Roll,
   * Roll2Score tracker and the synth's scheduler clock decide notes just in time, as in the app. The lead of each note
   * is its start on the AudioContext minus the context time at which it was decided (0 when handed over late).
   * `arg.blockMs`: each stand-in estimate first holds the main thread for that long, as the mediapipe runtime does
   * while BlazePose runs (worst case: the whole estimate on the main thread); the next frame callback starts the next.
   */
  async schedule_lead(arg) {
    const { seconds, blockMs } = (arg ?? {}) as { seconds?: number; blockMs?: number };
    let estimates = 0;
    await useBackend('wasm');
    const synth = createSynth();
    await synth.load();
    const m = createPose2Roll('/models/body2music-dance');
    await m.load();
    const p = await benchPoses(2000);
    const styleBpm = (m.config as { styleBpm?: readonly number[] }).styleBpm;
    const score = createRoll2Score(styleBpm ? { fps: m.config.fps, styleBpm: [...styleBpm] } : { fps: m.config.fps });
    const video = document.createElement('video');
    let frameCb: ((f: VideoFrameInfo) => void) | null = null;
    let frameIndex = 0;
    const origin = performance.now();
    const timer = setInterval(() => {
      const ts = performance.now();
      frameCb?.({ video, timestampMs: ts, mediaTimeMs: ts - origin, frameIndex: frameIndex++, width: 640, height: 480 });
    }, 1000 / 30);
    const source: VideoSource = { video, width: 640, height: 480, start: async () => {}, onFrame: (cb) => ((frameCb = cb), () => (frameCb = null)), stop: () => clearInterval(timer) };
    const world = new Float32Array(POSE_DIM);
    const tracker = {
      options: {} as PoseTracker['options'],
      load: async () => {},
      reset: () => {},
      dispose: () => {},
      estimate: async (_s: unknown, ts: number) => {
        if (blockMs) {
          const until = performance.now() + blockMs;
          while (performance.now() < until) {
            // busy: the main thread is held as during a BlazePose estimate
          }
        }
        estimates++;
        const k = Math.floor((ts - origin) / 40) % 2000;
        world.set(p.subarray(k * POSE_DIM, (k + 1) * POSE_DIM));
        return { world } as unknown as BlazePoseFrame;
      },
    } satisfies PoseTracker;
    const parts: WatchParts = {
      source,
      tracker,
      mapTo23: (w, out) => (out.set(w), out),
      normalizer: { options: {} as PoseNormalizer['options'], scale: 1, normalize: (x, out) => (out.set(x), out), reset: () => {} },
      smoother: null,
      makeResampler: (originMs) => createFrameRateResampler({ dim: POSE_DIM, fps: m.config.fps, originMs, maxGapMs: 4000 }),
      pose2roll: m,
      roll2score: score,
      synth,
    };
    let error: unknown = null;
    const session = new WatchSession(parts, (e) => (error = e));
    const leads: number[] = [];
    let late = 0;
    session.onNotes = (events, now) => {
      for (const e of events) {
        if (e.time < now) late++;
        leads.push(Math.max(0, e.time - now) * 1000);
      }
    };
    // The scheduler clock as the main thread sees it: interval between ticks, ms.
    const gaps: number[] = [];
    let lastTick = Number.NaN;
    const untick = synth.onTick(() => {
      const t = performance.now();
      if (!Number.isNaN(lastTick)) gaps.push(t - lastTick);
      lastTick = t;
    });
    let maxMargin = 0;
    const marginProbe = setInterval(() => (maxMargin = Math.max(maxMargin, session.stallMargin)), 50);
    session.start();
    await new Promise((r) => setTimeout(r, (seconds ?? 20) * 1000));
    session.stop();
    clearInterval(marginProbe);
    untick();
    m.dispose();
    if (error) throw error;
    const r = {
      lead: leads.length ? summarize(leads) : null,
      notes: leads.length,
      late_notes: late,
      late_beats: score.lateBeats,
      skipped_beats: score.skippedBeats,
      max_stall_margin_ms: Math.round(maxMargin * 10000) / 10,
      tick_interval: gaps.length ? summarize(gaps) : null,
      block_ms: blockMs ?? 0,
      pose_estimates: estimates,
      window_ms: (synth.lookAhead + synth.updateInterval) * 1000,
      lookAhead_ms: synth.lookAhead * 1000,
      updateInterval_ms: synth.updateInterval * 1000,
      baseLatency_ms: synth.baseLatency * 1000,
      outputLatency_ms: synth.outputLatency * 1000,
      sampleRate: (await import('tone')).getContext().sampleRate,
    };
    synth.dispose();
    return r;
  },

  /** The AudioContext's base and output latency for each latencyHint (a fresh context each, running 0.3 s), ms. */
  async context_latency() {
    const out: { latencyHint: string | number; baseLatency_ms: number; outputLatency_ms: number; sampleRate: number }[] = [];
    for (const latencyHint of ['interactive', 'balanced', 'playback', 0] as const) {
      const c = new AudioContext({ latencyHint });
      await c.resume();
      await new Promise((r) => setTimeout(r, 300));
      out.push({ latencyHint, baseLatency_ms: c.baseLatency * 1000, outputLatency_ms: c.outputLatency * 1000, sampleRate: c.sampleRate });
      await c.close();
    }
    return out;
  },

  async pose(arg) {
    const { modelType, images } = arg as { modelType: 'lite' | 'full'; images: string[] };
    const tracker = createPoseTracker({ modelType });
    await tracker.load();
    const bitmaps: ImageBitmap[] = [];
    for (const url of images) bitmaps.push(await createImageBitmap(await (await fetch(url)).blob()));
    let found = 0;
    let ts = 0;
    const r = await timeAsync(Math.min(40, bitmaps.length * 2), 3, async (i) => {
      ts += 33.333;
      if (await tracker.estimate(bitmaps[i % bitmaps.length], ts)) found++;
    });
    tracker.dispose();
    return { ...r, found };
  },

  /**
   * MediaPipe hands (mediapipe runtime, local solutionPath) on frames of asl_hand.25fps.mp4, drawn one at a time into a
   * canvas (the tracker reads a video element or a canvas, as in the app's Pianist Watch).
   */
  async hands(arg) {
    const { modelType, images } = arg as { modelType: 'lite' | 'full'; images: string[] };
    const tracker = createHandTracker({ modelType });
    await tracker.load();
    const bitmaps: ImageBitmap[] = [];
    for (const url of images) bitmaps.push(await createImageBitmap(await (await fetch(url)).blob()));
    const canvas = document.createElement('canvas');
    canvas.width = bitmaps[0].width;
    canvas.height = bitmaps[0].height;
    const ctx = canvas.getContext('2d')!;
    let found = 0;
    let ts = 0;
    const r = await timeAsync(Math.min(40, bitmaps.length * 2), 3, async (i) => {
      ts += 40;
      ctx.drawImage(bitmaps[i % bitmaps.length], 0, 0);
      const f = await tracker.estimate(canvas, ts);
      if (f && f.count > 0) found++;
    });
    tracker.dispose();
    return { ...r, found, modelType, width: canvas.width, height: canvas.height };
  },

  /** 10,000 frames of the Listen loop: one hop of audio -> features -> audio2body step. */
  async memory_listen() {
    await useBackend('wasm');
    const m = createAudio2Body('/models/audio2body-dance');
    await m.load();
    const x = benchSignal(60, MIC_RATE);
    const ex = createFeatureExtractor({ inputSampleRate: MIC_RATE });
    const pose = new Float32Array(POSE_DIM);
    const onFrame = (f: Float32Array) => {
      m.step(f, pose);
    };
    const hops = x.length / HOP;
    const loop = (i: number) => ex.push(x.subarray((i % hops) * HOP, ((i % hops) + 1) * HOP), onFrame);
    const r = measureMemory(10000, loop);
    m.dispose();
    return r;
  },

  /** 10,000 frames of the Watch loop after pose: Pose2Roll step -> Roll2Score. */
  async memory_watch() {
    await useBackend('wasm');
    const m = createPose2Roll('/models/body2music-dance');
    await m.load();
    const p = await benchPoses(2000);
    const roll = emptyRoll();
    const score = createRoll2Score();
    let notes = 0;
    const loop = (i: number) => {
      m.step(p.subarray((i % 2000) * POSE_DIM, ((i % 2000) + 1) * POSE_DIM), roll);
      notes += score.update(roll, i / FPS).length;
    };
    const r = measureMemory(10000, loop);
    m.dispose();
    return { ...r, notes };
  },

  /** 10,000 frames of the Pianist Listen loop: one hop of audio -> features + pitch bands -> audio2body-piano step. */
  async memory_pianist_listen() {
    await useBackend('wasm');
    const m = createAudio2BodyPiano('/models/audio2body-piano');
    await m.load();
    const x = benchSignal(60, MIC_RATE);
    const ex = createFeatureExtractor({ inputSampleRate: MIC_RATE });
    const px = createPitchExtractor({ inputSampleRate: MIC_RATE });
    const feat = new Float32Array(PIANO_FEATURE_DIM);
    const out = new Float32Array(PIANIST_DIM);
    const onFeatures = (f: Float32Array) => {
      feat.set(f);
    };
    const onPitch = (b: Float32Array) => {
      m.step(feat, b, out);
    };
    const hops = x.length / HOP;
    const loop = (i: number) => {
      const hop = x.subarray((i % hops) * HOP, ((i % hops) + 1) * HOP);
      ex.push(hop, onFeatures);
      px.push(hop, onPitch);
    };
    const r = measureMemory(10000, loop);
    m.dispose();
    return r;
  },

  /** 10,000 frames of the Pianist Watch loop after the hand tracker: Pose2Roll step -> Roll2Midi. */
  async memory_pianist_watch() {
    await useBackend('wasm');
    const b = createPianoPose2Roll('/models/body2music-piano');
    await b.load();
    const rest = pianistRestPose();
    const views = new Float32Array(100 * PIANIST_DIM);
    for (let k = 0; k < 100; k++) {
      for (let j = 0; j < PIANIST_DIM; j++) views[k * PIANIST_DIM + j] = rest[j];
      for (let j = 1; j < PIANIST_DIM; j += 3) views[k * PIANIST_DIM + j] += 1.5 * Math.sin((2 * Math.PI * 3 * k) / 25 + j);
    }
    const roll = emptyPianoRollFrame();
    const r2m = new Roll2Midi({ fps: b.config.fps, ...b.config.roll2midi });
    const events = { started: [], ended: [] };
    let notes = 0;
    const loop = (i: number) => {
      b.step(views.subarray((i % 100) * PIANIST_DIM, ((i % 100) + 1) * PIANIST_DIM), roll);
      notes += r2m.update(roll, 0, events).started.length;
    };
    const r = measureMemory(10000, loop);
    b.dispose();
    return { ...r, notes };
  },

  /** 10,000 frames of the render loop: set the pose, draw the scene. */
  async memory_render() {
    const canvas = document.getElementById('view') as HTMLCanvasElement;
    const view = createSceneView({ canvas, maxPixelRatio: 1, software: false });
    view.resize();
    const fig = view.addFigure({ color: 0x4fc3f7, x: 0 });
    const p = await benchPoses(2000);
    const loop = (i: number) => {
      fig.setPose(p.subarray((i % 2000) * POSE_DIM, ((i % 2000) + 1) * POSE_DIM));
      view.render();
    };
    const r = measureMemory(10000, loop);
    view.dispose();
    return r;
  },
};

function heapMb(): number {
  window.gc?.();
  window.gc?.();
  const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
  return mem ? mem.usedJSHeapSize / 2 ** 20 : NaN;
}

/** Runs `frames` iterations after a warm-up; reports tensor count and JS heap (after forced GC) growth. */
function measureMemory(frames: number, loop: (i: number) => void): MemoryResult {
  for (let i = 0; i < 500; i++) loop(i);
  const tensors0 = tf.memory().numTensors;
  const heap0 = heapMb();
  for (let i = 0; i < frames; i++) loop(i);
  const heap1 = heapMb();
  return { tensor_growth: tf.memory().numTensors - tensors0, heap_growth_mb: Math.round((heap1 - heap0) * 1000) / 1000, frames };
}

setWasmPaths('/tfjs-wasm/');
window.__bench = {
  async run(name, arg) {
    const fn = stages[name];
    if (!fn) throw new Error(`unknown bench stage ${name} (valid: ${Object.keys(stages).join(', ')})`);
    if (tf.getBackend() !== 'wasm') await useBackend('wasm');
    return fn(arg);
  },
  heapMb,
};
document.title = crossOriginIsolated ? 'Duet bench ready' : 'Duet bench ready (not isolated: 0.1 ms timer)';
