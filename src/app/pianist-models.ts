/**
 * Pianist mode's plug points for the pianist models, and what the app does while they are not installed.
 *
 * The model engineers implement:
 * - {@link PianistListenModel} over `models/audio2body-piano/` (sound -> 49 keypoints, optionally 88 key activations);
 *   the app streams features to it like the dancer's Listen (./pianist-listen.ts) and draws the result.
 * - {@link PianistWatchSession}: the Watch pipeline (camera or video file -> hands + BlazePose -> 49 keypoints ->
 *   `models/body2music-piano/` Pose2Roll -> Roll2Midi -> Salamander sampler), started by `createWatch`; the app reads
 *   its latest keypoints and sounding keys once per animation frame.
 * and wire them into `pianistDeps` in main.ts (`loadListenModel`, `createWatch`). Until a folder is present, Pianist
 * mode says which model is not installed and keeps running (keyboard and a pianist at rest).
 */
import type { PitchSpec } from '../features/pitch';
import type { AudioFeatureSpec } from '../features/types';
import type { WatchFigures } from './latency-panel';
import type { PianistCalibrationView } from './pianist-calibration';

/** Model folders served by the app (vite.config.ts LOCAL_ASSETS '/models/'). */
export const PIANIST_MODEL_URLS = Object.freeze({
  audio2body: '/models/audio2body-piano/',
  body2music: '/models/body2music-piano/',
});

export type PianistModelName = keyof typeof PIANIST_MODEL_URLS;

/** What each pianist model does, for messages. */
const WHAT: Readonly<Record<PianistModelName, string>> = Object.freeze({
  audio2body: 'sound → hands and body, needed by Listen',
  body2music: 'hands → piano, needed by Watch',
});

/** A pianist model folder is absent (no readable config.json). */
export class PianistModelMissingError extends Error {
  constructor(readonly which: PianistModelName) {
    super(notInstalledMessage([which]));
    this.name = 'PianistModelMissingError';
  }
}

/** The message shown for missing pianist models (names each folder and what it is for). */
export function notInstalledMessage(missing: readonly PianistModelName[]): string {
  if (missing.length === 0) return '';
  const list = missing.map((m) => `models${PIANIST_MODEL_URLS[m].slice('/models'.length)} (${WHAT[m]})`).join(' and ');
  return `pianist model not installed: ${list} ${missing.length > 1 ? 'are' : 'is'} missing. The Pianist view shows the keyboard and a pianist at rest; train the pianist models (issue 3) or choose Dancer.`;
}

/**
 * True when `folder` serves a config.json that parses as a JSON object (the dev server answers 404 for a missing file;
 * a static host may answer with the page itself, which is not JSON). Network errors count as not installed.
 */
export async function pianistModelInstalled(folder: string, fetchFn: typeof fetch = fetch): Promise<boolean> {
  try {
    const res = await fetchFn(`${folder.endsWith('/') ? folder : `${folder}/`}config.json`, { cache: 'no-cache' });
    if (!res.ok) return false;
    const json: unknown = JSON.parse(await res.text());
    return typeof json === 'object' && json !== null && !Array.isArray(json);
  } catch {
    return false;
  }
}

/**
 * Sound -> pianist, stepped once per feature frame with carried state (the shape of the dancer's Audio2BodyModel, with
 * pianist outputs). Implemented over models/audio2body-piano/ by its model code.
 */
export interface PianistListenModel {
  /** How the input features are computed (the app builds the streaming extractor from it). */
  readonly featureSpec: AudioFeatureSpec;
  /**
   * Optional pitch bands (src/features/pitch.ts): when present the app also runs the streaming pitch extractor and
   * each step's input frame is the feature frame followed by the pitch frame of the same index.
   */
  readonly pitchSpec?: PitchSpec;
  /** Model frames per second (= featureSpec.fps). */
  readonly fps: number;
  /** Frames by which a step's output lags its input (lookahead plus output smoothing), >= 0. */
  readonly delayFrames: number;
  /** Clears the recurrent state (start of a new stream). */
  reset(): void;
  /**
   * One streaming step: a raw input frame in (features, then pitch bands when `pitchSpec` is set); writes 147 keypoint values (49 x xyz, cm, pianist frame of
   * features/piano/keyboard.ts) into `keypoints`. Returns true when it also wrote 88 key activations (0..1, A0..C8)
   * into `keys`; false when it predicts keypoints only (the app then lights the keys under touching fingertips).
   */
  step(features: Float32Array, keypoints: Float32Array, keys: Float32Array): boolean;
  /** Frees weights; safe to call twice. */
  dispose(): void;
}

/** Where Watch reads its movement from. */
export type PianistWatchInput = { kind: 'camera' } | { kind: 'file'; url: string };

/**
 * A running Pianist Watch pipeline (built by `createWatch`, already started). The app only reads it from the animation
 * loop: it must update these fields from its own video-frame callbacks, never block a frame.
 */
export interface PianistWatchSession {
  /** The video being watched (shown in the preview). */
  readonly video: HTMLVideoElement;
  /** Latest performer keypoints: 147 values, cm, pianist frame; NaN where a part is not seen. Valid when `havePose`. */
  readonly keypoints: Float32Array;
  /** True while a performer (at least one hand) is tracked. */
  readonly havePose: boolean;
  /** 88 activations of the keys the performer plays now (0..1, A0..C8): sounding notes, or frame probabilities. */
  readonly keys: Float32Array;
  /** Notes played so far. */
  readonly notesPlayed: number;
  /** One short line for the status bar (calibration step, rates), '' for none. */
  statusText(): string;
  /** Writes the live latency figures (hands estimate as the pose row, model step, note scheduling) into `out`. */
  fillLatency(out: WatchFigures): void;
  /** The keyboard calibration: which one is in use and the calibration flow's step (./pianist-calibration.ts). */
  readonly calibration: PianistCalibrationView;
  /** Starts (or restarts) the keyboard calibration; no notes play until it is done, fails or is cancelled. */
  startCalibration(): void;
  /** Cancels a running calibration (the calibration in use stays); does nothing otherwise. */
  cancelCalibration(): void;
  /** Stops video, tracking and sound; safe to call twice. */
  stop(): void;
}

/** What Pianist mode needs from the outside world; each part fails on its own with a message. */
export interface PianistDeps {
  /** Loads (once) the sound -> pianist model; rejects with PianistModelMissingError while it is not installed. */
  loadListenModel(): Promise<PianistListenModel>;
  /** Builds and starts Pianist Watch; rejects with PianistModelMissingError while body2music-piano is not installed. */
  createWatch(input: PianistWatchInput, onError: (e: unknown) => void): Promise<PianistWatchSession>;
  /** Whether a pianist model folder is installed (checked when Pianist is chosen). */
  isInstalled(which: PianistModelName): Promise<boolean>;
}

/**
 * The dependencies used until the pianist model code exists: probes the folders and rejects with
 * PianistModelMissingError when one is absent, or with a plain error naming the missing loader when it is present but
 * no loader has been wired into main.ts yet. Never produces keypoints or notes of its own.
 */
export function unwiredPianistDeps(fetchFn: typeof fetch = (...a) => fetch(...a)): PianistDeps {
  const check = async (which: PianistModelName): Promise<never> => {
    if (!(await pianistModelInstalled(PIANIST_MODEL_URLS[which], fetchFn))) throw new PianistModelMissingError(which);
    throw new Error(`pianist model found at ${PIANIST_MODEL_URLS[which]}, but this build of the app has no loader for it yet (src/app/main.ts pianistDeps).`);
  };
  return {
    loadListenModel: () => check('audio2body'),
    createWatch: () => check('body2music'),
    isInstalled: (which) => pianistModelInstalled(PIANIST_MODEL_URLS[which], fetchFn),
  };
}
