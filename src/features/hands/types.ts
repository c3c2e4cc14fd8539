/**
 * Live hands stage contract: camera frames in, MediaPipe hand landmarks out (21 per hand, up to two hands), each hand
 * labelled with the performer's side; combined with BlazePose's upper body into the 49-keypoint pianist frame of
 * features/piano/layout.ts.
 *
 * Pipeline the app runs per decoded camera frame (never awaited inside an animation frame; await one estimate before
 * starting the next):
 *   handTracker.estimate(video, tMs)          -> HandsFrame | null   (null: no decoded frame yet; count 0: no hand)
 *   poseTracker.estimate(video, tMs)          -> BlazePoseFrame | null (features/pose)
 *   composePianistFrame(pose, hands, toKeyboard, out) -> 147 values in the pianist frame, NaN where not seen
 * and, before playing, the calibration flow of ./calibration.ts gives the two image points (the keyboard's ends) that
 * the shared calibration of features/piano turns into `toKeyboard`.
 *
 * Frames must reach both trackers as the camera delivers them (not mirrored). A mirrored (selfie) view is a display
 * matter: mirror the canvas/CSS, never the pixels given to the trackers, or set `mirrored: true` here and expect
 * BlazePose's left and right to swap as well.
 */

/** Hand landmark model variants in `@mediapipe/hands` (both served from `/mediapipe/hands`). */
export const HAND_MODEL_TYPES = Object.freeze(['lite', 'full'] as const);
export type HandModelType = (typeof HAND_MODEL_TYPES)[number];

/** Landmarks per hand (MediaPipe order, see features/piano/layout.ts HAND_LANDMARKS). */
export const HAND_NUM_KEYPOINTS = 21;

/** The performer's hand. */
export type HandSide = 'right' | 'left';

/** Options of {@link HandTracker}; see `DEFAULT_HAND_TRACKER_OPTIONS` in tracker.ts. */
export interface HandTrackerOptions {
  /** Landmark model: 'lite' (faster, ~7 px on the reference clip) or 'full' (more accurate, ~1 px). */
  readonly modelType: HandModelType;
  /** URL folder of the `@mediapipe/hands` files, served by the app (never a CDN). */
  readonly solutionPath: string;
  /** Most hands reported per frame: 1 or 2. */
  readonly maxHands: number;
  /**
   * Whether the frames passed to `estimate` are mirrored (a selfie view flipped left-right). MediaPipe labels
   * handedness as if the image were mirrored; on camera frames as delivered (false, the default) its 'Left' is the
   * performer's right hand, so the tracker swaps the labels; with true it keeps them.
   */
  readonly mirrored: boolean;
}

/** What the hand tracker reads: a decoded video element or a canvas (mediapipe's `send` does not take bitmaps). */
export type HandSource = HTMLVideoElement | HTMLCanvasElement;

/**
 * One detected hand. The typed arrays are owned by the tracker and overwritten by the next `estimate`: copy what you
 * keep.
 */
export interface HandObservation {
  /** The performer's hand, from MediaPipe's handedness label (see {@link HandTrackerOptions.mirrored}). */
  readonly side: HandSide;
  /** MediaPipe's handedness probability for `side`, in [0.5, 1]. */
  readonly handednessScore: number;
  /** 21 x [x px, y px] image landmarks in the source's pixels (x right, y down). */
  readonly keypoints: Float32Array;
  /**
   * 21 x [x, y, z] world landmarks in metres, MediaPipe axes: origin at the hand's approximate geometric centre, x toward
   * the image's right, y down, z away from the camera.
   */
  readonly world: Float32Array;
}

/** One hand tracker result; owned by the tracker and overwritten by the next `estimate`. */
export interface HandsFrame {
  /** Timestamp passed to `estimate`, ms. */
  readonly timestampMs: number;
  /** Source size in pixels. */
  readonly imageWidth: number;
  readonly imageHeight: number;
  /** Number of hands found (0..maxHands); `hands[0..count)` are valid, in MediaPipe's order. */
  readonly count: number;
  /** Preallocated slots (length maxHands); only the first `count` hold this frame's hands. */
  readonly hands: readonly HandObservation[];
  /** Wall time of the landmark estimate (mediapipe's detection + landmarks + our copy), ms, on performance.now(). */
  readonly estimateMs: number;
}

/** MediaPipe hands on hand-pose-detection's `mediapipe` runtime. Constructor does no I/O. */
export interface HandTracker {
  readonly options: HandTrackerOptions;
  /** Loads the wasm and models from `solutionPath` and runs one warm-up frame. Rejects with a readable error. */
  load(): Promise<void>;
  /**
   * Finds up to `maxHands` hands in `source`. `timestampMs` (monotonic, ms) is recorded in the frame only: the
   * mediapipe hands solution stamps frames with its own performance.now() clock. Resolves to null when the source has
   * no decoded frame yet (zero size); a frame with `count` 0 means no hand in view.
   * Calls must not overlap: await one before starting the next.
   */
  estimate(source: HandSource, timestampMs: number): Promise<HandsFrame | null>;
  /** Forgets tracking state (new stream); keeps the model. */
  reset(): void;
  /** Frees the model; safe to call twice. */
  dispose(): void;
}

/** Image point (px) -> pianist frame x, y (cm): the shared keyboard calibration (features/piano) as the hands stage uses it. */
export interface ImageToKeyboard {
  /** Writes the pianist-frame x (cm, along the keyboard) and y (cm, up) of image point (xPx, yPx) to out[o], out[o + 1]. */
  project(xPx: number, yPx: number, out: Float32Array, o: number): void;
}
