/**
 * Test page for the live hands stage: runs the real hand tracker (MediaPipe hands on the mediapipe runtime, served
 * locally) on video-file frames or plain colours in the browser and hands plain arrays back to
 * tests/browser/hands-reference.test.ts.
 */
// Static import so Vite's dependency scan finds hand-pose-detection before the page runs (a late discovery reloads it).
import '@tensorflow-models/hand-pose-detection';
import { createCameraSource, createVideoFileSource } from '../../../src/capture/camera';
import { createHandTracker, timeHandEstimate } from '../../../src/features/hands/tracker';
import type { HandModelType } from '../../../src/features/hands/types';

export interface HandsVideoRunOptions {
  url: string;
  modelType: HandModelType;
  /** Frames of the file to feed, at `seekOffsetSec + (firstFrame + i * step) / fileFps`. */
  fileFps: number;
  firstFrame: number;
  step: number;
  numFrames: number;
  seekOffsetSec: number;
  /** Feed the frame flipped left-right (drawn into a canvas), as a selfie view would be. */
  mirror: boolean;
  /** Tell the tracker its frames are mirrored. */
  trackerMirrored: boolean;
  /** What the tracker reads: the video element itself, or a canvas copy of the frame (always a canvas when mirrored). */
  via: 'video' | 'canvas';
}

export interface HandsVideoRunResult {
  width: number;
  height: number;
  /** Per fed frame: the hands found, each with the performer's side, handedness score and 42 keypoint values (px). */
  frames: { side: string; score: number; keypoints: number[] }[][];
  /** Wall time of each estimate, ms (timeHandEstimate). */
  estimateMs: number[];
  loadMs: number;
}

async function runVideo(o: HandsVideoRunOptions): Promise<HandsVideoRunResult> {
  const src = createVideoFileSource({ url: o.url, loop: false });
  const tracker = createHandTracker({ modelType: o.modelType, mirrored: o.trackerMirrored });
  const t0 = performance.now();
  await tracker.load();
  const loadMs = performance.now() - t0;
  const r: HandsVideoRunResult = { width: 0, height: 0, frames: [], estimateMs: [], loadMs };
  const canvas = document.createElement('canvas');
  try {
    for (let i = 0; i < o.numFrames; i++) {
      const f = await src.seekFrame(o.seekOffsetSec + (o.firstFrame + i * o.step) / o.fileFps);
      r.width = f.width;
      r.height = f.height;
      let input: HTMLVideoElement | HTMLCanvasElement = f.video;
      if (o.mirror || o.via === 'canvas') {
        if (canvas.width !== f.width || canvas.height !== f.height) {
          canvas.width = f.width;
          canvas.height = f.height;
        }
        const ctx = canvas.getContext('2d')!;
        ctx.setTransform(o.mirror ? -1 : 1, 0, 0, 1, o.mirror ? f.width : 0, 0);
        ctx.drawImage(f.video, 0, 0);
        input = canvas;
      }
      const t = await timeHandEstimate(tracker, input, f.timestampMs);
      r.estimateMs.push(t.ms);
      const hands: { side: string; score: number; keypoints: number[] }[] = [];
      const frame = t.frame; // reused by the tracker: copied right away
      if (frame) for (let k = 0; k < frame.count; k++) hands.push({ side: frame.hands[k].side, score: frame.hands[k].handednessScore, keypoints: Array.from(frame.hands[k].keypoints) });
      r.frames.push(hands);
    }
  } finally {
    src.stop();
    tracker.dispose();
    tracker.dispose(); // safe twice
  }
  return r;
}

/** Feeds `framesEach` frames of each plain colour to one tracker; returns the number of hands per frame per colour. */
async function runBlank(o: { modelType: HandModelType; framesEach: number; colors: string[]; width: number; height: number }): Promise<number[][]> {
  const tracker = createHandTracker({ modelType: o.modelType });
  const canvas = document.createElement('canvas');
  canvas.width = o.width;
  canvas.height = o.height;
  const ctx = canvas.getContext('2d')!;
  const out: number[][] = [];
  let t = 0;
  try {
    for (const color of o.colors) {
      ctx.fillStyle = color;
      ctx.fillRect(0, 0, o.width, o.height);
      const counts: number[] = [];
      for (let i = 0; i < o.framesEach; i++) {
        const f = await tracker.estimate(canvas, (t += 40));
        counts.push(f ? f.count : -1);
      }
      out.push(counts);
    }
  } finally {
    tracker.dispose();
  }
  return out;
}

/** Error paths: bad options and a solutionPath the server does not have, as messages. */
async function runErrors(): Promise<{ badOption: string; missingFiles: string; zeroSize: string }> {
  let badOption = '';
  try {
    createHandTracker({ maxHands: 3 });
  } catch (e) {
    badOption = (e as Error).message;
  }
  let missingFiles = '';
  const broken = createHandTracker({ modelType: 'lite', solutionPath: '/mediapipe/no-such-folder' });
  try {
    await Promise.race([broken.load(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 60 s')), 60_000))]);
    missingFiles = 'loaded';
  } catch (e) {
    missingFiles = (e as Error).message;
  } finally {
    broken.dispose();
  }
  // A video element with nothing decoded yet: null, not an error.
  const t = createHandTracker({ modelType: 'lite' });
  let zeroSize = '';
  try {
    const f = await t.estimate(document.createElement('video'), 0);
    zeroSize = f === null ? 'null' : `frame with ${f.count} hands`;
  } catch (e) {
    zeroSize = (e as Error).message;
  } finally {
    t.dispose();
  }
  return { badOption, missingFiles, zeroSize };
}

/**
 * Starts the (fake) camera and tracks `trackFrames` live frames: each estimate starts on the latest presented frame once
 * the previous one is done, as the app does. Returns the hands found per tracked frame; errors come back as data.
 */
async function runCamera(trackFrames: number, modelType: HandModelType): Promise<{ ok: boolean; reason?: string; message?: string; width?: number; height?: number; counts?: number[]; sides?: string[][]; timestamps?: number[] }> {
  const cam = createCameraSource({ width: 640, height: 480 });
  try {
    await cam.start();
  } catch (e) {
    const err = e as { reason?: string; message?: string };
    return { ok: false, reason: err.reason, message: err.message };
  }
  const tracker = createHandTracker({ modelType });
  await tracker.load();
  const counts: number[] = [];
  const sides: string[][] = [];
  const timestamps: number[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let busy = false;
      const off = cam.onFrame((f) => {
        if (busy || counts.length >= trackFrames) return;
        busy = true;
        tracker.estimate(f.video, f.timestampMs).then((h) => {
          counts.push(h ? h.count : -1);
          sides.push(h ? h.hands.slice(0, h.count).map((x) => x.side) : []);
          timestamps.push(f.timestampMs);
          busy = false;
          if (counts.length >= trackFrames) {
            off();
            resolve();
          }
        }, reject);
      });
    });
  } finally {
    tracker.dispose();
  }
  const r = { ok: true, width: cam.width, height: cam.height, counts, sides, timestamps };
  cam.stop();
  return r;
}

declare global {
  interface Window {
    duetHands: { runVideo: typeof runVideo; runBlank: typeof runBlank; runErrors: typeof runErrors; runCamera: typeof runCamera; ready: boolean };
  }
}
window.duetHands = { runVideo, runBlank, runErrors, runCamera, ready: true };
