import { describe, expect, it } from 'vitest';
import { QUIET_LEVEL_Z, postureReadout } from './listen';

describe('postureReadout', () => {
  const posture = { classes: ['latin', 'standard'], probs: Float64Array.of(0.17, 0.83) };

  it('names the most probable class with its probability', () => {
    expect(postureReadout(posture, 0)).toBe('standard 83%');
    expect(postureReadout({ ...posture, probs: Float64Array.of(0.5, 0.5) }, -1)).toBe('latin 50%');
  });

  it('says the input is quiet below the level threshold (digital silence is near -9.4 sd)', () => {
    expect(postureReadout(posture, QUIET_LEVEL_Z - 0.01)).toBe('none (quiet input)');
    expect(postureReadout(posture, -9.4)).toBe('none (quiet input)');
    expect(postureReadout(posture, QUIET_LEVEL_Z)).toBe('standard 83%');
  });

  it('is empty without a posture stage', () => {
    expect(postureReadout(null, 0)).toBe('');
  });
});
