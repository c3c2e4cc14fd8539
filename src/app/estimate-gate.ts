/**
 * Paces camera-model estimates (BlazePose, MediaPipe Hands) on the page's main thread: one at a time, and after an
 * estimate that took T ms none starts before T x `restFraction` ms have passed. On software WebGL an estimate blocks
 * the main thread for 0.5-2 s; started back to back they starve the audio, the drawing and the input, which then fall
 * ever further behind (`npx tsx bench/responsiveness.ts`, Pianist Listen + Watch: a page call waited 8 s, growing to
 * 23.6 s after 66 s; with the rest 0.2-2 s once the models are loaded). With a GPU, T is a few ms and the camera's frame interval is the longer wait, so nothing changes.
 */
export class EstimateGate {
  private busy = false;
  private startMs = 0;
  private restUntilMs = 0;

  /** @param restFraction rest after each estimate, as a fraction of its duration (0..4). */
  constructor(readonly restFraction = 0.5) {
    if (!(restFraction >= 0 && restFraction <= 4)) throw new Error(`EstimateGate: restFraction must be in [0, 4] (got ${String(restFraction)})`);
  }

  /** True (and marks an estimate as running) when one may start at `nowMs` (performance.now ms). */
  tryStart(nowMs: number): boolean {
    if (this.busy || nowMs < this.restUntilMs) return false;
    this.busy = true;
    this.startMs = nowMs;
    return true;
  }

  /** The running estimate ended at `nowMs`: the next may start after the rest. */
  end(nowMs: number): void {
    if (!this.busy) return;
    this.busy = false;
    this.restUntilMs = nowMs + this.restFraction * Math.max(0, nowMs - this.startMs);
  }
}
