/**
 * Per-frame inputs of Pose2Roll, computed the same way in training and live: the normalized pose (69 values, body-scale
 * units, pelvis at the origin, hips facing +z) and its velocity (69 values, body scales per second, the difference to
 * the previous frame times fps). Also the rule-based motion activity that gates the music.
 */
import { NUM_JOINTS, POSE_DIM, sumJointDisplacement } from '../../features/skeleton';

/** Values per model input frame: pose (69) + velocity (69). */
export const INPUT_DIM = 2 * POSE_DIM;

/**
 * Writes the input frame for `pose` given the previous pose (or null at the start of a stream: velocity 0) into `out`
 * (length >= INPUT_DIM, written at `offset`). Poses are normalized (features/skeleton normalizePose). Returns `out`.
 */
export function inputFrame(pose: ArrayLike<number>, prev: ArrayLike<number> | null, fps: number, out: Float32Array, offset = 0): Float32Array {
  for (let i = 0; i < POSE_DIM; i++) {
    out[offset + i] = pose[i];
    out[offset + POSE_DIM + i] = prev ? (pose[i] - prev[i]) * fps : 0;
  }
  return out;
}

/** Input frames of a whole sequence of normalized poses (numFrames x 69) -> numFrames x INPUT_DIM. */
export function inputSequence(poses: Float32Array, numFrames: number, fps: number): Float32Array {
  const out = new Float32Array(numFrames * INPUT_DIM);
  for (let t = 0; t < numFrames; t++) {
    const p = poses.subarray(t * POSE_DIM, (t + 1) * POSE_DIM);
    const q = t > 0 ? poses.subarray((t - 1) * POSE_DIM, t * POSE_DIM) : null;
    inputFrame(p, q, fps, out, t * INPUT_DIM);
  }
  return out;
}

/** Frames between the two poses compared by {@link motionSpeed} (0.2 s at 25 fps: long enough to average out jitter). */
export const ACTIVITY_LAG = 5;

/**
 * Mean joint displacement between two normalized poses divided by `seconds`: body scales per second. Every joint
 * except the pelvis (the origin) counts.
 */
export function motionSpeed(a: ArrayLike<number>, b: ArrayLike<number>, seconds: number): number {
  return sumJointDisplacement(a, b) / (NUM_JOINTS - 1) / seconds;
}

/**
 * Activity 0..1 from a motion speed (body scales/s): 0 below `still` (pose-estimator jitter of a person standing
 * still), 1 at `full` and above, linear between.
 */
export function activityFromSpeed(speed: number, still: number, full: number): number {
  if (!(speed > still)) return 0;
  return Math.min(1, (speed - still) / (full - still));
}

/** Mean joint speed of each frame of a normalized sequence (body scales/s, frame-to-frame), 0 for frame 0. */
export function jointSpeeds(poses: Float32Array, numFrames: number, fps: number): Float32Array {
  const out = new Float32Array(numFrames);
  for (let t = 1; t < numFrames; t++) {
    out[t] = motionSpeed(poses.subarray(t * POSE_DIM, (t + 1) * POSE_DIM), poses.subarray((t - 1) * POSE_DIM, t * POSE_DIM), 1 / fps);
  }
  return out;
}

/**
 * The beat curve of the motion, causal and rule-based: how far the current joint speed lies below its running mean,
 * clamp(1 - fast / slow, 0, 1)^2 with `fast` a short and `slow` a ~1 s exponential average of the frame-to-frame speed.
 * It peaks at speed minima (steps landing, turns' still points): the dancer's own pulse, which the tracker follows.
 * (The phase of the music's beats is not predictable from this data's motion: see models/body2music-dance/card.json.)
 */
export class MotionBeat {
  private fast = 0;
  private slow = 0;
  private started = false;

  /** `fastSeconds` and `slowSeconds`: time constants of the two averages. */
  constructor(private readonly fps: number, private readonly fastSeconds = 0.06, private readonly slowSeconds = 1) {}

  /** Feeds one frame's speed (body scales/s) and returns the beat value 0..1. */
  update(speed: number): number {
    if (!this.started) {
      this.fast = speed;
      this.slow = speed;
      this.started = true;
      return 0;
    }
    this.fast += Math.min(1, 1 / (this.fastSeconds * this.fps)) * (speed - this.fast);
    this.slow += Math.min(1, 1 / (this.slowSeconds * this.fps)) * (speed - this.slow);
    if (!(this.slow > 1e-6)) return 0;
    const v = Math.min(1, Math.max(0, 1 - this.fast / this.slow));
    return v * v;
  }

  reset(): void {
    this.fast = 0;
    this.slow = 0;
    this.started = false;
  }
}
