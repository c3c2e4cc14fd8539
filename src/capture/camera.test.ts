import { describe, expect, it } from 'vitest';
import { DEFAULT_CAMERA_OPTIONS, DEFAULT_VIDEO_FILE_OPTIONS, fillCameraOptions, fillVideoFileOptions } from './camera';

describe('video source options (the sources themselves run in tests/browser/pose-reference.test.ts)', () => {
  it('camera: frozen defaults, explicit values kept, bad values rejected with the valid range', () => {
    expect(Object.isFrozen(DEFAULT_CAMERA_OPTIONS)).toBe(true);
    expect(fillCameraOptions()).toEqual({ width: 640, height: 480, frameRate: 30, facingMode: 'user', deviceId: '' });
    expect(fillCameraOptions({ facingMode: 'environment', deviceId: 'abc' })).toMatchObject({ facingMode: 'environment', deviceId: 'abc' });
    expect(() => fillCameraOptions({ width: 8 })).toThrow(/width must be an integer in 16\.\.4096 pixels \(got 8\)/);
    expect(() => fillCameraOptions({ frameRate: 0 })).toThrow(/frameRate must be in 1\.\.120 Hz/);
    expect(() => fillCameraOptions({ facingMode: 'left' as 'user' })).toThrow(/facingMode must be 'user' or 'environment'/);
  });

  it('video file: needs a url, defaults loop and muted', () => {
    expect(Object.isFrozen(DEFAULT_VIDEO_FILE_OPTIONS)).toBe(true);
    expect(fillVideoFileOptions({ url: '/a.mp4' })).toEqual({ url: '/a.mp4', loop: true, muted: true });
    expect(fillVideoFileOptions({ url: '/a.mp4', loop: false }).loop).toBe(false);
    expect(() => fillVideoFileOptions({ url: '' })).toThrow(/url must be a non-empty string/);
  });
});
