import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURE_SPEC } from '../features/spec';
import { DEFAULT_PITCH_SPEC } from '../features/pitch';
import { PIANIST_DIM } from '../features/piano/layout';
import { pianistRestPose } from '../render/pianist-rest';
import type { Audio2BodyPianoConfig, Audio2BodyPianoModel } from '../models/audio2body-piano/model';
import { Audio2BodyPianoListenModel, SILENCE_FRAMES } from './pianist-listen-model';

/** A stand-in model: writes features[1] + pitch[0] to every keypoint value; counts steps and resets. */
function fakeModel() {
  const calls = { steps: 0, resets: 0 };
  const model: Audio2BodyPianoModel = {
    config: { fps: 25, featureSpec: DEFAULT_FEATURE_SPEC, pitchSpec: DEFAULT_PITCH_SPEC, lookahead: 2 } as unknown as Audio2BodyPianoConfig,
    delayFrames: 2,
    load: async () => undefined,
    step: (f, p, out) => {
      calls.steps++;
      out.fill(f[1] + p[0]);
      return out;
    },
    predictSequence: () => new Float32Array(0),
    reset: () => {
      calls.resets++;
    },
    dispose: () => undefined,
  };
  return { model, calls };
}

describe('Audio2BodyPianoListenModel', () => {
  it('splits the input frame into features and pitch bands, and rests after 12 frames of digital silence', () => {
    const { model, calls } = fakeModel();
    const m = new Audio2BodyPianoListenModel(model);
    expect(m.pitchSpec).toBe(DEFAULT_PITCH_SPEC);
    expect(m.delayFrames).toBe(2);
    const input = new Float32Array(41 + 88);
    const kp = new Float32Array(PIANIST_DIM);
    const keys = new Float32Array(88).fill(0.7);
    input[0] = -5; // log energy of a sounding frame
    input[1] = 2;
    input[41] = 0.5;
    expect(m.step(input, kp, keys)).toBe(false);
    expect(kp[10]).toBe(2.5);
    // Digital silence (log energy -23): the model runs for 11 frames, then the pianist rests (state cleared once).
    input[0] = -23.03;
    for (let i = 1; i < SILENCE_FRAMES; i++) expect(m.step(input, kp, keys)).toBe(false);
    expect(calls.steps).toBe(SILENCE_FRAMES);
    expect(m.step(input, kp, keys)).toBe(true);
    expect(m.step(input, kp, keys)).toBe(true);
    expect(calls.resets).toBe(1);
    expect(calls.steps).toBe(SILENCE_FRAMES);
    expect(Array.from(kp)).toEqual(Array.from(pianistRestPose()));
    expect(keys.every((k) => k === 0)).toBe(true);
    // Sound again: the model steps.
    input[0] = -6;
    expect(m.step(input, kp, keys)).toBe(false);
    expect(kp[0]).toBe(2.5);
    expect(() => m.step(new Float32Array(41), kp, keys)).toThrow(/129 input values/);
  });
});
