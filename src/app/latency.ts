/**
 * Listen-mode display timing: how far behind the audio clock the dancer is drawn, and the resulting sound -> skeleton
 * latency budget. Pure, shared by the app (src/app/listen.ts, app.ts) and the benchmark (bench/run.ts) so that the
 * figure the benchmark reports is the delay the app really applies.
 */

/** Seconds the display runs behind the newest pose's audio time (covers the worklet's message batching). */
export const LISTEN_DISPLAY_MARGIN_S = 0.02;
/** Longest the display continues the last frames' velocity past the newest pose, seconds (one 25 fps frame). */
export const LISTEN_MAX_EXTRAPOLATION_S = 0.04;
/** Time constant of the final display smoothing of the Listen skeleton, seconds (adds about this much lag). */
export const LISTEN_DISPLAY_TAU_S = 0.01;

/** Delay (frames) of a one-pole output smoothing a: a / (1 - a); 0 when off. */
export function smoothingDelayFrames(a: number): number {
  return a > 0 && a < 1 ? a / (1 - a) : 0;
}

/**
 * Seconds between a pose's audio time and when it is shown: the model's lag (lookahead plus output smoothing) and the
 * display margin. A file's playback is delayed by the same amount so that dancer and sound stay in time.
 */
export function listenDisplayDelay(lookaheadFrames: number, outputSmoothing: number, fps: number): number {
  return (lookaheadFrames + smoothingDelayFrames(outputSmoothing)) / fps + LISTEN_DISPLAY_MARGIN_S;
}

/** Parts of the live sound -> skeleton latency for a microphone, in ms (display refresh at `refreshHz`). */
export function soundToSkeletonBudgetMs(lookaheadFrames: number, outputSmoothing: number, fps: number, refreshHz = 60): { model_lag_ms: number; display_margin_ms: number; display_smoothing_ms: number; display_frame_ms: number; total_ms: number } {
  const model = ((lookaheadFrames + smoothingDelayFrames(outputSmoothing)) / fps) * 1000;
  const margin = LISTEN_DISPLAY_MARGIN_S * 1000;
  const tau = LISTEN_DISPLAY_TAU_S * 1000;
  const frame = 1000 / refreshHz;
  return { model_lag_ms: model, display_margin_ms: margin, display_smoothing_ms: tau, display_frame_ms: frame, total_ms: model + margin + tau + frame };
}
