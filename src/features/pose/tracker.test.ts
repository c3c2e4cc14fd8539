import { describe, expect, it } from 'vitest';
import { createPoseTracker, DEFAULT_POSE_TRACKER_OPTIONS, fillPoseTrackerOptions } from './tracker';

describe('pose tracker options (the model itself runs in tests/browser/pose-reference.test.ts)', () => {
  it('has frozen defaults: BlazePose full from the app-served /mediapipe/pose', () => {
    expect(Object.isFrozen(DEFAULT_POSE_TRACKER_OPTIONS)).toBe(true);
    expect(fillPoseTrackerOptions()).toEqual({ modelType: 'full', solutionPath: '/mediapipe/pose', minPoseScore: 0.5, enableSmoothing: true });
    expect(Object.isFrozen(fillPoseTrackerOptions({ modelType: 'lite' }))).toBe(true);
  });

  it('keeps explicit falsy values (?? not ||)', () => {
    const o = fillPoseTrackerOptions({ minPoseScore: 0, enableSmoothing: false });
    expect(o.minPoseScore).toBe(0);
    expect(o.enableSmoothing).toBe(false);
  });

  it('rejects bad values with errors that list the valid ones', () => {
    expect(() => fillPoseTrackerOptions({ modelType: 'heavy' as 'full' })).toThrow(/modelType must be one of 'lite', 'full' \(got "heavy"\)/);
    expect(() => fillPoseTrackerOptions({ minPoseScore: 1.5 })).toThrow(/minPoseScore must be a number in \[0, 1\]/);
    expect(() => fillPoseTrackerOptions({ solutionPath: '' })).toThrow(/solutionPath must be a non-empty URL path/);
    expect(() => fillPoseTrackerOptions({ solutionPath: 'https://cdn.jsdelivr.net/npm/@mediapipe/pose' })).toThrow(/must be served by the app/);
    expect(fillPoseTrackerOptions({ solutionPath: 'http://127.0.0.1:5173/mediapipe/pose' }).solutionPath).toContain('127.0.0.1');
  });

  it('does no I/O when created and disposes safely twice', async () => {
    const t = createPoseTracker({ modelType: 'lite' });
    expect(t.options.modelType).toBe('lite');
    t.dispose();
    t.dispose();
    await expect(t.load()).rejects.toThrow(/after dispose/);
  });
});
