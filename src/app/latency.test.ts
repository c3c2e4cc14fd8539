import { describe, expect, it } from 'vitest';
import { listenDisplayDelay, modelLagFrames, movementToSoundBudgetMs, smoothingDelayFrames, soundToSkeletonBudgetMs } from './latency';

describe('listen latency', () => {
  it('model lag is the lookahead unless the measured response lag is longer', () => {
    expect(smoothingDelayFrames(0)).toBe(0);
    expect(smoothingDelayFrames(0.5)).toBeCloseTo(1, 9);
    expect(modelLagFrames(1)).toBe(1);
    expect(modelLagFrames(1, 0)).toBe(1);
    expect(modelLagFrames(1, 3)).toBe(3);
    expect(listenDisplayDelay(1, 25)).toBeCloseTo(0.052, 9);
    expect(listenDisplayDelay(3, 25)).toBeCloseTo(0.132, 9);
  });
  it('budgets a lag of 1 frame at 25 fps and 60 Hz under 100 ms', () => {
    const b = soundToSkeletonBudgetMs(1, 25, 60);
    expect(b.total_ms).toBeCloseTo(20 + 40 + 12 + 8 + 1000 / 60, 6);
    expect(b.total_ms).toBeLessThan(100);
    expect(soundToSkeletonBudgetMs(2, 25, 60).total_ms).toBeGreaterThan(100);
  });
  it('budgets movement -> sound without the pose: a 30 fps camera frame, half a 25 fps model frame, then Duet and the context', () => {
    const b = movementToSoundBudgetMs({ modelFps: 25, modelMs: 1, schedulingMs: 10, baseLatencyMs: 10, outputLatencyMs: 30 });
    expect(b.camera_frame_ms).toBeCloseTo(1000 / 30, 9);
    expect(b.model_frame_wait_ms).toBe(20);
    expect(b.after_pose_ms).toBe(51);
    expect(b.excl_pose_ms).toBeCloseTo(1000 / 30 + 20 + 51, 9);
    // A 60 fps camera halves the first part.
    expect(movementToSoundBudgetMs({ modelFps: 25, modelMs: 1, schedulingMs: 10, baseLatencyMs: 10, outputLatencyMs: 30, cameraFps: 60 }).camera_frame_ms).toBeCloseTo(1000 / 60, 9);
  });
});
