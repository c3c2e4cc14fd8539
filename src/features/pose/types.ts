/**
 * Camera pose stage contract: video frames in, BlazePose keypoints out, mapped onto the 23-joint layout of
 * features/skeleton.ts, normalized like the training data, smoothed and resampled to the models' 25 fps.
 *
 * Pipeline the app runs per decoded camera frame (never awaited inside an animation frame):
 *   tracker.estimate(video, tMs)            -> BlazePoseFrame | null   (null: no person in view)
 *   mapBlazePoseTo23(frame.world, pose23)   -> 69 values, metres, y up, performer's left at +x when facing +z
 *   normalizer.normalize(pose23, norm)      -> root-relative, / running median body scale, bone lengths retargeted
 *                                              (training skeleton's proportions, camera's directions), hips facing +z
 *   oneEuro.filter(norm, tMs)               -> smoothed in place (optional; mediapipe already smooths)
 *   resampler.push(norm | null, tMs, onTick)-> one pose (or null) per 40 ms tick for body -> music
 */

/** BlazePose variants we ship (both served from `/mediapipe/pose`). */
export const POSE_MODEL_TYPES = Object.freeze(['lite', 'full'] as const);
export type PoseModelType = (typeof POSE_MODEL_TYPES)[number];

/** Number of BlazePose landmarks. */
export const BLAZEPOSE_NUM_KEYPOINTS = 33;

/** Options of {@link PoseTracker}; see `DEFAULT_POSE_TRACKER_OPTIONS` in tracker.ts. */
export interface PoseTrackerOptions {
  /** BlazePose variant: 'lite' (faster) or 'full' (more accurate). */
  readonly modelType: PoseModelType;
  /** URL folder of the `@mediapipe/pose` files, served by the app (never a CDN). */
  readonly solutionPath: string;
  /**
   * Minimum pose score in [0, 1] to report a person. The score is the mean BlazePose visibility of the shoulders and
   * hips (the mediapipe runtime reports no whole-pose score).
   */
  readonly minPoseScore: number;
  /** Use mediapipe's own landmark smoothing (driven by the timestamps passed to `estimate`). */
  readonly enableSmoothing: boolean;
}

/** What BlazePose reads: a decoded video element, a bitmap or a canvas. */
export type PoseSource = HTMLVideoElement | ImageBitmap | HTMLCanvasElement;

/**
 * One BlazePose result. The typed arrays are owned by the tracker and overwritten by the next `estimate`: copy what you
 * keep.
 */
export interface BlazePoseFrame {
  /** Timestamp passed to `estimate`, ms. */
  readonly timestampMs: number;
  /** Pose score in [0, 1] (see {@link PoseTrackerOptions.minPoseScore}). */
  readonly score: number;
  /** Source size in pixels. */
  readonly imageWidth: number;
  readonly imageHeight: number;
  /** 33 x [x px, y px, z] image keypoints (z: BlazePose's relative depth, same scale as x). */
  readonly keypoints: Float32Array;
  /** 33 visibilities in [0, 1]. */
  readonly visibility: Float32Array;
  /**
   * 33 x [x, y, z] world keypoints in metres, BlazePose axes: origin between the hips, x toward the image's right,
   * y down, z away from the camera.
   */
  readonly world: Float32Array;
}

/** BlazePose on the mediapipe runtime. Constructor does no I/O. */
export interface PoseTracker {
  readonly options: PoseTrackerOptions;
  /** Loads the wasm and model from `solutionPath` and runs one warm-up frame. */
  load(): Promise<void>;
  /**
   * Estimates the pose in `source` at `timestampMs` (monotonic, ms; the real frame time, so mediapipe's smoothing
   * matches). Resolves to null when no person is in view (no landmarks or score below `minPoseScore`) and when the
   * source has no decoded frame yet (zero size).
   * Calls must not overlap: await one before starting the next.
   */
  estimate(source: PoseSource, timestampMs: number): Promise<BlazePoseFrame | null>;
  /** Forgets tracking state (new stream); keeps the model. */
  reset(): void;
  /** Frees the model; safe to call twice. */
  dispose(): void;
}

/**
 * Where the normalizer's bone lengths come from (see normalizer.ts):
 * - 'dataset': every bone gets the Dance with Melody training skeleton's length in body scales (retarget.ts
 *   DATASET_BONE_LENGTHS), keeping the camera's bone directions;
 * - 'median': every bone gets the running median of its own normalized length over the last `boneWindow` frames;
 * - 'off': the camera's lengths as they are (no retargeting).
 */
export const BONE_LENGTH_MODES = Object.freeze(['dataset', 'median', 'off'] as const);
export type BoneLengthMode = (typeof BONE_LENGTH_MODES)[number];

/** Options of {@link PoseNormalizer}. */
export interface PoseNormalizerOptions {
  /** Turn every pose so the hips face +z, as the models were trained (features/skeleton normalizePose). */
  readonly bodyFacing: boolean;
  /** Number of recent frames whose median body scale normalizes the current one. */
  readonly scaleWindow: number;
  /** Bone-length retargeting after scaling (one of {@link BONE_LENGTH_MODES}). */
  readonly boneLengths: BoneLengthMode;
  /** Frames in the running median of each bone's length (used by `boneLengths: 'median'`). */
  readonly boneWindow: number;
}

/** Normalizes mapped 23-joint poses like the training data, with a running median body scale. */
export interface PoseNormalizer {
  readonly options: PoseNormalizerOptions;
  /** Current body scale (median over the window), in input units; NaN before the first pose. */
  readonly scale: number;
  /** Normalizes one 69-value pose into `out` (may alias `pose`) and returns `out`. */
  normalize(pose: ArrayLike<number>, out: Float32Array): Float32Array;
  /** Forgets the body-scale and bone-length history (new performer). */
  reset(): void;
}

/** Options of {@link OneEuroFilter} (Casiez, Roussel, Vogel, CHI 2012). */
export interface OneEuroFilterOptions {
  /** Values per sample. */
  readonly dim: number;
  /** Minimum cutoff frequency, Hz (lower: smoother when still). */
  readonly minCutoff: number;
  /** Speed coefficient (higher: less lag when moving), per unit of speed (units/s). */
  readonly beta: number;
  /** Cutoff frequency of the derivative filter, Hz. */
  readonly dCutoff: number;
}

/** Timestamped One-Euro filter over `dim` values; no allocation per call. */
export interface OneEuroFilter {
  readonly options: OneEuroFilterOptions;
  /**
   * Filters `values` (length `dim`) in place at `timestampMs` and returns them. The first sample (and any sample whose
   * timestamp does not increase) passes through unchanged / holds the previous output.
   */
  filter(values: Float32Array, timestampMs: number): Float32Array;
  reset(): void;
}

/** Options of {@link FrameRateResampler}. */
export interface FrameRateResamplerOptions {
  /** Values per sample. */
  readonly dim: number;
  /** Output rate, frames per second (the models run at 25). */
  readonly fps: number;
  /** Time of tick 0, ms; tick k is at `originMs + k * 1000 / fps`. */
  readonly originMs: number;
  /** Longest gap between two poses that is interpolated, ms; ticks inside longer gaps are null (no person). */
  readonly maxGapMs: number;
}

/** Called once per output tick, in order; `values` is a reused buffer (null: no person at that tick). */
export type TickCallback = (values: Float32Array | null, tick: number, tickTimeMs: number) => void;

/**
 * Turns poses at irregular camera timestamps into one pose per tick. Ticks are emitted once the input has passed
 * them: a tick between two poses is their linear interpolation, so the stream lags by at most one camera frame.
 */
export interface FrameRateResampler {
  readonly options: FrameRateResamplerOptions;
  /** Index of the next tick to be emitted. */
  readonly nextTick: number;
  /** Adds a pose (or null: no person) at `timestampMs` and emits every tick up to it. Non-increasing times are ignored. */
  push(values: Float32Array | null, timestampMs: number, onTick: TickCallback): void;
  reset(): void;
}
