/**
 * Listen-mode display timing: how far behind the audio clock the dancer is drawn, and the resulting sound -> skeleton
 * latency budget. Pure, shared by the app (src/app/listen.ts, app.ts) and the benchmark (bench/run.ts) so that the
 * figure the benchmark reports is the delay the app really applies.
 *
 * Model lag: training aligns the output of step t with the pose of frame t - lookahead, with the output smoothing inside
 * the trained model, so the network learns to make up for the smoothing's nominal lag a / (1 - a). How much is left is
 * measured on held-out dances (training/lib/eval-audio2body.ts `onset_response_lag_frames`: steps from a sound's frame
 * to the strongest motion response) and written in the model's card; the lag used here is the larger of the lookahead
 * and that measured response lag (tests/data/audio2body.test.ts checks the shipped model's is within its lookahead).
 */

/**
 * Seconds the display runs behind the newest pose's audio time: covers the worklet's message batching (2 render
 * quanta, 5.3 ms at 48 kHz), the feature and model step (~0.6 ms) and message jitter; later poses are extrapolated.
 */
export const LISTEN_DISPLAY_MARGIN_S = 0.012;
/** Longest the display continues the last frames' velocity past the newest pose, seconds (one 25 fps frame). */
export const LISTEN_MAX_EXTRAPOLATION_S = 0.04;
/** Time constant of the final display smoothing of the Listen skeleton, seconds (adds about this much lag). */
export const LISTEN_DISPLAY_TAU_S = 0.008;

/** Nominal low-frequency delay (frames) of a one-pole output smoothing a: a / (1 - a); 0 when off. */
export function smoothingDelayFrames(a: number): number {
  return a > 0 && a < 1 ? a / (1 - a) : 0;
}

/** Frames between a sound's model frame and the pose that answers it: max(lookahead, measured response lag). */
export function modelLagFrames(lookaheadFrames: number, responseLagFrames = 0): number {
  return Math.max(lookaheadFrames, responseLagFrames);
}

/**
 * Seconds between a pose's audio time and when it is shown: the model's lag and the display margin. A file's playback
 * is delayed by the same amount so that dancer and sound stay in time.
 */
export function listenDisplayDelay(lagFrames: number, fps: number): number {
  return lagFrames / fps + LISTEN_DISPLAY_MARGIN_S;
}

/**
 * Parts of the live sound -> skeleton latency for a microphone, in ms: half a model frame (mean wait for the frame that
 * holds a sound to end), the model lag, the display margin and smoothing, one display frame at `refreshHz`.
 */
export function soundToSkeletonBudgetMs(lagFrames: number, fps: number, refreshHz = 60): { frame_wait_ms: number; model_lag_ms: number; display_margin_ms: number; display_smoothing_ms: number; display_frame_ms: number; total_ms: number } {
  const wait = 500 / fps;
  const model = (lagFrames / fps) * 1000;
  const margin = LISTEN_DISPLAY_MARGIN_S * 1000;
  const tau = LISTEN_DISPLAY_TAU_S * 1000;
  const frame = 1000 / refreshHz;
  return { frame_wait_ms: wait, model_lag_ms: model, display_margin_ms: margin, display_smoothing_ms: tau, display_frame_ms: frame, total_ms: wait + model + margin + tau + frame };
}

/** Camera frame rate assumed by the movement -> sound budget (a webcam's usual rate), frames per second. */
export const CAMERA_FPS = 30;

/** Parts of the movement -> sound budget, ms (see {@link movementToSoundBudgetMs}). */
export interface MovementToSoundBudget {
  camera_frame_ms: number;
  model_frame_wait_ms: number;
  /** What Duet adds once a pose is known: model step, roll to notes, scheduling, audio output. */
  after_pose_ms: number;
  /** The whole budget without the pose (or hands) estimate itself. */
  excl_pose_ms: number;
}

/**
 * Movement -> sound without the pose estimate, in ms, shared by the app's latency panel and the benchmark: one camera
 * frame interval at `cameraFps` (a movement waits up to a frame to be seen, and the frame takes about as long to arrive),
 * half a model frame at `modelFps` (mean wait for the next 25 fps tick), then `modelMs` (model step and roll to notes),
 * `schedulingMs` (from the note decision to its start on the AudioContext) and the context's base and output latency.
 */
export function movementToSoundBudgetMs(p: { modelFps: number; modelMs: number; schedulingMs: number; baseLatencyMs: number; outputLatencyMs: number; cameraFps?: number }): MovementToSoundBudget {
  const camera = 1000 / (p.cameraFps ?? CAMERA_FPS);
  const wait = 500 / p.modelFps;
  const after = p.modelMs + p.schedulingMs + p.baseLatencyMs + p.outputLatencyMs;
  return { camera_frame_ms: camera, model_frame_wait_ms: wait, after_pose_ms: after, excl_pose_ms: camera + wait + after };
}
