/**
 * MediaPipe hand landmarks on hand-pose-detection's `mediapipe` runtime, loaded from the app's own copy of
 * `@mediapipe/hands` (`solutionPath`), so no request leaves the machine. (The tfjs runtime fetches from tfhub.dev.)
 */
import type { HandDetector } from '@tensorflow-models/hand-pose-detection';
import {
  HAND_MODEL_TYPES,
  HAND_NUM_KEYPOINTS,
  type HandModelType,
  type HandObservation,
  type HandsFrame,
  type HandSide,
  type HandSource,
  type HandTracker,
  type HandTrackerOptions,
} from './types';

export const DEFAULT_HAND_TRACKER_OPTIONS: HandTrackerOptions = Object.freeze({
  modelType: 'full',
  solutionPath: '/mediapipe/hands',
  maxHands: 2,
  mirrored: false,
});

/** Valid values of `maxHands`. */
const MAX_HANDS = Object.freeze([1, 2] as const);

/** Fills missing options with the defaults and range-checks them; errors list the valid values. */
export function fillHandTrackerOptions(options: Partial<HandTrackerOptions> = {}): HandTrackerOptions {
  const d = DEFAULT_HAND_TRACKER_OPTIONS;
  const o: HandTrackerOptions = {
    modelType: options.modelType ?? d.modelType,
    solutionPath: options.solutionPath ?? d.solutionPath,
    maxHands: options.maxHands ?? d.maxHands,
    mirrored: options.mirrored ?? d.mirrored,
  };
  if (!(HAND_MODEL_TYPES as readonly string[]).includes(o.modelType)) {
    throw new Error(`hand tracker: modelType must be one of ${HAND_MODEL_TYPES.map((m) => `'${m}'`).join(', ')} (got ${JSON.stringify(o.modelType)})`);
  }
  if (typeof o.solutionPath !== 'string' || o.solutionPath.length === 0) {
    throw new Error(`hand tracker: solutionPath must be a non-empty URL path such as '/mediapipe/hands' (got ${JSON.stringify(o.solutionPath)})`);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(o.solutionPath) && !/^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])([:/]|$)/i.test(o.solutionPath)) {
    throw new Error(`hand tracker: solutionPath must be served by the app (a path such as '/mediapipe/hands'), not ${o.solutionPath}`);
  }
  if (!(MAX_HANDS as readonly number[]).includes(o.maxHands)) {
    throw new Error(`hand tracker: maxHands must be one of ${MAX_HANDS.join(', ')} (got ${String(o.maxHands)})`);
  }
  if (typeof o.mirrored !== 'boolean') {
    throw new Error(`hand tracker: mirrored must be true or false (got ${String(o.mirrored)})`);
  }
  return Object.freeze(o);
}

/**
 * The performer's hand from MediaPipe's handedness label. MediaPipe decides handedness as if the image were mirrored
 * (a selfie view): on an un-mirrored camera frame its 'Left' is the performer's right hand. Null for any other label.
 */
export function performerSide(label: string, mirrored: boolean): HandSide | null {
  if (label === 'Left') return mirrored ? 'left' : 'right';
  if (label === 'Right') return mirrored ? 'right' : 'left';
  return null;
}

interface MutableHand {
  side: HandSide;
  handednessScore: number;
  keypoints: Float32Array;
  world: Float32Array;
}

interface MutableFrame {
  timestampMs: number;
  imageWidth: number;
  imageHeight: number;
  count: number;
  hands: MutableHand[];
  estimateMs: number;
}

/** Structural view of a hand-pose-detection result (what we read). */
interface DetectedHand {
  keypoints: readonly { x: number; y: number }[];
  keypoints3D?: readonly { x: number; y: number; z?: number }[];
  handedness: string;
  score: number;
}

/** Pixel size of a hand source. */
function sourceSize(source: HandSource): [number, number] {
  if (typeof HTMLVideoElement !== 'undefined' && source instanceof HTMLVideoElement) return [source.videoWidth, source.videoHeight];
  return [source.width, source.height];
}

/**
 * Copies hand-pose-detection's hands into the preallocated frame (no allocation): image keypoints rescaled from
 * mediapipe's output image (`innerW` x `innerH`) to the source (`w` x `h`), sides from the labels. Hands with an unknown
 * label or too few landmarks are skipped. Returns the number of hands copied.
 */
export function copyHands(detected: readonly DetectedHand[], frame: { hands: MutableHand[] }, mirrored: boolean, w: number, h: number, innerW: number, innerH: number): number {
  const sx = innerW > 0 && innerW !== w ? w / innerW : 1;
  const sy = innerH > 0 && innerH !== h ? h / innerH : 1;
  let n = 0;
  for (let i = 0; i < detected.length && n < frame.hands.length; i++) {
    const d = detected[i];
    const side = performerSide(d.handedness, mirrored);
    if (!side || d.keypoints.length !== HAND_NUM_KEYPOINTS) continue;
    const out = frame.hands[n];
    out.side = side;
    out.handednessScore = d.score;
    for (let j = 0; j < HAND_NUM_KEYPOINTS; j++) {
      out.keypoints[j * 2] = d.keypoints[j].x * sx;
      out.keypoints[j * 2 + 1] = d.keypoints[j].y * sy;
      const k3 = d.keypoints3D?.[j];
      out.world[j * 3] = k3 ? k3.x : Number.NaN;
      out.world[j * 3 + 1] = k3 ? k3.y : Number.NaN;
      out.world[j * 3 + 2] = k3 ? (k3.z ?? 0) : Number.NaN;
    }
    n++;
  }
  return n;
}

/** Allocates the frame a tracker reuses for every estimate. */
export function createHandsFrame(maxHands: number): MutableFrame {
  const hands: MutableHand[] = [];
  for (let i = 0; i < maxHands; i++) {
    hands.push({ side: 'right', handednessScore: 0, keypoints: new Float32Array(HAND_NUM_KEYPOINTS * 2), world: new Float32Array(HAND_NUM_KEYPOINTS * 3) });
  }
  return { timestampMs: 0, imageWidth: 0, imageHeight: 0, count: 0, hands, estimateMs: 0 };
}

class MediapipeHandTracker implements HandTracker {
  readonly options: HandTrackerOptions;
  private detector: HandDetector | null = null;
  private loading: Promise<void> | null = null;
  private disposed = false;
  private busy = false;
  private readonly frame: MutableFrame;

  constructor(options: HandTrackerOptions) {
    this.options = options;
    this.frame = createHandsFrame(options.maxHands);
  }

  load(): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('hand tracker: load() after dispose()'));
    this.loading ??= this.doLoad();
    return this.loading;
  }

  private async doLoad(): Promise<void> {
    let detector: HandDetector;
    try {
      const hpd = await import('@tensorflow-models/hand-pose-detection');
      detector = await hpd.createDetector(hpd.SupportedModels.MediaPipeHands, {
        runtime: 'mediapipe',
        solutionPath: this.options.solutionPath,
        modelType: this.options.modelType as HandModelType,
        maxHands: this.options.maxHands,
      });
      // Warm-up: one blank frame compiles the graph and loads the landmark model before the first real frame.
      const canvas = document.createElement('canvas');
      canvas.width = 64;
      canvas.height = 64;
      const ctx = canvas.getContext('2d');
      if (ctx) ctx.fillRect(0, 0, 64, 64);
      await detector.estimateHands(canvas);
      detector.reset();
    } catch (e) {
      this.loading = null; // a later load() may retry (e.g. after the server comes back)
      throw new Error(`hand tracker: MediaPipe hands (${this.options.modelType}) could not be loaded from ${this.options.solutionPath}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
    }
    if (this.disposed) {
      detector.dispose();
      return;
    }
    this.detector = detector;
  }

  async estimate(source: HandSource, timestampMs: number): Promise<HandsFrame | null> {
    if (this.disposed) throw new Error('hand tracker: estimate() after dispose()');
    if (!this.detector) await this.load();
    const detector = this.detector;
    if (!detector) throw new Error('hand tracker: disposed while loading');
    if (!Number.isFinite(timestampMs)) throw new Error(`hand tracker: timestampMs must be a finite number of ms (got ${timestampMs})`);
    const [w, h] = sourceSize(source);
    if (!(w > 0 && h > 0)) return null; // nothing decoded yet
    if (this.busy) throw new Error('hand tracker: estimate() called while the previous estimate is still running; await it first');
    this.busy = true;
    try {
      const t0 = performance.now();
      const detected = (await detector.estimateHands(source)) as unknown as DetectedHand[] | null;
      // hand-pose-detection scales the normalized landmarks by the size of mediapipe's output image.
      const inner = detector as unknown as { width?: number; height?: number };
      const f = this.frame;
      f.count = copyHands(detected ?? [], f, this.options.mirrored, w, h, inner.width ?? 0, inner.height ?? 0);
      f.timestampMs = timestampMs;
      f.imageWidth = w;
      f.imageHeight = h;
      f.estimateMs = performance.now() - t0;
      return f;
    } finally {
      this.busy = false;
    }
  }

  reset(): void {
    this.detector?.reset();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const d = this.detector;
    this.detector = null;
    d?.dispose();
  }
}

/** Creates a MediaPipe hand tracker (no I/O until `load` or the first `estimate`). */
export function createHandTracker(options: Partial<HandTrackerOptions> = {}): HandTracker {
  return new MediapipeHandTracker(fillHandTrackerOptions(options));
}

/**
 * Times one hand-landmark estimate on `source` (benchmark pages): `ms` is the wall time of `tracker.estimate`, ms, on
 * performance.now(); `frame` its result (null: no decoded frame; `count` 0: no hand; reused by the next estimate).
 * Load the tracker first, or the first call includes loading.
 */
export async function timeHandEstimate(tracker: HandTracker, source: HandSource, timestampMs: number): Promise<{ ms: number; frame: HandsFrame | null }> {
  const t0 = performance.now();
  const frame = await tracker.estimate(source, timestampMs);
  return { ms: performance.now() - t0, frame };
}
