/**
 * Pianist Listen's model: the {@link PianistListenModel} plug point over models/audio2body-piano
 * (src/models/audio2body-piano/model.ts): input frames of 41 audio features followed by 88 pitch bands, 49 keypoints
 * out; keys are left to the app (lit under touching fingertips).
 *
 * Silence gate: after SILENCE_FRAMES consecutive frames of (near) digital silence (log energy below
 * SILENCE_LOG_ENERGY; real sound, even a quiet room, stays far above it) the pianist rests (the renderer's rest pose,
 * no keys) and the model's state is cleared, so the next sound starts a fresh stream. The model itself only knows
 * silences inside pieces, where the hands hover near the next notes.
 */
import { createAudio2BodyPiano, PIANO_FEATURE_DIM, PIANO_INPUT_DIM, PIANO_PITCH_DIM, type Audio2BodyPianoModel } from '../models/audio2body-piano/model';
import { FEATURE_INDEX } from '../features/spec';
import { pianistRestPose } from '../render/pianist-rest';
import { PIANIST_MODEL_URLS, PianistModelMissingError, pianistModelInstalled, type PianistListenModel } from './pianist-models';

/** log_energy (natural log of the frame's mean power) below which a frame is silent; digital silence gives -23. */
export const SILENCE_LOG_ENERGY = -18;
/** Consecutive silent frames before the pianist rests (0.48 s at 25 fps). */
export const SILENCE_FRAMES = 12;

/** Adapts a loaded Audio2BodyPianoModel to the app's PianistListenModel (no allocation per step). */
export class Audio2BodyPianoListenModel implements PianistListenModel {
  private readonly features = new Float32Array(PIANO_FEATURE_DIM);
  private readonly pitch = new Float32Array(PIANO_PITCH_DIM);
  private readonly rest = pianistRestPose();
  private silentFrames = 0;

  constructor(readonly model: Audio2BodyPianoModel) {}

  get featureSpec() {
    return this.model.config.featureSpec;
  }

  get pitchSpec() {
    return this.model.config.pitchSpec;
  }

  get fps(): number {
    return this.model.config.fps;
  }

  get delayFrames(): number {
    return this.model.delayFrames;
  }

  reset(): void {
    this.model.reset();
    this.silentFrames = 0;
  }

  step(input: Float32Array, keypoints: Float32Array, keys: Float32Array): boolean {
    if (input.length !== PIANO_INPUT_DIM) throw new Error(`pianist listen model: expected ${PIANO_INPUT_DIM} input values (features + pitch bands), got ${input.length}`);
    for (let i = 0; i < PIANO_FEATURE_DIM; i++) this.features[i] = input[i];
    for (let i = 0; i < PIANO_PITCH_DIM; i++) this.pitch[i] = input[PIANO_FEATURE_DIM + i];
    this.silentFrames = input[FEATURE_INDEX.logEnergy] < SILENCE_LOG_ENERGY ? this.silentFrames + 1 : 0;
    if (this.silentFrames >= SILENCE_FRAMES) {
      if (this.silentFrames === SILENCE_FRAMES) this.model.reset();
      keypoints.set(this.rest);
      keys.fill(0);
      return true;
    }
    this.model.step(this.features, this.pitch, keypoints);
    return false;
  }

  dispose(): void {
    this.model.dispose();
  }
}

/**
 * Loads the sound -> pianist model from its folder; rejects with PianistModelMissingError when the folder has no
 * config.json, with the model's own message when it is present but broken.
 */
export async function loadPianistListenModel(url: string = PIANIST_MODEL_URLS.audio2body, fetchFn: typeof fetch = (...a) => fetch(...a)): Promise<PianistListenModel> {
  if (!(await pianistModelInstalled(url, fetchFn))) throw new PianistModelMissingError('audio2body');
  const m = createAudio2BodyPiano(url);
  await m.load();
  return new Audio2BodyPianoListenModel(m);
}
