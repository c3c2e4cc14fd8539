/**
 * Pianist Listen end to end in Chromium with real piano sound on the fake microphone (models/audio2body-piano):
 * - two excerpts of held-out pieces (never seen in training; the split of the model's card), rendered at test time with
 *   the dataset generator's Salamander renderer: the 8 s window with the highest and the one with the lowest mean pitch
 *   among the held-out pieces. The Listen pianist's hands move toward the played register: the mean of the two wrists'
 *   x is closer to the notes' mean key x than the resting hands are, and the high excerpt puts the hands further right
 *   than the low one by at least a quarter of the register difference;
 * - ambi_piano.flac (a real recording): the hands move toward its register (estimated from its pitch bands: per frame
 *   the strongest band above a floor, median key x), and the live wrists agree with the model run offline on the same
 *   file (the app's streaming pipeline computes the model's function);
 * - digital silence leaves the hands near rest.
 * Every request stays on this machine. The screenshot of the high excerpt goes to docs/pianist-listen.png (README).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFeatures } from '../../src/features/extractor';
import { extractPitch } from '../../src/features/pitch';
import { KEYS, keyOf } from '../../src/features/piano/keyboard';
import { LEFT_HAND, PIANIST_DIM, RIGHT_HAND } from '../../src/features/piano/layout';
import { pianistRestPose } from '../../src/render/pianist-rest';
import { createAudio2BodyPiano } from '../../src/models/audio2body-piano/model';
import { initTfNode } from '../../training/lib/tf-node';
import { splitPieces } from '../../training/pianist/dataset';
import { excerpt, listPieces, readPianoMidi, type PianoNote } from '../../training/pianist/midi';
import { loadPianoRenderer, wavBytes } from '../../training/pianist/render';
import { duetState, startModes, startQuietServer, silentWav, waitForState } from './duet-page';
import { ARTIFACTS, launchBrowser, offMachineRequests, openPage, ROOT, SHARED_DATA, toFakeDeviceFile } from './harness';

const MODEL_DIR = join(ROOT, 'models', 'audio2body-piano');
const MIDI_DIR = join(SHARED_DATA, 'midi', 'classical-piano');
const AMBI = join(SHARED_DATA, 'music', 'ambi_piano.flac');
const haveAll = existsSync(join(MODEL_DIR, 'card.json')) && existsSync(join(MIDI_DIR, 'metadata.csv')) && existsSync(AMBI);

/** Excerpt length, s. */
const SECONDS = 8;
/** Model frames to wait for before reading the hands (4 s at 25 fps). */
const WARMUP_FRAMES = 100;
/**
 * Readings of the hands, and the time between them, ms: 28 x 200 ms spans two loops of ambi_piano.flac (2.81 s), so the
 * readings fall evenly over the loop and their mean compares with the offline mean over whole loops (12 x 400 ms left
 * the left wrist's mean 4-8 cm from it, depending on where in the loop the readings fell).
 */
const READINGS = 28;
const READING_MS = 200;
/** The high excerpt's hands are right of the low excerpt's by at least this fraction of the register difference. */
const MIN_SEPARATION_FRACTION = 0.25;
/** Live vs offline mean wrist x, cm. */
const MAX_LIVE_OFFLINE_CM = 4;
/** Sample rate the offline reference decodes at: the fake microphone's (48 kHz), resampled by our own feature code. */
const OFFLINE_RATE = 48000;
/** Copies of the recording the offline reference runs through (the fake microphone loops the file). */
const OFFLINE_LOOPS = 6;
/** Silence: each wrist's mean x within this distance of rest, cm. */
const MAX_SILENCE_FROM_REST_CM = 4;

interface Window {
  piece: string;
  from: number;
  notes: PianoNote[];
  meanMidi: number;
}

/** Duration-weighted mean key x (cm) of notes. */
function registerX(notes: readonly PianoNote[]): number {
  let s = 0;
  let w = 0;
  for (const n of notes) {
    const d = n.end - n.start;
    s += keyOf(n.midi).x * d;
    w += d;
  }
  return s / w;
}

/** Decodes a media file to mono float samples at `rate` (ffmpeg). */
function decode(file: string, rate: number): Float32Array {
  const b = execFileSync('ffmpeg', ['-loglevel', 'error', '-i', file, '-ac', '1', '-ar', String(rate), '-f', 'f32le', '-'], { maxBuffer: 1 << 28 });
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** Register of a recording from its pitch bands: per frame the strongest band if above `floor`, median key x. */
function registerFromBands(pitch: Float32Array, numFrames: number, floor = 1): number {
  const xs: number[] = [];
  for (let t = 0; t < numFrames; t++) {
    let best = -1;
    let v = floor;
    for (let b = 0; b < 88; b++) {
      if (pitch[t * 88 + b] > v) {
        v = pitch[t * 88 + b];
        best = b;
      }
    }
    if (best >= 0) xs.push(KEYS[best].x);
  }
  xs.sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)];
}

const mean = (a: readonly number[]): number => a.reduce((s, v) => s + v, 0) / a.length;

/** Runs Pianist Listen on the fake microphone fed by `wav`; returns the resting and the mean live wrist x. */
async function measure(url: string, wav: string, screenshot?: string) {
  const browser = await launchBrowser({ audioFile: wav });
  try {
    const { page, requests, logs } = await openPage(browser, `${url}/?model=pianist&listen=microphone&watch=off`);
    let s = await waitForState(page, (st) => (st.pianist?.framesRendered ?? 0) >= 2, 120_000, 'pianist view');
    const rest = s.pianist!.listenWristX;
    await startModes(page, 'microphone', 'off');
    s = await waitForState(page, (st) => (st.pianist?.listenFrames ?? 0) >= WARMUP_FRAMES || st.lastError !== '' || /Pianist Listen/.test(st.messages.join('\n')), 240_000, 'pianist Listen frames');
    const right: number[] = [];
    const left: number[] = [];
    for (let i = 0; i < READINGS; i++) {
      const st = await duetState(page);
      right.push(st.pianist!.listenWristX.right);
      left.push(st.pianist!.listenWristX.left);
      await page.waitForTimeout(READING_MS);
    }
    s = await duetState(page);
    if (screenshot) await page.screenshot({ path: screenshot });
    return { rest, right: mean(right), left: mean(left), centre: (mean(right) + mean(left)) / 2, state: s, requests, logs };
  } finally {
    await browser.close();
  }
}

describe.skipIf(!haveAll)('Pianist Listen in Chromium (real piano sound -> hands)', () => {
  let server: ViteDevServer;
  let url: string;
  let high: Window;
  let low: Window;
  let highWav = '';
  let lowWav = '';

  beforeAll(async () => {
    ({ server, url } = await startQuietServer());
    mkdirSync(ARTIFACTS, { recursive: true });
    // Held-out pieces of the shipped model's split; the 8 s windows (1 s steps, >= 24 notes) with extreme mean pitch.
    const card = JSON.parse(readFileSync(join(MODEL_DIR, 'card.json'), 'utf8')) as { data: { seed: number } };
    const pieces = listPieces(MIDI_DIR);
    const heldOut = new Set(splitPieces(pieces.map((p) => p.id), card.data.seed).test);
    const windows: Window[] = [];
    for (const p of pieces.filter((q) => heldOut.has(q.id))) {
      const midi = await readPianoMidi(p.path);
      for (let from = 2; from + SECONDS <= midi.duration; from += 1) {
        const notes = excerpt(midi.notes, from, SECONDS);
        if (notes.length >= 24) windows.push({ piece: p.id, from, notes, meanMidi: mean(notes.map((n) => n.midi)) });
      }
    }
    windows.sort((a, b) => a.meanMidi - b.meanMidi);
    low = windows[0];
    high = windows[windows.length - 1];
    const renderer = await loadPianoRenderer(22050);
    for (const [name, w] of [['high', high], ['low', low]] as const) {
      const audio = await renderer.render(w.notes, SECONDS);
      const raw = join(ARTIFACTS, `pianist-${name}-render.wav`);
      writeFileSync(raw, wavBytes(audio, renderer.sampleRate));
      const wav = toFakeDeviceFile(raw, 'audio');
      if (name === 'high') highWav = wav;
      else lowWav = wav;
    }
    console.log('held-out excerpts', JSON.stringify({ high: { piece: high.piece, from: high.from, meanMidi: high.meanMidi, x: registerX(high.notes) }, low: { piece: low.piece, from: low.from, meanMidi: low.meanMidi, x: registerX(low.notes) } }));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a rendered held-out recording moves the hands toward the played register (high right of low)', async () => {
    mkdirSync(join(ROOT, 'docs'), { recursive: true });
    const h = await measure(url, highWav, join(ROOT, 'docs', 'pianist-listen.png'));
    const l = await measure(url, lowWav, join(ARTIFACTS, 'pianist-listen-low.png'));
    const hx = registerX(high.notes);
    const lx = registerX(low.notes);
    console.log('pianist listen', JSON.stringify({ high: { ...h, state: undefined, requests: undefined, logs: undefined, register: hx }, low: { ...l, state: undefined, requests: undefined, logs: undefined, register: lx }, status: h.state.status }));
    for (const m of [h, l]) {
      expect(m.state.lastError, m.logs.join('\n')).toBe('');
      expect(m.state.pianist!.models.audio2body).toBe('loaded');
      expect(m.state.pianist!.running.listen).toBe(true);
      expect(m.state.pianist!.listenFrames).toBeGreaterThanOrEqual(WARMUP_FRAMES);
      expect(offMachineRequests(m.requests)).toEqual([]);
      // The latency panel estimates sound -> body for the pianist too.
      expect(m.state.latency.some((r) => r.key === 'sound-to-skeleton' && Number.isFinite(r.value)), JSON.stringify(m.state.latency)).toBe(true);
    }
    const restCentre = (h.rest.right + h.rest.left) / 2;
    expect(Math.abs(h.centre - hx)).toBeLessThan(Math.abs(restCentre - hx));
    expect(Math.abs(l.centre - lx)).toBeLessThan(Math.abs(restCentre - lx));
    expect(h.centre - l.centre).toBeGreaterThan(MIN_SEPARATION_FRACTION * (hx - lx));
    expect(h.right).toBeGreaterThan(l.right);
    expect(h.left).toBeGreaterThan(l.left);
  });

  it('ambi_piano.flac moves the hands toward its register as the offline model does; silence leaves them at rest', async () => {
    const a = await measure(url, toFakeDeviceFile(AMBI, 'audio'), join(ARTIFACTS, 'pianist-listen-ambi.png'));
    // Offline: the model on the same recording looped as the fake microphone loops it (OFFLINE_LOOPS copies back to back,
    // the state carried across), wrists averaged over the copies after the first, where the live readings are taken too;
    // at the level the app measured on its input (Chromium's fake microphone delivered this file at RMS 0.246 against
    // the file's 0.339, and the model hears level: the MFCCs and pitch bands are not level-normalized).
    await initTfNode();
    const once = decode(AMBI, OFFLINE_RATE);
    let ss = 0;
    for (let i = 0; i < once.length; i++) ss += once[i] * once[i];
    const fileRms = Math.sqrt(ss / once.length);
    const gain = a.state.pianist!.listenInputRms / fileRms;
    const samples = new Float32Array(once.length * OFFLINE_LOOPS);
    for (let k = 0; k < OFFLINE_LOOPS; k++) samples.set(once, k * once.length);
    for (let i = 0; i < samples.length; i++) samples[i] *= gain;
    const f = extractFeatures(samples, OFFLINE_RATE);
    const p = extractPitch(samples, OFFLINE_RATE);
    const n = Math.min(f.numFrames, p.numFrames);
    const model = createAudio2BodyPiano(MODEL_DIR);
    await model.load();
    const y = model.predictSequence(f.data, p.data, n);
    model.dispose();
    const skip = Math.floor(n / OFFLINE_LOOPS);
    const off = { right: 0, left: 0 };
    for (let t = skip; t < n; t++) {
      off.right += y[t * PIANIST_DIM + 3 * RIGHT_HAND] / (n - skip);
      off.left += y[t * PIANIST_DIM + 3 * LEFT_HAND] / (n - skip);
    }
    const register = registerFromBands(p.data, n);
    const rest = pianistRestPose();
    const silence = await measure(url, silentWav());
    console.log('pianist listen ambi/silence', JSON.stringify({ ambi: { rest: a.rest, right: a.right, left: a.left, centre: a.centre, offline: off, register, seconds: once.length / OFFLINE_RATE, inputRms: a.state.pianist!.listenInputRms, fileRms, gain }, silence: { right: silence.right, left: silence.left, rest: silence.rest } }));
    expect(a.state.lastError, a.logs.join('\n')).toBe('');
    expect(a.state.pianist!.listenFrames).toBeGreaterThanOrEqual(WARMUP_FRAMES);
    expect(Math.abs(a.centre - register)).toBeLessThan(Math.abs((a.rest.right + a.rest.left) / 2 - register));
    expect(Math.abs(a.right - off.right)).toBeLessThan(MAX_LIVE_OFFLINE_CM);
    expect(Math.abs(a.left - off.left)).toBeLessThan(MAX_LIVE_OFFLINE_CM);
    expect(offMachineRequests(a.requests)).toEqual([]);
    // The state's rest is the renderer's rest pose.
    expect(a.rest.right).toBeCloseTo(rest[3 * RIGHT_HAND], 3);
    expect(silence.state.lastError).toBe('');
    expect(silence.state.pianist!.listenFrames).toBeGreaterThanOrEqual(WARMUP_FRAMES);
    expect(Math.abs(silence.right - rest[3 * RIGHT_HAND])).toBeLessThan(MAX_SILENCE_FROM_REST_CM);
    expect(Math.abs(silence.left - rest[3 * LEFT_HAND])).toBeLessThan(MAX_SILENCE_FROM_REST_CM);
  });
});
