/**
 * Test page for the camera pose stage: runs the real pipeline (video-file source -> BlazePose tracker -> 33->23
 * mapping -> normalizer) in the browser and hands plain arrays back to tests/browser/pose-reference.test.ts.
 */
// Static import so Vite's dependency scan finds pose-detection before the page runs (a late discovery reloads the page).
import '@tensorflow-models/pose-detection';
import { createCameraSource, createVideoFileSource } from '../../../src/capture/camera';
import { createPoseTracker } from '../../../src/features/pose/tracker';
import { mapBlazePoseTo23 } from '../../../src/features/pose/mapping';
import { createPoseNormalizer } from '../../../src/features/pose/normalizer';
import { POSE_DIM } from '../../../src/features/skeleton';
import type { PoseModelType } from '../../../src/features/pose/types';

export interface VideoRunOptions {
  url: string;
  modelType: PoseModelType;
  /** Frames of the file to feed, at `seekOffsetSec + i / fileFps`. */
  fileFps: number;
  numFrames: number;
  seekOffsetSec: number;
  /** Timestamp step passed to the tracker, ms. */
  intervalMs: number;
  /** What BlazePose reads: the video element itself, or a canvas copy of the frame. */
  via: 'video' | 'canvas';
}

export interface VideoRunResult {
  width: number;
  height: number;
  /** Per frame: 99 image keypoint values or null. */
  keypoints: (number[] | null)[];
  world: (number[] | null)[];
  /** Per frame: 69 mapped (metres, our axes) values or null. */
  mapped: (number[] | null)[];
  /** Per frame: 69 normalized values or null. */
  normalized: (number[] | null)[];
  scores: (number | null)[];
  /** Wall time of each estimate call, ms. */
  estimateMs: number[];
  loadMs: number;
  /** Per frame: sum of a 64x64 downscaled grey copy (tells whether the decoded frames change). */
  checksums: number[];
}

async function runVideo(o: VideoRunOptions): Promise<VideoRunResult> {
  const src = createVideoFileSource({ url: o.url, loop: false });
  const tracker = createPoseTracker({ modelType: o.modelType });
  const normalizer = createPoseNormalizer();
  const t0 = performance.now();
  await tracker.load();
  const loadMs = performance.now() - t0;
  const pose23 = new Float32Array(POSE_DIM);
  const norm = new Float32Array(POSE_DIM);
  const r: VideoRunResult = { width: 0, height: 0, keypoints: [], world: [], mapped: [], normalized: [], scores: [], estimateMs: [], loadMs, checksums: [] };
  const canvas = document.createElement('canvas');
  const probe = document.createElement('canvas');
  probe.width = 64;
  probe.height = 64;
  const pctx = probe.getContext('2d', { willReadFrequently: true })!;
  try {
    for (let i = 0; i < o.numFrames; i++) {
      const f = await src.seekFrame(o.seekOffsetSec + i / o.fileFps);
      r.width = f.width;
      r.height = f.height;
      pctx.drawImage(f.video, 0, 0, 64, 64);
      const px = pctx.getImageData(0, 0, 64, 64).data;
      let sum = 0;
      for (let k = 0; k < px.length; k += 4) sum += px[k] + px[k + 1] + px[k + 2];
      r.checksums.push(sum);
      let input: HTMLVideoElement | HTMLCanvasElement = f.video;
      if (o.via === 'canvas') {
        canvas.width = f.width;
        canvas.height = f.height;
        canvas.getContext('2d')!.drawImage(f.video, 0, 0);
        input = canvas;
      }
      const s = performance.now();
      const p = await tracker.estimate(input, i * o.intervalMs);
      r.estimateMs.push(performance.now() - s);
      if (!p) {
        r.keypoints.push(null);
        r.world.push(null);
        r.mapped.push(null);
        r.normalized.push(null);
        r.scores.push(null);
        continue;
      }
      r.keypoints.push(Array.from(p.keypoints));
      r.world.push(Array.from(p.world));
      mapBlazePoseTo23(p.world, pose23);
      r.mapped.push(Array.from(pose23));
      r.normalized.push(Array.from(normalizer.normalize(pose23, norm)));
      r.scores.push(p.score);
    }
  } finally {
    src.stop();
    tracker.dispose();
    tracker.dispose(); // safe twice
  }
  return r;
}

/** Feeds `framesEach` frames of each plain colour to one tracker; returns the scores (null: no person) per colour. */
async function runBlank(o: { modelType: PoseModelType; framesEach: number; colors: string[]; width: number; height: number }): Promise<(number | null)[][]> {
  const tracker = createPoseTracker({ modelType: o.modelType });
  const canvas = document.createElement('canvas');
  canvas.width = o.width;
  canvas.height = o.height;
  const ctx = canvas.getContext('2d')!;
  const out: (number | null)[][] = [];
  let t = 0;
  try {
    for (const color of o.colors) {
      ctx.fillStyle = color;
      ctx.fillRect(0, 0, o.width, o.height);
      const scores: (number | null)[] = [];
      for (let i = 0; i < o.framesEach; i++) {
        const p = await tracker.estimate(canvas, (t += 40));
        scores.push(p ? p.score : null);
      }
      out.push(scores);
    }
  } finally {
    tracker.dispose();
  }
  return out;
}

/**
 * Starts the camera, collects `frames` frame timestamps and, with a model, tracks `trackFrames` live frames (each
 * estimate starts on the latest presented frame once the previous one is done). Errors come back as data.
 */
async function runCamera(
  frames: number,
  modelType: PoseModelType | null,
  trackFrames: number,
  deviceId = '',
): Promise<{ ok: boolean; reason?: string; message?: string; width?: number; height?: number; timestamps?: number[]; tracked?: (number | null)[] }> {
  const cam = createCameraSource({ width: 640, height: 480, deviceId });
  try {
    await cam.start();
  } catch (e) {
    const err = e as { reason?: string; message?: string };
    return { ok: false, reason: err.reason, message: err.message };
  }
  const tracker = modelType ? createPoseTracker({ modelType }) : null;
  if (tracker) await tracker.load();
  const timestamps: number[] = [];
  const tracked: (number | null)[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let busy = false;
      const off = cam.onFrame((f) => {
        if (timestamps.length < frames) timestamps.push(f.timestampMs);
        if (tracker && !busy && tracked.length < trackFrames) {
          busy = true;
          tracker.estimate(f.video, f.timestampMs).then((p) => {
            tracked.push(p ? p.score : null);
            busy = false;
          }, reject);
        }
        if (timestamps.length >= frames && tracked.length >= trackFrames) {
          off();
          resolve();
        }
      });
    });
  } finally {
    tracker?.dispose();
  }
  const r = { ok: true, width: cam.width, height: cam.height, timestamps, tracked };
  cam.stop();
  cam.stop(); // safe twice
  return r;
}

declare global {
  interface Window {
    duetPose: { runVideo: typeof runVideo; runBlank: typeof runBlank; runCamera: typeof runCamera; ready: boolean };
  }
}
window.duetPose = { runVideo, runBlank, runCamera, ready: true };
