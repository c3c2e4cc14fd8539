/** Builds the Watch pipeline: video source, BlazePose tracker, 23-joint mapping, normalizer, 25 fps resampler, models. */
import { createCameraSource, createVideoFileSource } from '../capture/camera';
import type { VideoSource } from '../capture/video-types';
import { POSE_DIM } from '../features/skeleton';
import {
  createFrameRateResampler,
  createOneEuroFilter,
  createPoseNormalizer,
  createPoseTracker,
  mapBlazePoseTo23,
  type PoseModelType,
  type PoseTracker,
} from '../features/pose';
import { createPose2Roll } from '../models/body2music/pose2roll';
import { createRoll2Score } from '../models/body2music/roll2score';
import type { Pose2RollModel } from '../models/types';
import type { Synth } from '../synth/types';
import { ModelLoadError } from './errors';
import type { WatchParts } from './watch';

export type WatchInput = { kind: 'camera' } | { kind: 'file'; url: string };

/**
 * Longest interval between two estimated poses that is interpolated (ms). "No person" is pushed explicitly as null, so
 * this only has to exceed the estimator's own interval, which is ~0.3-3 s a frame on software WebGL (never assume the
 * camera's frame rate).
 */
const MAX_POSE_GAP_MS = 4000;

/** Loaded once per page and reused by every Watch start. */
let tracker: Promise<PoseTracker> | null = null;
let pose2roll: Promise<Pose2RollModel> | null = null;

function once<T>(get: () => Promise<T> | null, set: (p: Promise<T> | null) => void, make: () => Promise<T>): Promise<T> {
  let p = get();
  if (!p) {
    p = make().catch((e: unknown) => {
      set(null); // let the next Start retry
      throw e;
    });
    set(p);
  }
  return p;
}

/**
 * Opens the video source first (so a denied or missing camera, or an undecodable file, is reported at once), then loads
 * BlazePose and the body -> music model (once per page). Stops the source when anything fails.
 */
export async function createWatchParts(input: WatchInput, synth: Synth, modelUrl: string, poseModel: PoseModelType): Promise<WatchParts> {
  const source = input.kind === 'camera' ? createCameraSource() : createVideoFileSource({ url: input.url, loop: true, muted: true });
  try {
    await source.start();
    return await buildParts(source, synth, modelUrl, poseModel);
  } catch (e) {
    source.stop();
    throw e;
  }
}

async function buildParts(source: VideoSource, synth: Synth, modelUrl: string, poseModel: PoseModelType): Promise<WatchParts> {
  const [t, m] = await Promise.all([
    once(() => tracker, (p) => (tracker = p), async () => {
      const tr = createPoseTracker({ modelType: poseModel });
      try {
        await tr.load();
      } catch (e) {
        throw new ModelLoadError('pose', `The pose detector (BlazePose ${poseModel}) failed to load: ${(e as Error)?.message ?? String(e)}`, { cause: e });
      }
      return tr;
    }),
    once(() => pose2roll, (p) => (pose2roll = p), async () => {
      const model = createPose2Roll(modelUrl);
      try {
        await model.load();
      } catch (e) {
        throw new ModelLoadError('body2music', `The body → music model failed to load: ${(e as Error)?.message ?? String(e)}`, { cause: e });
      }
      return model;
    }),
  ]);
  const fps = m.config.fps;
  const styleBpm = (m.config as { styleBpm?: readonly number[] }).styleBpm;
  return {
    source,
    tracker: t,
    mapTo23: mapBlazePoseTo23,
    normalizer: createPoseNormalizer({ bodyFacing: m.config.bodyFacing }),
    smoother: createOneEuroFilter({ dim: POSE_DIM }),
    makeResampler: (originMs) => createFrameRateResampler({ dim: POSE_DIM, fps, originMs, maxGapMs: MAX_POSE_GAP_MS }),
    pose2roll: m,
    roll2score: createRoll2Score(styleBpm ? { fps, styleBpm: [...styleBpm] } : { fps }),
    synth,
  };
}
