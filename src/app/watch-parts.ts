/** Builds the Watch pipeline: video source, BlazePose tracker, 23-joint mapping, normalizer, 25 fps resampler, models. */
import { createCameraSource, createVideoFileSource } from '../capture/camera';
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
import type { WatchParts } from './watch';

export type WatchInput = { kind: 'camera' } | { kind: 'file'; url: string };

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

export async function createWatchParts(input: WatchInput, synth: Synth, modelUrl: string, poseModel: PoseModelType): Promise<WatchParts> {
  const [t, m] = await Promise.all([
    once(() => tracker, (p) => (tracker = p), async () => {
      const tr = createPoseTracker({ modelType: poseModel });
      try {
        await tr.load();
      } catch (e) {
        throw new Error(`The pose detector (BlazePose ${poseModel}) failed to load: ${(e as Error)?.message ?? String(e)}`);
      }
      return tr;
    }),
    once(() => pose2roll, (p) => (pose2roll = p), async () => {
      const model = createPose2Roll(modelUrl);
      try {
        await model.load();
      } catch (e) {
        throw new Error(`The body → music model failed to load: ${(e as Error)?.message ?? String(e)}`);
      }
      return model;
    }),
  ]);
  const fps = m.config.fps;
  const source = input.kind === 'camera' ? createCameraSource() : createVideoFileSource({ url: input.url, loop: true, muted: true });
  const styleBpm = (m.config as { styleBpm?: readonly number[] }).styleBpm;
  return {
    source,
    tracker: t,
    mapTo23: mapBlazePoseTo23,
    normalizer: createPoseNormalizer({ bodyFacing: m.config.bodyFacing }),
    smoother: createOneEuroFilter({ dim: POSE_DIM }),
    makeResampler: (originMs) => createFrameRateResampler({ dim: POSE_DIM, fps, originMs }),
    pose2roll: m,
    roll2score: createRoll2Score(styleBpm ? { fps, styleBpm: [...styleBpm] } : { fps }),
    synth,
  };
}
