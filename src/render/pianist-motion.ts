/**
 * Display smoothing of pianist keypoints that tolerates missing values: a live tracker reports NaN for a hand it does
 * not see, and plain exponential smoothing would then stay NaN for good. No allocation.
 */

/**
 * Moves `current` toward `target` in place with time constant `tau` s over a step of `dt` s (tau 0 copies). Where either
 * value is not finite the target is copied (a part that disappears is hidden at once, one that reappears is shown where
 * it is, not flown in from the last place seen).
 */
export function smoothKeypointsToward(current: Float32Array, target: ArrayLike<number>, dt: number, tau: number): void {
  const a = tau <= 0 ? 1 : 1 - Math.exp(-Math.max(0, dt) / tau);
  for (let i = 0; i < current.length; i++) {
    const c = current[i];
    const t = target[i];
    current[i] = Number.isFinite(c) && Number.isFinite(t) ? c + (t - c) * a : t;
  }
}
