/**
 * Checks a generated pianist dataset and prints JSON: `npx tsx training/pianist/check.ts [--data .cache/pianist]`.
 *
 * - notes: played / in the MIDI excerpts / dropped / released early; stretched finger chains (from meta.json);
 * - wristPitchCorr: per hand, correlation of the wrist's x with the mean pitch of the hand's sounding notes (frames where
 *   it plays), the ground truth behind audio2body-piano's wrist_x_pitch_corr;
 * - onsetAlignment: at onset frames k0 after three frames without onsets, the mean rise of the audio onset feature over
 *   k0..k0+2 (from k0-1), and the same measured two frames early (k0-2..k0-1 from k0-3);
 * - view: mean x-y distance (cm) of the degraded view from the clean keypoints (present frames, all keypoints and hand
 *   landmarks only), and the fraction of missing frames.
 */
import { join, resolve } from 'node:path';
import { FEATURE_INDEX } from '../../src/features/spec';
import { NUM_KEYS } from '../../src/features/piano/keyboard';
import { LEFT_HAND, NUM_BODY_JOINTS, NUM_PIANIST_KEYPOINTS, PIANIST_DIM, RIGHT_HAND } from '../../src/features/piano/layout';
import { ROOT, parseArgs } from '../lib/dance-data';
import { FEATURE_DIM, loadExcerpt, readManifest } from './dataset';

const args = parseArgs(process.argv.slice(2));
const dir = resolve(args.data ?? join(ROOT, '.cache', 'pianist'));
const m = readManifest(dir);

function corr(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    sa += (a[i] - ma) ** 2;
    sb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(sa * sb);
}

const wx: Record<'r' | 'l', number[]> = { r: [], l: [] };
const wp: Record<'r' | 'l', number[]> = { r: [], l: [] };
const notes = { played: 0, input: 0, dropped: 0, releasedEarly: 0 };
let pressed = 0;
let stretched = 0;
let over10 = 0;
let rise = 0;
let early = 0;
let isolated = 0;
let viewAll = 0;
let viewHands = 0;
let nAll = 0;
let nHands = 0;
let missing = 0;
let frames = 0;
for (const entry of m.excerpts) {
  const e = loadExcerpt(dir, entry);
  const n = e.numFrames;
  frames += n;
  notes.played += e.notes.length;
  notes.input += e.meta.playability.notes;
  notes.dropped += e.meta.playability.dropped;
  notes.releasedEarly += e.meta.playability.truncated + e.meta.kinematics.leapTruncated;
  pressed += e.meta.kinematics.pressedFingerFrames;
  stretched += e.meta.kinematics.stretchedFingerFrames;
  over10 += e.meta.kinematics.stretchedOver10 ?? 0;
  for (const [h, base] of [
    ['r', RIGHT_HAND],
    ['l', LEFT_HAND],
  ] as const) {
    for (let k = 0; k < n; k++) {
      let s = 0;
      let c = 0;
      for (const note of e.notes) {
        if (note.hand === h && note.start <= k / m.fps && k / m.fps < note.end) {
          s += note.midi;
          c++;
        }
      }
      if (c === 0) continue;
      wx[h].push(e.keypoints[k * PIANIST_DIM + base * 3]);
      wp[h].push(s / c);
    }
  }
  const onset = (k: number): number => e.features[k * FEATURE_DIM + FEATURE_INDEX.onset];
  const any = (k: number): boolean => {
    for (let j = 0; j < NUM_KEYS; j++) if (e.onsets[k * NUM_KEYS + j]) return true;
    return false;
  };
  for (let k = 5; k < n - 2; k++) {
    if (!any(k) || any(k - 1) || any(k - 2) || any(k - 3)) continue;
    rise += Math.max(onset(k), onset(k + 1), onset(k + 2)) - onset(k - 1);
    early += Math.max(onset(k - 2), onset(k - 1)) - onset(k - 3);
    isolated++;
  }
  for (let k = 0; k < n; k++) {
    if (!e.present[k]) {
      missing++;
      continue;
    }
    for (let j = 0; j < NUM_PIANIST_KEYPOINTS; j++) {
      const o = k * PIANIST_DIM + j * 3;
      const d = Math.hypot(e.view[o] - e.keypoints[o], e.view[o + 1] - e.keypoints[o + 1]);
      viewAll += d;
      nAll++;
      if (j >= NUM_BODY_JOINTS) {
        viewHands += d;
        nHands++;
      }
    }
  }
}
const r3 = (x: number): number => Math.round(x * 1000) / 1000;
console.log(
  JSON.stringify({
    data: dir,
    excerpts: m.excerpts.length,
    frames,
    notes,
    stretchedFingerFrameRate: r3(stretched / pressed),
    stretchedOver10PercentRate: r3(over10 / pressed),
    wristPitchCorr: { r: r3(corr(wx.r, wp.r)), l: r3(corr(wx.l, wp.l)) },
    onsetAlignment: { isolatedOnsets: isolated, riseAtOnset: r3(rise / isolated), riseTwoFramesEarly: r3(early / isolated) },
    view: { meanXyErrorCm: r3(viewAll / nAll), meanXyErrorHandsCm: r3(viewHands / nHands), missingFrameRate: r3(missing / frames) },
  }),
);
