/**
 * BlazePose on pose-detection's `mediapipe` runtime, loaded from the app's own copy of `@mediapipe/pose`
 * (`solutionPath`), so no request leaves the machine. (MoveNet and the tfjs runtime fetch weights from the internet.)
 */
import type { PoseDetector } from '@tensorflow-models/pose-detection';
import {
  BLAZEPOSE_NUM_KEYPOINTS,
  POSE_MODEL_TYPES,
  type BlazePoseFrame,
  type PoseModelType,
  type PoseSource,
  type PoseTracker,
  type PoseTrackerOptions,
} from './types';

export const DEFAULT_POSE_TRACKER_OPTIONS: PoseTrackerOptions = Object.freeze({
  modelType: 'full',
  solutionPath: '/mediapipe/pose',
  minPoseScore: 0.5,
  enableSmoothing: true,
});

/** BlazePose landmarks whose mean visibility is the pose score: shoulders and hips. */
export const SCORE_LANDMARKS = Object.freeze([11, 12, 23, 24] as const);

/** Fills missing options with the defaults and range-checks them; errors list the valid values. */
export function fillPoseTrackerOptions(options: Partial<PoseTrackerOptions> = {}): PoseTrackerOptions {
  const d = DEFAULT_POSE_TRACKER_OPTIONS;
  const o: PoseTrackerOptions = {
    modelType: options.modelType ?? d.modelType,
    solutionPath: options.solutionPath ?? d.solutionPath,
    minPoseScore: options.minPoseScore ?? d.minPoseScore,
    enableSmoothing: options.enableSmoothing ?? d.enableSmoothing,
  };
  if (!(POSE_MODEL_TYPES as readonly string[]).includes(o.modelType)) {
    throw new Error(`pose tracker: modelType must be one of ${POSE_MODEL_TYPES.map((m) => `'${m}'`).join(', ')} (got ${JSON.stringify(o.modelType)})`);
  }
  if (typeof o.solutionPath !== 'string' || o.solutionPath.length === 0) {
    throw new Error(`pose tracker: solutionPath must be a non-empty URL path such as '/mediapipe/pose' (got ${JSON.stringify(o.solutionPath)})`);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(o.solutionPath) && !/^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])([:/]|$)/i.test(o.solutionPath)) {
    throw new Error(`pose tracker: solutionPath must be served by the app (a path such as '/mediapipe/pose'), not ${o.solutionPath}`);
  }
  if (!(o.minPoseScore >= 0 && o.minPoseScore <= 1)) {
    throw new Error(`pose tracker: minPoseScore must be a number in [0, 1] (got ${String(o.minPoseScore)})`);
  }
  if (typeof o.enableSmoothing !== 'boolean') {
    throw new Error(`pose tracker: enableSmoothing must be true or false (got ${String(o.enableSmoothing)})`);
  }
  return Object.freeze(o);
}

/** Gap (ms) put on mediapipe's clock after the warm-up frame and after `reset`, so no smoothing carries across. */
const RESTART_GAP_MS = 1000;

interface MutableFrame {
  timestampMs: number;
  score: number;
  imageWidth: number;
  imageHeight: number;
  keypoints: Float32Array;
  visibility: Float32Array;
  world: Float32Array;
}

/** Pixel size of a pose source. */
function sourceSize(source: PoseSource): [number, number] {
  if (typeof HTMLVideoElement !== 'undefined' && source instanceof HTMLVideoElement) return [source.videoWidth, source.videoHeight];
  return [source.width, source.height];
}

class MediapipePoseTracker implements PoseTracker {
  readonly options: PoseTrackerOptions;
  private detector: PoseDetector | null = null;
  private loading: Promise<void> | null = null;
  private disposed = false;
  /** mediapipe needs strictly increasing timestamps: an internal clock that advances by the caller's intervals. */
  private clockMs = 0;
  private lastCallerMs = Number.NaN;
  private busy = false;
  private readonly frame: MutableFrame = {
    timestampMs: 0,
    score: 0,
    imageWidth: 0,
    imageHeight: 0,
    keypoints: new Float32Array(BLAZEPOSE_NUM_KEYPOINTS * 3),
    visibility: new Float32Array(BLAZEPOSE_NUM_KEYPOINTS),
    world: new Float32Array(BLAZEPOSE_NUM_KEYPOINTS * 3),
  };

  constructor(options: PoseTrackerOptions) {
    this.options = options;
  }

  load(): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('pose tracker: load() after dispose()'));
    this.loading ??= this.doLoad();
    return this.loading;
  }

  private async doLoad(): Promise<void> {
    const pd = await import('@tensorflow-models/pose-detection');
    let detector: PoseDetector;
    try {
      detector = await pd.createDetector(pd.SupportedModels.BlazePose, {
        runtime: 'mediapipe',
        solutionPath: this.options.solutionPath,
        modelType: this.options.modelType as PoseModelType,
        enableSmoothing: this.options.enableSmoothing,
        enableSegmentation: false,
      });
    } catch (e) {
      throw new Error(`pose tracker: BlazePose (${this.options.modelType}) could not be loaded from ${this.options.solutionPath}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
    }
    if (this.disposed) {
      detector.dispose();
      return;
    }
    // Warm-up: one blank frame compiles the graph and loads the model before the first real frame.
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 64;
    const ctx = canvas.getContext('2d');
    if (ctx) ctx.fillRect(0, 0, 64, 64);
    await detector.estimatePoses(canvas, undefined, this.clockMs);
    this.clockMs += RESTART_GAP_MS;
    this.detector = detector;
  }

  async estimate(source: PoseSource, timestampMs: number): Promise<BlazePoseFrame | null> {
    if (this.disposed) throw new Error('pose tracker: estimate() after dispose()');
    if (!this.detector) await this.load();
    const detector = this.detector;
    if (!detector) throw new Error('pose tracker: disposed while loading');
    if (!Number.isFinite(timestampMs)) throw new Error(`pose tracker: timestampMs must be a finite number of ms (got ${timestampMs})`);
    const [w, h] = sourceSize(source);
    if (!(w > 0 && h > 0)) return null; // nothing decoded yet
    if (this.busy) throw new Error('pose tracker: estimate() called while the previous estimate is still running; await it first');
    this.busy = true;
    try {
      return await this.run(detector, source, timestampMs, w, h);
    } finally {
      this.busy = false;
    }
  }

  private async run(detector: PoseDetector, source: PoseSource, timestampMs: number, w: number, h: number): Promise<BlazePoseFrame | null> {
    // Advance mediapipe's clock by the caller's interval (at least 1 ms: it rejects repeated timestamps).
    const dt = Number.isNaN(this.lastCallerMs) ? 0 : timestampMs - this.lastCallerMs;
    this.clockMs += Math.max(1, dt);
    this.lastCallerMs = timestampMs;
    const poses = await detector.estimatePoses(source, undefined, this.clockMs);
    const pose = poses[0];
    if (!pose || !pose.keypoints3D || pose.keypoints.length !== BLAZEPOSE_NUM_KEYPOINTS) return null;
    const f = this.frame;
    // pose-detection scales the normalized landmarks by the size of mediapipe's output image; rescale to the source's.
    let sx = 1;
    let sy = 1;
    const inner = detector as unknown as { width?: number; height?: number };
    if (inner.width && inner.height && (inner.width !== w || inner.height !== h)) {
      sx = w / inner.width;
      sy = h / inner.height;
    }
    let score = 0;
    for (let i = 0; i < BLAZEPOSE_NUM_KEYPOINTS; i++) {
      const k = pose.keypoints[i];
      const k3 = pose.keypoints3D[i];
      f.keypoints[i * 3] = k.x * sx;
      f.keypoints[i * 3 + 1] = k.y * sy;
      f.keypoints[i * 3 + 2] = (k.z ?? 0) * sx;
      f.visibility[i] = k.score ?? 0;
      f.world[i * 3] = k3.x;
      f.world[i * 3 + 1] = k3.y;
      f.world[i * 3 + 2] = k3.z ?? 0;
    }
    for (const i of SCORE_LANDMARKS) score += f.visibility[i];
    score /= SCORE_LANDMARKS.length;
    if (score < this.options.minPoseScore) return null;
    f.timestampMs = timestampMs;
    f.score = score;
    f.imageWidth = w;
    f.imageHeight = h;
    return f;
  }

  reset(): void {
    this.detector?.reset();
    this.clockMs += RESTART_GAP_MS;
    this.lastCallerMs = Number.NaN;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const d = this.detector;
    this.detector = null;
    d?.dispose();
  }
}

/** Creates a BlazePose tracker (no I/O until `load` or the first `estimate`). */
export function createPoseTracker(options: Partial<PoseTrackerOptions> = {}): PoseTracker {
  return new MediapipePoseTracker(fillPoseTrackerOptions(options));
}
