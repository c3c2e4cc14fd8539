import { describe, expect, it } from 'vitest';
import { CaptureError, fillAudioCaptureOptions, mediaError, RAW_AUDIO_CONSTRAINTS } from './audio';

const onSamples = (): void => undefined;

describe('fillAudioCaptureOptions', () => {
  it('fills defaults and range-checks with the valid values in the message', () => {
    const o = fillAudioCaptureOptions({ input: { kind: 'microphone' }, onSamples });
    expect(o.quantaPerBatch).toBe(2);
    expect(o.playbackDelay).toBe(0);
    expect(o.loop).toBe(true);
    expect(() => fillAudioCaptureOptions({ input: { kind: 'microphone' }, onSamples, quantaPerBatch: 0 })).toThrow(/1\.\.64/);
    expect(() => fillAudioCaptureOptions({ input: { kind: 'microphone' }, onSamples, playbackDelay: 3 })).toThrow(/0\.\.2/);
    expect(() => fillAudioCaptureOptions({ input: { kind: 'line-in' } as never, onSamples })).toThrow(/'microphone' or 'file'/);
  });
});

describe('mediaError', () => {
  it('turns getUserMedia errors into messages a performer understands', () => {
    const denied = mediaError(Object.assign(new Error('Permission denied'), { name: 'NotAllowedError' }), 'microphone');
    expect(denied).toBeInstanceOf(CaptureError);
    expect(denied.reason).toBe('denied');
    expect(denied.message).toMatch(/Permission to use the microphone was denied/);
    const none = mediaError(Object.assign(new Error('Requested device not found'), { name: 'NotFoundError' }), 'camera');
    expect(none.reason).toBe('no-device');
    expect(none.message).toMatch(/No camera was found/);
    const busy = mediaError(Object.assign(new Error('Could not start'), { name: 'NotReadableError' }), 'camera');
    expect(busy.reason).toBe('no-device');
  });
});

describe('RAW_AUDIO_CONSTRAINTS', () => {
  it('turns off every voice-call processing step', () => {
    expect(RAW_AUDIO_CONSTRAINTS).toMatchObject({ echoCancellation: false, noiseSuppression: false, autoGainControl: false });
  });
});
