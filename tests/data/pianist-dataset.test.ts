/**
 * The virtual pianist dataset on real MIDI: two short excerpts (one from the classical-piano collection, one from
 * skeleton-pianist), rendered with the Salamander samples; shapes, alignment of the piano roll with the audio features
 * and the keypoints, the on-disk round trip, and determinism.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_INDEX } from '../../src/features/spec';
import { KEY_DIP, NUM_KEYS, keyOf } from '../../src/features/piano/keyboard';
import { FINGERTIPS, LEFT_HAND, PIANIST_DIM, RIGHT_HAND } from '../../src/features/piano/layout';
import { ROOT } from '../../training/lib/dance-data';
import { FEATURE_DIM, PITCH_DIM, buildManifest, generateExcerpt, loadExcerpt, writeExcerpt, type PianistExcerpt } from '../../training/pianist/dataset';
import { listPieces, type PieceInfo } from '../../training/pianist/midi';
import { loadPianoRenderer, type PianoRenderer } from '../../training/pianist/render';

const DATA = join(ROOT, '..', 'shared', 'data', 'midi');
const SECONDS = 8;
const SEED = 3;

const pieces: PieceInfo[] = [];
let renderer: PianoRenderer;
const excerpts: PianistExcerpt[] = [];
let out = '';

beforeAll(async () => {
  const classical = listPieces(join(DATA, 'classical-piano')).find((p) => p.id === 'Mozart/mz_545_1');
  if (!classical) throw new Error('Mozart/mz_545_1 missing from classical-piano/metadata.csv');
  pieces.push(classical, { id: 'skeleton-pianist/Bach_FrenchSuite_1', composer: 'Bach', title: 'French Suite 1', path: join(DATA, 'skeleton-pianist', 'Bach_FrenchSuite_1.mid'), duration: 0 });
  renderer = await loadPianoRenderer(22050);
  for (const p of pieces) excerpts.push(await generateExcerpt(p, 'test', SECONDS, SEED, renderer));
  out = mkdtempSync(join(tmpdir(), 'pianist-'));
});

afterAll(() => {
  if (out && existsSync(out)) rmSync(out, { recursive: true, force: true });
});

describe('pianist dataset (2 real MIDI files)', () => {
  it('has frame-aligned arrays of the documented shapes', () => {
    for (const e of excerpts) {
      const n = SECONDS * 25;
      expect(e.numFrames).toBe(n);
      expect(e.features.length).toBe(n * FEATURE_DIM);
      expect(e.pitch.length).toBe(n * PITCH_DIM);
      expect(e.keypoints.length).toBe(n * PIANIST_DIM);
      expect(e.view.length).toBe(n * PIANIST_DIM);
      expect(e.present.length).toBe(n);
      expect(e.roll.length).toBe(n * NUM_KEYS);
      expect(e.audio.length).toBe(SECONDS * 22050);
      expect(e.notes.length).toBeGreaterThan(10);
      expect(e.onsets.reduce((s, v) => s + v, 0)).toBe(e.notes.length);
      for (const v of e.features) expect(Number.isFinite(v)).toBe(true);
    }
  });

  it('onset frames line up with the audio onset feature: it rises at the onset frame or the next two, not before', () => {
    // The feature of frame k compares the windows ending at k / fps and (k - 1) / fps, so a note whose onset frame is
    // k0 (start in ((k0 - 1) / fps, k0 / fps]) raises it at k0..k0 + 2 as the note enters the 93 ms window.
    let at = 0;
    let early = 0;
    let n = 0;
    for (const e of excerpts) {
      const onset = (k: number): number => e.features[k * FEATURE_DIM + FEATURE_INDEX.onset];
      const any = (k: number): boolean => {
        for (let j = 0; j < NUM_KEYS; j++) if (e.onsets[k * NUM_KEYS + j]) return true;
        return false;
      };
      // Onset frames after three frames without onsets.
      for (let k = 5; k < e.numFrames - 2; k++) {
        if (!any(k) || any(k - 1) || any(k - 2) || any(k - 3)) continue;
        at += Math.max(onset(k), onset(k + 1), onset(k + 2)) - onset(k - 1);
        early += Math.max(onset(k - 2), onset(k - 1)) - onset(k - 3);
        n++;
      }
    }
    console.log(`${n} isolated onsets: mean rise ${(at / n).toFixed(2)} at k0..k0+2, ${(early / n).toFixed(2)} at k0-2..k0-1`);
    expect(n).toBeGreaterThan(5);
    expect(at / n).toBeGreaterThan(1);
    expect(at / n).toBeGreaterThan(3 * Math.max(0, early / n));
  });

  it('pitch bands are higher on sounding keys than on silent ones', () => {
    for (const e of excerpts) {
      let on = 0;
      let nOn = 0;
      let off = 0;
      let nOff = 0;
      for (let k = 5; k < e.numFrames; k++) {
        for (let j = 0; j < NUM_KEYS; j++) {
          const v = e.pitch[k * PITCH_DIM + j];
          if (e.roll[(k - 2) * NUM_KEYS + j] && e.roll[k * NUM_KEYS + j]) (on += v), nOn++;
          else if (!e.roll[k * NUM_KEYS + j]) (off += v), nOff++;
        }
      }
      expect(on / nOn).toBeGreaterThan(1.5 * (off / nOff));
    }
  });

  it('a fingertip presses every sounding key of the roll, and only those', () => {
    for (const e of excerpts) {
      for (let k = 0; k < e.numFrames; k++) {
        const pressed = new Set<number>();
        for (const base of [RIGHT_HAND, LEFT_HAND]) {
          for (const t of FINGERTIPS) {
            const o = k * PIANIST_DIM + (base + t) * 3;
            const y = e.keypoints[o + 1];
            if (y > 0.25) continue; // lifted (idle fingertips stay >= 0.3 cm above the keys)
            const x = e.keypoints[o];
            const z = e.keypoints[o + 2];
            let found = -1;
            for (let j = 0; j < NUM_KEYS; j++) {
              const key = keyOf(21 + j);
              if (Math.abs(key.x - x) < 1e-3 && Math.abs(key.top - KEY_DIP - y) < 1e-3 && Math.abs(key.pressZ - z) < 1e-3) found = j;
            }
            expect(found).toBeGreaterThanOrEqual(0);
            pressed.add(found);
          }
        }
        const sounding = new Set<number>();
        for (let j = 0; j < NUM_KEYS; j++) if (e.roll[k * NUM_KEYS + j]) sounding.add(j);
        expect([...pressed].sort()).toEqual([...sounding].sort());
      }
    }
  });

  it('writes and loads back the same arrays; the manifest lists the excerpts', () => {
    const entries = excerpts.map((e) => ({ id: e.id, split: e.split, dir: writeExcerpt(out, e), from: e.from, seconds: e.seconds, frames: e.numFrames, notes: e.notes.length }));
    const m = buildManifest(SEED, SECONDS, DATA, { train: [], test: pieces.map((p) => p.id) }, entries);
    expect(m.totals.test.frames).toBe(2 * SECONDS * 25);
    for (const [i, entry] of entries.entries()) {
      const l = loadExcerpt(out, entry);
      expect(Buffer.from(l.keypoints.buffer).equals(Buffer.from(excerpts[i].keypoints.buffer))).toBe(true);
      expect(Buffer.from(l.features.buffer).equals(Buffer.from(excerpts[i].features.buffer))).toBe(true);
      expect(Buffer.from(l.roll).equals(Buffer.from(excerpts[i].roll))).toBe(true);
      expect(l.notes.length).toBe(excerpts[i].notes.length);
      expect(existsSync(join(l.dir, 'audio.wav'))).toBe(true);
    }
  });

  it('is deterministic for a seed (audio features and keypoints)', async () => {
    const again = await generateExcerpt(pieces[0], 'test', SECONDS, SEED, renderer);
    expect(Buffer.from(again.keypoints.buffer).equals(Buffer.from(excerpts[0].keypoints.buffer))).toBe(true);
    expect(Buffer.from(again.view.buffer).equals(Buffer.from(excerpts[0].view.buffer))).toBe(true);
    let maxDiff = 0;
    for (let i = 0; i < again.features.length; i++) maxDiff = Math.max(maxDiff, Math.abs(again.features[i] - excerpts[0].features[i]));
    expect(maxDiff).toBeLessThan(1e-4);
  });
});
