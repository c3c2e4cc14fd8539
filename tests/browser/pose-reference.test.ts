/**
 * Camera -> keypoints, in Chromium with the real BlazePose on pose-detection's mediapipe runtime, served locally.
 *
 * - pose_squats.mp4 (720x1280, 5 fps, 65 frames), BlazePose full, fed frame by frame with timestamps 33.333 ms apart
 *   like the upstream test: every 2D coordinate within 31 px of pose_squats.full.json and every world coordinate within
 *   0.24 m of pose_squats_3d.full.json (upstream tolerances); after our mapping and normalization (with its bone-length
 *   retargeting), every bone of features/skeleton BONES and the two hand-tip bones within 15% of its median over the
 *   clip (BlazePose's world landmarks alone vary by up to 86%: printed for comparison, ours and the reference's, with
 *   every normalizer mode); left/right and facing right.
 * - pose_1.mp4 (576x576, 30 fps, a person moving), BlazePose lite: a person in most frames, close to MoveNet's
 *   reference keypoints (upstream tolerance between the two models: 60 px).
 * - a blank frame: null (the app's "no person in view").
 * - the camera source: fake camera frames with increasing timestamps, live tracking, denied permission and a missing
 *   camera give readable errors.
 * - no request leaves the machine.
 *
 * Reads ../shared/data/video; fixtures are remuxed (no re-encoding) or converted by ffmpeg into tests/.artifacts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapBlazePoseTo23 } from '../../src/features/pose/mapping';
import { createPoseNormalizer } from '../../src/features/pose/normalizer';
import { measureBoneLengths, NUM_RETARGET_BONES, RETARGET_BONES } from '../../src/features/pose/retarget';
import type { BoneLengthMode } from '../../src/features/pose/types';
import { BONES, boneEndPosition, facingYaw, J, POSE_DIM } from '../../src/features/skeleton';
import { ARTIFACTS, launchBrowser, offMachineRequests, openPage, SHARED_DATA, startServer, toFakeDeviceFile } from './harness';
import type { VideoRunOptions, VideoRunResult } from './pages/pose-page';

const VIDEO = join(SHARED_DATA, 'video');
const PAGE = '/tests/browser/pages/pose.html';
/** Upstream tolerances (tfjs-models blazepose_mediapipe test). */
const EPSILON_VIDEO_PX = 31;
const EPSILON_VIDEO_WORLD_M = 0.24;
const MOVENET_VS_BLAZEPOSE_PX = 60;
const BONE_TOLERANCE = 0.15;


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
      await page.waitForFunction(() => window.duetPose?.ready === true, null, { timeout: 120_000 });
      await page.waitForLoadState('networkidle');
      if (await page.evaluate(() => window.duetPose?.ready === true)) return;
    } catch (e) {
      if (attempt >= 2) throw e;
    }
  }
}

function median(v: number[]): number {
  const s = [...v].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Per bone of BONES, then the two hand-tip bones (retarget.ts RETARGET_BONES): the worst relative deviation from its
 * median length over the clip, and the frame.
 */
function boneDeviations(poses: ArrayLike<number>[]): { worst: number; frame: number }[] {
  const lens = poses.map((p) => measureBoneLengths(p, new Float64Array(NUM_RETARGET_BONES)));
  return RETARGET_BONES.map((_, b) => {
    const med = median(lens.map((l) => l[b]));
    let worst = 0;
    let frame = -1;
    lens.forEach((l, f) => {
      const dev = Math.abs(l[b] - med) / med;
      if (dev > worst) {
        worst = dev;
        frame = f;
      }
    });
    return { worst, frame };
  });
}

/**
 * Largest angle (degrees) between the same bone (RETARGET_BONES) in two clips of poses: retargeting keeps the camera's
 * bone directions, up to the facing turn, which is computed from the retargeted hips.
 */
function maxBoneAngleDeg(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  const pa = new Float32Array(3);
  const pb = new Float32Array(3);
  const qa = new Float32Array(3);
  const qb = new Float32Array(3);
  let worst = 0;
  a.forEach((p, f) => {
    for (const [e0, e1] of RETARGET_BONES) {
      boneEndPosition(p, e0, pa);
      boneEndPosition(p, e1, pb);
      boneEndPosition(b[f], e0, qa);
      boneEndPosition(b[f], e1, qb);
      const u = [pb[0] - pa[0], pb[1] - pa[1], pb[2] - pa[2]];
      const v = [qb[0] - qa[0], qb[1] - qa[1], qb[2] - qa[2]];
      const cos = (u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / (Math.hypot(...u) * Math.hypot(...v));
      worst = Math.max(worst, (Math.acos(Math.min(1, cos)) * 180) / Math.PI);
    }
  });
  return worst;
}

/** Maps and normalizes a clip of world landmarks (frames x 99) with the app's code (default normalizer or one mode). */
function mapAndNormalize(world: ArrayLike<number>[], boneLengths?: BoneLengthMode): Float32Array[] {
  const normalizer = createPoseNormalizer(boneLengths ? { boneLengths } : {});
  return world.map((w) => normalizer.normalize(mapBlazePoseTo23(w, new Float32Array(POSE_DIM)), new Float32Array(POSE_DIM)));
}

describe('pose stage in Chromium (BlazePose, mediapipe runtime, local files)', () => {
  let server: ViteDevServer;
  let url: string;
  let browser: Browser;
  let page: Page;
  let requests: string[];
  let logs: string[];

  beforeAll(async () => {
    ({ server, url } = await startServer());
    const cameraFile = toFakeDeviceFile(join(VIDEO, 'pose_1.mp4'), 'video');
    browser = await launchBrowser({ videoFile: cameraFile });
    ({ page, requests, logs } = await openPage(browser, url + PAGE));
    await pageReady(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('mapping puts the performer of the reference world landmarks the right way round (no browser)', () => {
    const world: number[][][] = JSON.parse(readFileSync(join(VIDEO, 'pose_squats_3d.full.json'), 'utf8'));
    const pose = new Float32Array(POSE_DIM);
    let leftAtPlusX = 0;
    let facingCamera = 0;
    let headAbovePelvis = 0;
    for (const frame of world) {
      mapBlazePoseTo23(frame.flat(), pose);
      if (pose[J.l_hip * 3] > pose[J.r_hip * 3] && pose[J.l_shoulder * 3] > pose[J.r_shoulder * 3]) leftAtPlusX++;
      if (Math.abs(facingYaw(pose)) < Math.PI / 4) facingCamera++;
      if (pose[J.head_top * 3 + 1] > pose[J.pelvis * 3 + 1] + 0.3) headAbovePelvis++;
    }
    console.log(`pose_squats_3d reference: left at +x in ${leftAtPlusX}/${world.length}, facing +z within 45 deg in ${facingCamera}/${world.length}, head 0.3 m above pelvis in ${headAbovePelvis}/${world.length}`);
    expect(leftAtPlusX).toBe(world.length);
    expect(facingCamera).toBe(world.length);
    expect(headAbovePelvis).toBe(world.length);
  });

  it('pose_squats: BlazePose full matches the upstream reference, and mapped bones keep their length', async () => {
    const expected: number[][][] = JSON.parse(readFileSync(join(VIDEO, 'pose_squats.full.json'), 'utf8'));
    const opts: VideoRunOptions = {
      url: remux('pose_squats.mp4'), modelType: 'full', fileFps: 5, numFrames: expected.length, seekOffsetSec: 0.001,
      intervalMs: 33.3333, via: 'video',
    };
    const r: VideoRunResult = await page.evaluate((o) => window.duetPose.runVideo(o), opts);
    writeFileSync(join(ARTIFACTS, 'pose_squats.ours.json'), JSON.stringify(r));
    expect([r.width, r.height]).toEqual([720, 1280]);
    const missing = r.keypoints.filter((k) => k === null).length;
    expect(missing).toBe(0);
    let maxErr = 0;
    let sumErr = 0;
    let n = 0;
    let worstAt = '';
    r.keypoints.forEach((k, f) => {
      for (let j = 0; j < 33; j++) {
        for (let c = 0; c < 2; c++) {
          const e = Math.abs(k![j * 3 + c] - expected[f][j][c]);
          sumErr += e;
          n++;
          if (e > maxErr) {
            maxErr = e;
            worstAt = `frame ${f} landmark ${j} ${c ? 'y' : 'x'}`;
          }
        }
      }
    });
    const meanErr = sumErr / n;
    // Left/right and facing on our own output: the performer faces the camera.
    const mapped = r.mapped.map((m) => m!);
    const leftAtPlusX = mapped.filter((p) => p[J.l_hip * 3] > p[J.r_hip * 3]).length;
    const facing = mapped.filter((p) => Math.abs(facingYaw(p)) < Math.PI / 4).length;
    // World landmarks against the upstream reference (upstream tolerance 0.24 m per coordinate).
    const expected3D: number[][][] = JSON.parse(readFileSync(join(VIDEO, 'pose_squats_3d.full.json'), 'utf8'));
    let maxWorldErr = 0;
    r.world.forEach((wl, f) => {
      for (let j = 0; j < 33; j++) for (let c = 0; c < 3; c++) maxWorldErr = Math.max(maxWorldErr, Math.abs(wl![j * 3 + c] - expected3D[f][j][c]));
    });
    // Bone lengths after mapping + normalization in the page (ours, default normalizer: dataset proportions), before
    // normalization (ours, metres), and, for comparison, our world landmarks and the upstream reference's own through
    // the normalizer's other modes ('median': running median of each bone, 'off': no retargeting).
    const ours = boneDeviations(r.normalized.map((p) => p!));
    const oursRaw = boneDeviations(mapped);
    const oursMedian = boneDeviations(mapAndNormalize(r.world.map((w) => w!), 'median'));
    const oursOffPoses = mapAndNormalize(r.world.map((w) => w!), 'off');
    const oursOff = boneDeviations(oursOffPoses);
    const directionChangeDeg = maxBoneAngleDeg(r.normalized.map((p) => p!), oursOffPoses);
    const reference = boneDeviations(mapAndNormalize(expected3D.map((f) => f.flat())));
    const referenceMedian = boneDeviations(mapAndNormalize(expected3D.map((f) => f.flat()), 'median'));
    const referenceOff = boneDeviations(mapAndNormalize(expected3D.map((f) => f.flat()), 'off'));
    const worstOf = (d: { worst: number }[]): number => +Math.max(...d.map((x) => x.worst)).toFixed(4);
    const worst = ours.reduce((a, b, i) => (b.worst > ours[a].worst ? i : a), 0);
    const refWorst = reference.reduce((a, b, i) => (b.worst > reference[a].worst ? i : a), 0);
    const fmt = (d: { worst: number }[]): number[] => d.map((x) => +x.worst.toFixed(3));
    const ms = [...r.estimateMs].sort((a, b) => a - b);
    console.log(JSON.stringify({
      clip: 'pose_squats.mp4', model: 'full', frames: r.keypoints.length,
      maxErrPx: +maxErr.toFixed(2), meanErrPx: +meanErr.toFixed(2), worstAt, maxWorldErrM: +maxWorldErr.toFixed(3),
      worstBoneDeviation: +ours[worst].worst.toPrecision(3), worstBone: worst, worstBoneFrame: ours[worst].frame,
      referenceWorstBoneDeviation: +reference[refWorst].worst.toPrecision(3), referenceWorstBone: refWorst,
      retargetDirectionChangeDeg: +directionChangeDeg.toFixed(3),
      worstBoneDeviationByMode: {
        ours: { dataset: worstOf(ours), median: worstOf(oursMedian), off: worstOf(oursOff), beforeNormalization: worstOf(oursRaw) },
        reference: { dataset: worstOf(reference), median: worstOf(referenceMedian), off: worstOf(referenceOff) },
      },
      perBone: {
        ours: fmt(ours), oursMedian: fmt(oursMedian), oursOff: fmt(oursOff), oursBeforeNormalization: fmt(oursRaw),
        reference: fmt(reference), referenceMedian: fmt(referenceMedian), referenceOff: fmt(referenceOff),
      },
      leftAtPlusX, facingPlusZ: facing, loadMs: Math.round(r.loadMs), estimateMsMedian: Math.round(ms[ms.length >> 1]),
    }));
    expect(maxErr).toBeLessThanOrEqual(EPSILON_VIDEO_PX);
    expect(maxWorldErr).toBeLessThanOrEqual(EPSILON_VIDEO_WORLD_M);
    // BlazePose's own world landmarks do not keep their bones within 15% on this clip (oursOff / referenceOff: hands and
    // upper arms vary by 20-86%); after the normalizer's retargeting every bone of BONES, and the two hand tips, must.
    expect(ours.length).toBe(BONES.length + 2);
    ours.forEach((d, b) => expect(d.worst, `bone ${b}`).toBeLessThanOrEqual(BONE_TOLERANCE));
    // Retargeting changes lengths, not directions: every bone within 3 degrees of the unretargeted normalization.
    expect(directionChangeDeg).toBeLessThanOrEqual(3);
    // Normalization never adds variation to the raw landmarks' bones (at most 2 points, as with the plain scale).
    ours.forEach((d, b) => expect(d.worst, `bone ${b}`).toBeLessThanOrEqual(oursRaw[b].worst + 0.02));
    expect(leftAtPlusX).toBe(mapped.length);
    expect(facing).toBe(mapped.length);
    // The normalizer's output has the training data's frame: pelvis at the origin, hips along +x.
    for (const p of r.normalized) {
      expect(Math.abs(p![J.pelvis * 3]) + Math.abs(p![J.pelvis * 3 + 1]) + Math.abs(p![J.pelvis * 3 + 2])).toBeLessThan(1e-5);
      expect(Math.abs(p![J.l_hip * 3 + 2] - p![J.r_hip * 3 + 2])).toBeLessThan(1e-4);
      expect(p![J.l_hip * 3]).toBeGreaterThan(p![J.r_hip * 3]);
    }
  }, 900_000); // 65 full-model frames: 6-9 min on SwiftShader when the 2 shared cores are busy (564 s measured)

  it('pose_1: a moving person is found in most frames, near MoveNet reference keypoints', async () => {
    const movenet: Record<string, { x: number; y: number }>[] = JSON.parse(readFileSync(join(VIDEO, 'pose_1.json'), 'utf8'));
    const step = 4; // every 4th frame (7.5 fps) keeps the run short on SwiftShader
    const opts: VideoRunOptions = {
      url: remux('pose_1.mp4'), modelType: 'lite', fileFps: 30 / step, numFrames: Math.floor(120 / step),
      seekOffsetSec: 0.001, intervalMs: (1000 / 30) * step, via: 'video',
    };
    const r: VideoRunResult = await page.evaluate((o) => window.duetPose.runVideo(o), opts);
    const found = r.keypoints.filter((k) => k !== null).length;
    // COCO-17 names and their BlazePose landmark indices.
    const coco: [string, number][] = [
      ['nose', 0], ['left_eye', 2], ['right_eye', 5], ['left_ear', 7], ['right_ear', 8], ['left_shoulder', 11],
      ['right_shoulder', 12], ['left_elbow', 13], ['right_elbow', 14], ['left_wrist', 15], ['right_wrist', 16],
      ['left_hip', 23], ['right_hip', 24], ['left_knee', 25], ['right_knee', 26], ['left_ankle', 27], ['right_ankle', 28],
    ];
    const errs: number[] = [];
    r.keypoints.forEach((k, i) => {
      if (!k) return;
      const ref = movenet[i * step];
      for (const [name, b] of coco) errs.push(Math.hypot(k[b * 3] - ref[name].x, k[b * 3 + 1] - ref[name].y));
    });
    const sorted = [...errs].sort((a, b) => a - b);
    const medianErr = sorted[sorted.length >> 1];
    const meanErr = errs.reduce((a, b) => a + b, 0) / errs.length;
    const withinTol = errs.filter((e) => e <= MOVENET_VS_BLAZEPOSE_PX).length / errs.length;
    const ms = [...r.estimateMs].sort((a, b) => a - b);
    console.log(JSON.stringify({
      clip: 'pose_1.mp4', model: 'lite', framesFed: r.keypoints.length, personFound: found,
      loadMs: Math.round(r.loadMs), estimateMsMedian: Math.round(ms[ms.length >> 1]),
      vsMoveNet: { medianPx: +medianErr.toFixed(1), meanPx: +meanErr.toFixed(1), maxPx: +sorted[sorted.length - 1].toFixed(1), within60px: +withinTol.toFixed(3) },
    }));
    expect(found / r.keypoints.length).toBeGreaterThanOrEqual(0.9);
    expect(medianErr).toBeLessThanOrEqual(MOVENET_VS_BLAZEPOSE_PX);
    expect(withinTol).toBeGreaterThanOrEqual(0.8);
  });

  it('blank frames give null (no person in view)', async () => {
    const [black, grey, white] = await page.evaluate(() =>
      window.duetPose.runBlank({ modelType: 'lite', framesEach: 2, colors: ['#000', '#808080', '#fff'], width: 640, height: 480 }));
    console.log(JSON.stringify({ black, grey, white }));
    expect(black).toEqual([null, null]);
    expect(grey).toEqual([null, null]);
    expect(white).toEqual([null, null]);
  });

  it('camera source: frames with increasing timestamps, live tracking finds the person', async () => {
    const r = await page.evaluate(() => window.duetPose.runCamera(10, 'lite', 5));
    console.log(JSON.stringify(r));
    expect(r.ok).toBe(true);
    // Chromium's fake camera adapts the 576x576 file to the requested 640x480 aspect (it reported 480x576).
    expect(r.width).toBeGreaterThan(0);
    expect(r.height).toBeGreaterThan(0);
    const ts = r.timestamps!;
    expect(ts.length).toBe(10);
    for (let i = 1; i < ts.length; i++) expect(ts[i]).toBeGreaterThan(ts[i - 1]);
    expect(r.tracked!.length).toBe(5);
    expect(r.tracked!.filter((s) => s !== null).length).toBeGreaterThanOrEqual(4);
  });

  it('camera source: a missing camera gives a readable error', async () => {
    const r = await page.evaluate(() => window.duetPose.runCamera(1, null, 0, 'no-such-camera'));
    console.log(JSON.stringify(r));
    expect(r.ok).toBe(false);
    expect(r.reason).toBe('no-device');
    expect(r.message).toMatch(/camera/i);
  });

  it('camera source: denied permission gives a readable error', async () => {
    const denied = await launchBrowser({ denyMedia: true });
    try {
      const p = await openPage(denied, url + PAGE);
      await pageReady(p.page);
      const r = await p.page.evaluate(() => window.duetPose.runCamera(1, null, 0));
      console.log(JSON.stringify(r));
      expect(r.ok).toBe(false);
      expect(r.reason).toBe('denied');
      expect(r.message).toMatch(/camera.*denied/i);
      expect(offMachineRequests(p.requests)).toEqual([]);
    } finally {
      await denied.close();
    }
  });

  it('no request left the machine', () => {
    const off = offMachineRequests(requests);
    if (off.length) console.log(logs.join('\n'));
    expect(requests.some((u) => u.includes('/mediapipe/pose/'))).toBe(true);
    expect(off).toEqual([]);
  });
});
