/**
 * Pianist Listen's model: the {@link PianistListenModel} plug point over models/audio2body-piano
 * (src/models/audio2body-piano/model.ts): input frames of 41 audio features followed by 88 pitch bands, 49 keypoints
 * out; keys are left to the app (lit under touching fingertips).
 */
import { createAudio2BodyPiano, PIANO_FEATURE_DIM, PIANO_INPUT_DIM, PIANO_PITCH_DIM, type Audio2BodyPianoModel } from '../models/audio2body-piano/model';
import { PIANIST_MODEL_URLS, PianistModelMissingError, pianistModelInstalled, type PianistListenModel } from './pianist-models';

/** Adapts a loaded Audio2BodyPianoModel to the app's PianistListenModel (no allocation per step). */
export class Audio2BodyPianoListenModel implements PianistListenModel {
  private readonly features = new Float32Array(PIANO_FEATURE_DIM);
  private readonly pitch = new Float32Array(PIANO_PITCH_DIM);

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
  }

  step(input: Float32Array, keypoints: Float32Array, _keys: Float32Array): boolean {
    if (input.length !== PIANO_INPUT_DIM) throw new Error(`pianist listen model: expected ${PIANO_INPUT_DIM} input values (features + pitch bands), got ${input.length}`);
    for (let i = 0; i < PIANO_FEATURE_DIM; i++) this.features[i] = input[i];
    for (let i = 0; i < PIANO_PITCH_DIM; i++) this.pitch[i] = input[PIANO_FEATURE_DIM + i];
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
