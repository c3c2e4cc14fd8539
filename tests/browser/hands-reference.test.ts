/**
 * Camera -> hand landmarks, in Chromium with the real MediaPipe hands on hand-pose-detection's mediapipe runtime,
 * served locally (the camera half of issue 3's browser acceptance test).
 *
 * - asl_hand.25fps.mp4 (620x1080, 25 fps, 325 frames, one hand), full model, every 5th frame fed in order (65 frames,
 *   like pose_squats in pose-reference.test.ts; every frame costs 325 estimates of ~0.4 s on SwiftShader, and many times
 *   that on a busy machine): a hand in every frame, and the mean 2D landmark error against asl_hand.full.json within
 *   MEAN_ERROR_BOUND_PX (see there for the measurement it comes from). Lite on every 13th frame, bounded more loosely.
 * - handedness: the clip shows a hand whose palm faces the camera with the thumb toward the image's right, i.e. a right
 *   hand seen un-mirrored (palm checked by eye on frames 0 and 160; the chirality of the reference landmarks asserted
 *   below is the same in every frame). Fed as is,
 *   the tracker must call it the performer's right hand; flipped left-right (a selfie view) it must call it the left hand,
 *   and right again when told the frames are mirrored.
 * - the clip as the (fake) camera: live frames tracked as the app does find the performer's right hand.
 * - plain black, grey and white frames: no hand.
 * - readable errors: a bad option, a solutionPath the server does not have; a video with nothing decoded gives null.
 * - no request leaves the machine.
 *
 * Reads ../shared/data/video; the clip is remuxed (no re-encoding) into tests/.artifacts so Vite serves it with range
 * requests (seeking).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchBrowser, offMachineRequests, openPage, SHARED_DATA, startServer, toFakeDeviceFile } from './harness';
import type { HandsVideoRunOptions, HandsVideoRunResult } from './pages/hands-page';

const VIDEO = join(SHARED_DATA, 'video');
const PAGE = '/tests/browser/pages/hands.html';
const CLIP = 'asl_hand.25fps.mp4';
const CLIP_FRAMES = 325;
/** Frames fed: every FULL_STEP-th frame of the clip with the full model, every LITE_STEP-th with lite. */
const FULL_STEP = 5;
const LITE_STEP = 13;
/**
 * Bound on the mean 2D landmark error (px, Euclidean, over the fed frames and 21 landmarks) of the full model against
 * asl_hand.full.json. Measured on the dev machine (Chromium, SwiftShader; this test, 2026-12-03): 2.75 px mean, 2.14 px
 * median frame, 17.1 px worst frame (170), a hand in 65/65 frames. (Fed every frame, the first 20 frames gave 1.36 px:
 * skipping frames costs mediapipe's tracking some accuracy.) The bound is about 2x the measurement, so a pipeline
 * regression (a wrong scale, a frame off, mirrored coordinates: tens of px) fails while SwiftShader noise does not.
 * The hand is about 300 px tall in the 620x1080 frame.
 */
const MEAN_ERROR_BOUND_PX = 6;
/** The same for lite (a smaller landmark model than the reference's): measured 7.26 px (25/25 frames); about 2x. */
const LITE_MEAN_ERROR_BOUND_PX = 15;
/** A long-running estimate on a busy machine must not fail the test by time alone. */
const SLOW_TIMEOUT_MS = 1_800_000;

/** Remuxes a shared video into tests/.artifacts (same bitstream) so Vite serves it with range requests (seeking). */
function remux(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  const out = join(ARTIFACTS, name);
  if (!existsSync(out)) execFileSync('ffmpeg', ['-y', '-loglevel', 'error', '-i', join(VIDEO, name), '-c', 'copy', '-an', out]);
  return `/tests/.artifacts/${name}`;
}

/** Waits for the page API; if Vite reloads the page (late dependency optimization), waits again. */
async function pageReady(page: Page): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await page.waitForFunction(() => window.duetHands?.ready === true, null, { timeout: 120_000 });
      await page.waitForLoadState('networkidle');
      if (await page.evaluate(() => window.duetHands?.ready === true)) return;
    } catch (e) {
      if (attempt >= 2) throw e;
    }
  }
}

/** Mean Euclidean distance (px) between 42 keypoint values and 21 reference [x, y, z] landmarks. */
function meanDistance(k: readonly number[], ref: readonly number[][], width: number, mirrored: boolean): number {
  let s = 0;
  for (let j = 0; j < 21; j++) {
    const rx = mirrored ? width - ref[j][0] : ref[j][0];
    s += Math.hypot(k[j * 2] - rx, k[j * 2 + 1] - ref[j][1]);
  }
  return s / 21;
}

interface ClipReport {
  frames: number;
  withHand: number;
  twoHands: number;
  meanErrPx: number;
  medianFrameErrPx: number;
  maxFrameErrPx: number;
  worstFrame: number;
  sides: Record<string, number>;
  estimateMsMedian: number;
  loadMs: number;
}

/** Compares a run with the reference: per frame, the detected hand nearest the reference (frames without one excluded). */
function report(r: HandsVideoRunResult, ref: number[][][], o: HandsVideoRunOptions): ClipReport {
  const perFrame: number[] = [];
  const sides: Record<string, number> = {};
  let withHand = 0;
  let twoHands = 0;
  let worstFrame = -1;
  let worst = -1;
  r.frames.forEach((hands, i) => {
    if (hands.length === 0) return;
    withHand++;
    if (hands.length > 1) twoHands++;
    const f = o.firstFrame + i * o.step;
    let best = Infinity;
    let side = '';
    for (const h of hands) {
      const d = meanDistance(h.keypoints, ref[f], r.width, o.mirror);
      if (d < best) {
        best = d;
        side = h.side;
      }
    }
    sides[side] = (sides[side] ?? 0) + 1;
    perFrame.push(best);
    if (best > worst) {
      worst = best;
      worstFrame = f;
    }
  });
  const sorted = [...perFrame].sort((a, b) => a - b);
  const ms = [...r.estimateMs].sort((a, b) => a - b);
  return {
    frames: r.frames.length, withHand, twoHands,
    meanErrPx: +(perFrame.reduce((a, b) => a + b, 0) / Math.max(1, perFrame.length)).toFixed(3),
    medianFrameErrPx: +(sorted[sorted.length >> 1] ?? NaN).toFixed(3),
    maxFrameErrPx: +worst.toFixed(3), worstFrame, sides,
    estimateMsMedian: Math.round(ms[ms.length >> 1]), loadMs: Math.round(r.loadMs),
  };
}

describe('hands stage in Chromium (MediaPipe hands, mediapipe runtime, local files)', () => {
  let server: ViteDevServer;
  let url: string;
  let browser: Browser;
  let page: Page;
  let requests: string[];
  let logs: string[];
  let reference: number[][][];
  let clipUrl: string;

  beforeAll(async () => {
    reference = JSON.parse(readFileSync(join(VIDEO, 'asl_hand.full.json'), 'utf8'));
    clipUrl = remux(CLIP);
    ({ server, url } = await startServer());
    // The first 2 s of the clip as the fake camera (Y4M is uncompressed: 2 s is ~50 MB).
    browser = await launchBrowser({ videoFile: toFakeDeviceFile(join(VIDEO, CLIP), 'video', { seconds: 2 }) });
    ({ page, requests, logs } = await openPage(browser, url + PAGE));
    await pageReady(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const base = (o: Partial<HandsVideoRunOptions>): HandsVideoRunOptions => ({
    url: clipUrl, modelType: 'full', fileFps: 25, firstFrame: 0, step: 1, numFrames: CLIP_FRAMES, seekOffsetSec: 0.001,
    mirror: false, trackerMirrored: false, via: 'video', ...o,
  });

  it('the reference shows one chirality throughout: a right hand seen un-mirrored, palm to the camera (no browser)', () => {
    expect(reference.length).toBe(CLIP_FRAMES);
    // Signed area of wrist (0) -> index knuckle (5) -> little-finger knuckle (17) in image coordinates (y down). It does
    // not change with the hand's rotation in the image; it flips with mirroring (and with palm vs back of the hand).
    // Negative: going from the index to the little-finger knuckle turns counter-clockwise on screen, as for a right hand
    // whose palm faces an un-mirrored camera (the palm is seen by eye on frames 0 and 160).
    const signs = reference.map((f) => Math.sign((f[5][0] - f[0][0]) * (f[17][1] - f[0][1]) - (f[5][1] - f[0][1]) * (f[17][0] - f[0][0])));
    const negative = signs.filter((x) => x < 0).length;
    console.log(JSON.stringify({ negativeSignedArea: negative, frames: reference.length }));
    expect(negative).toBe(reference.length);
  });

  it(`${CLIP}, full model, every ${FULL_STEP}th frame: a hand in every frame, mean landmark error within ${MEAN_ERROR_BOUND_PX} px; the performer's right hand`, async () => {
    const o = base({ step: FULL_STEP, numFrames: CLIP_FRAMES / FULL_STEP });
    const r: HandsVideoRunResult = await page.evaluate((x) => window.duetHands.runVideo(x), o);
    writeFileSync(join(ARTIFACTS, 'asl_hand.ours.json'), JSON.stringify(r.frames.map((h) => h.map((x) => ({ side: x.side, score: x.score, keypoints: x.keypoints.map((v) => +v.toFixed(2)) })))));
    const rep = report(r, reference, o);
    console.log(JSON.stringify({ clip: CLIP, model: 'full', ...rep }));
    expect([r.width, r.height]).toEqual([620, 1080]);
    expect(rep.withHand).toBe(o.numFrames);
    expect(rep.meanErrPx).toBeLessThanOrEqual(MEAN_ERROR_BOUND_PX);
    expect((rep.sides.right ?? 0) / rep.withHand).toBeGreaterThanOrEqual(0.9);
  }, SLOW_TIMEOUT_MS);

  it(`${CLIP}, lite model, every ${LITE_STEP}th frame: mean landmark error within ${LITE_MEAN_ERROR_BOUND_PX} px`, async () => {
    const o = base({ modelType: 'lite', step: LITE_STEP, numFrames: CLIP_FRAMES / LITE_STEP });
    const r: HandsVideoRunResult = await page.evaluate((x) => window.duetHands.runVideo(x), o);
    const rep = report(r, reference, o);
    console.log(JSON.stringify({ clip: CLIP, model: 'lite', step: LITE_STEP, ...rep }));
    expect(rep.withHand / rep.frames).toBeGreaterThanOrEqual(0.95);
    expect(rep.meanErrPx).toBeLessThanOrEqual(LITE_MEAN_ERROR_BOUND_PX);
  }, SLOW_TIMEOUT_MS);

  it('handedness follows mirroring: a flipped frame is the left hand, unless the tracker is told it is mirrored', async () => {
    const o = base({ step: 32, numFrames: 10, mirror: true });
    const flipped = report(await page.evaluate((x) => window.duetHands.runVideo(x), o), reference, o);
    const o2 = { ...o, trackerMirrored: true };
    const told = report(await page.evaluate((x) => window.duetHands.runVideo(x), o2), reference, o2);
    console.log(JSON.stringify({ mirroredFrames: flipped, mirroredFramesTrackerTold: told }));
    expect(flipped.withHand).toBeGreaterThanOrEqual(9);
    // Coordinates stay in the fed (flipped) image: near the mirrored reference.
    expect(flipped.meanErrPx).toBeLessThanOrEqual(MEAN_ERROR_BOUND_PX * 2);
    expect((flipped.sides.left ?? 0) / flipped.withHand).toBeGreaterThanOrEqual(0.9);
    expect((told.sides.right ?? 0) / told.withHand).toBeGreaterThanOrEqual(0.9);
  }, SLOW_TIMEOUT_MS);

  it('the clip as the camera: live tracking finds the right hand', async () => {
    const r = await page.evaluate(() => window.duetHands.runCamera(3, 'lite'));
    console.log(JSON.stringify(r));
    expect(r.ok).toBe(true);
    expect(r.width).toBeGreaterThan(0);
    const ts = r.timestamps!;
    for (let i = 1; i < ts.length; i++) expect(ts[i]).toBeGreaterThan(ts[i - 1]);
    expect(r.counts!.filter((c) => c >= 1).length).toBeGreaterThanOrEqual(2);
    expect(r.sides!.flat().filter((x) => x === 'right').length).toBeGreaterThanOrEqual(2);
  }, SLOW_TIMEOUT_MS);

  it('plain black, grey and white frames: no hand', async () => {
    const [black, grey, white] = await page.evaluate(() =>
      window.duetHands.runBlank({ modelType: 'full', framesEach: 2, colors: ['#000', '#808080', '#fff'], width: 640, height: 480 }));
    console.log(JSON.stringify({ black, grey, white }));
    expect(black).toEqual([0, 0]);
    expect(grey).toEqual([0, 0]);
    expect(white).toEqual([0, 0]);
  }, SLOW_TIMEOUT_MS);

  it('readable errors: bad option, missing model files; nothing decoded yet gives null', async () => {
    const r = await page.evaluate(() => window.duetHands.runErrors());
    console.log(JSON.stringify(r));
    expect(r.badOption).toMatch(/maxHands must be one of 1, 2 \(got 3\)/);
    expect(r.missingFiles).toMatch(/hand tracker: MediaPipe hands \(lite\) could not be loaded from \/mediapipe\/no-such-folder/);
    expect(r.zeroSize).toBe('null');
  }, SLOW_TIMEOUT_MS);

  it('no request left the machine', () => {
    const off = offMachineRequests(requests);
    if (off.length) console.log(logs.join('\n'));
    expect(requests.some((u) => u.includes('/mediapipe/hands/'))).toBe(true);
    expect(off).toEqual([]);
  });
});
