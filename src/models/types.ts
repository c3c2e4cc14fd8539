import type { AudioFeatureSpec, FeatureNormalization } from '../features/types';
import type { JointName } from '../features/skeleton';
import type { NoteEvent, Style } from '../types';

/** Fields every model's config.json has; `load()` checks them against the code. */
export interface ModelConfigBase {
  /** Model kind, e.g. 'audio2body' or 'body2music'. */
  readonly kind: string;
  /** Format version of config.json. */
  readonly version: number;
  /** Frames per second of inputs and outputs. */
  readonly fps: number;
  /** Joint layout of poses (names in order). */
  readonly joints: readonly JointName[];
  /** Whether poses are turned so the hips face +z (see features/skeleton normalizePose). */
  readonly bodyFacing: boolean;
}

/** config.json of models/audio2body-*. */
export interface Audio2BodyConfig extends ModelConfigBase {
  readonly kind: 'audio2body';
  readonly featureSpec: AudioFeatureSpec;
  /** z-score statistics of the input features. */
  readonly featureNorm: FeatureNormalization;
  /** z-score statistics of the output pose values (69), applied inversely to the network output. */
  readonly poseNorm: FeatureNormalization;
  /** Output delay in frames: the step at audio frame t outputs the pose of frame t - lookahead. */
  readonly lookahead: number;
  readonly hiddenUnits: number;
}

/** Sound -> body: one LSTM, stepped once per feature frame with carried state. */
export interface Audio2BodyModel {
  readonly config: Audio2BodyConfig;
  /** Loads model.json + weights + config.json from a folder URL (or file path in Node), checks config, warms up. */
  load(): Promise<void>;
  /**
   * One streaming step: raw (unnormalized) feature frame in, pose out (69 values: 23 joints x xyz, root-relative,
   * body scale units, y up). Returns `out`. No tensor survives the call.
   */
  step(features: Float32Array, out: Float32Array): Float32Array;
  /** Whole-sequence inference on raw features (numFrames x dim) -> poses (numFrames x 69); same math as `step`. */
  predictSequence(features: Float32Array, numFrames: number): Float32Array;
  /** Clears the recurrent state (start of a new stream). */
  reset(): void;
  /** Frees weights; safe to call twice. */
  dispose(): void;
  /** The posture stage's class names and its probabilities after the last `step` (live view); null without one. */
  readonly posture: { readonly classes: readonly string[]; readonly probs: ArrayLike<number> } | null;
}

/** One frame of the music roll produced by Pose2Roll. */
export interface RollFrame {
  /** Probability that a beat falls in this frame (0..1). */
  beat: number;
  /** Musical energy (0..1). */
  energy: number;
  /** Probabilities of each style in STYLES order. */
  style: Float32Array;
  /** Motion activity of the performer in this frame (0 = still); gates the music. */
  activity: number;
  /** Optional tempo estimate from the motion, bpm (0 or absent: none); a prior for the tempo tracker. */
  tempo?: number;
}

/** config.json of models/body2music-*. */
export interface Body2MusicConfig extends ModelConfigBase {
  readonly kind: 'body2music';
  /** Input window length in frames. */
  readonly window: number;
  /** z-score statistics of the per-frame model input. */
  readonly inputNorm: FeatureNormalization;
  /** Median tempo of the training music in beats per minute (the metronome baseline). */
  readonly medianBpm: number;
  readonly styles: readonly Style[];
  /** Optional: median training tempo of each style (bpm, STYLES order), the tempo prior of Roll2Score. */
  readonly styleBpm?: readonly number[];
}

/** Body -> roll: a window of normalized poses -> one roll frame per pose frame. */
export interface Pose2RollModel {
  readonly config: Body2MusicConfig;
  load(): Promise<void>;
  /** Pushes one normalized pose (69) or null (no person), writes the roll for that frame into `out`. */
  step(pose: Float32Array | null, out: RollFrame): RollFrame;
  /** Offline: poses (numFrames x 69) -> rolls. */
  predictSequence(poses: Float32Array, numFrames: number): RollFrame[];
  reset(): void;
  dispose(): void;
}

/** Roll -> score: beat-synchronous note events in a style-fitting arrangement. No tfjs. */
export interface Roll2Score {
  /**
   * Feeds the roll frame observed at `time` (seconds, AudioContext clock) and returns notes to schedule
   * (start times >= time). Returns an empty array when nothing is to be played.
   */
  update(roll: RollFrame, time: number): NoteEvent[];
  reset(): void;
}
