/**
 * The virtual pianist dataset: generation of one excerpt (MIDI -> played notes -> audio, features, keypoints, roll,
 * degraded view), the split by piece, and the on-disk format with its loader.
 *
 * On disk (`<out>/manifest.json` and one folder per excerpt, `<out>/<split>/<composer>__<file>/`), every array
 * little-endian, row-major, frame k = time k / fps (25 fps):
 * - `features.f32`  frames x 41: src/features/extractor.ts (frame k = audio window ending at k / fps);
 * - `pitch.f32`     frames x 88: src/features/pitch.ts semitone bands, same frame convention;
 * - `keypoints.f32` frames x 147: 49 keypoints (src/features/piano/layout.ts) x (x, y, z), pianist frame, cm;
 * - `view.f32`      frames x 147, `present.u8` frames: the degraded camera view (src/features/piano/view.ts);
 * - `roll.u8`, `onsets.u8`, `velocity.u8` frames x 88: src/features/piano/roll.ts;
 * - `notes.json`: the notes as played (midi, start, end, velocity, hand, finger), `audio.wav`: 22.05 kHz mono 16-bit;
 * - `meta.json`: excerpt, performer, camera, statistics.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { extractFeatures } from '../../src/features/extractor';
import { DEFAULT_FEATURE_SPEC } from '../../src/features/spec';
import { DEFAULT_PITCH_SPEC, extractPitch } from '../../src/features/pitch';
import { NUM_KEYS } from '../../src/features/piano/keyboard';
import { PIANIST_DIM, PIANIST_KEYPOINT_NAMES } from '../../src/features/piano/layout';
import { createRng, seedFrom, type Rng } from '../../src/features/piano/random';
import { pianoRoll } from '../../src/features/piano/roll';
import { degradeSequence, type CameraPose } from '../../src/features/piano/view';
import { fingerPiece, type FingeredNote, type PlayabilityStats } from './fingering';
import { performPiano, randomPianist, type KinematicStats, type PianistParams } from './kinematics';
import { excerpt, readPianoMidi, type PieceInfo } from './midi';
import { wavBytes, type PianoRenderer } from './render';

/** Format version written to the manifest; bump when files change meaning. */
export const DATASET_VERSION = 1;
export const FPS = DEFAULT_FEATURE_SPEC.fps;
export const FEATURE_DIM = DEFAULT_FEATURE_SPEC.names.length;
export const PITCH_DIM = DEFAULT_PITCH_SPEC.bands;

/** Split of all pieces by id: `test` never appears in training. */
export interface PieceSplit {
  train: string[];
  test: string[];
}

/** Seeded shuffle (Fisher-Yates). */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Holds out `fraction` of the pieces (by id, seeded); both lists sorted. */
export function splitPieces(ids: readonly string[], seed: number, fraction = 0.1): PieceSplit {
  const order = shuffled([...ids].sort(), createRng(seedFrom(seed, 'split')));
  const n = Math.max(1, Math.round(ids.length * fraction));
  return { test: order.slice(0, n).sort(), train: order.slice(n).sort() };
}

/** One generated excerpt in memory. */
export interface PianistExcerpt {
  id: string;
  split: 'train' | 'test';
  /** Start of the excerpt in the piece, s. */
  from: number;
  seconds: number;
  numFrames: number;
  notes: FingeredNote[];
  audio: Float32Array;
  sampleRate: number;
  features: Float32Array;
  pitch: Float32Array;
  keypoints: Float32Array;
  view: Float32Array;
  present: Uint8Array;
  roll: Uint8Array;
  onsets: Uint8Array;
  velocity: Uint8Array;
  meta: ExcerptMeta;
}

/** meta.json of an excerpt. */
export interface ExcerptMeta {
  id: string;
  composer: string;
  title: string;
  split: 'train' | 'test';
  from: number;
  seconds: number;
  frames: number;
  notes: number;
  handSource: string;
  playability: PlayabilityStats;
  kinematics: KinematicStats;
  pianist: PianistParams;
  camera: CameraPose;
  depth: boolean;
  /** Seconds spent per stage (not part of the deterministic content). */
  timing?: Record<string, number>;
}

/** Chooses the excerpt start: seeded, inside the piece, skipping its first 2 s when it is long enough. */
export function excerptStart(duration: number, seconds: number, rng: Rng): number {
  const lo = Math.min(2, Math.max(0, duration - seconds));
  const hi = Math.max(lo, duration - seconds - 1);
  return Math.round((lo + (hi - lo) * rng()) * 100) / 100;
}

/** Generates one excerpt of `seconds` (or less if the piece is shorter) of a piece, deterministic for `seed`. */
export async function generateExcerpt(piece: PieceInfo, split: 'train' | 'test', seconds: number, seed: number, renderer: PianoRenderer): Promise<PianistExcerpt> {
  const timing: Record<string, number> = {};
  let t = performance.now();
  let cpu = process.cpuUsage();
  // Wall seconds per stage, and CPU seconds of this process (all its threads, the audio render thread included).
  const lap = (name: string): void => {
    const now = performance.now();
    const c = process.cpuUsage(cpu);
    timing[name] = Math.round(now - t) / 1000;
    timing[`cpu_${name}`] = Math.round((c.user + c.system) / 1000) / 1000;
    t = now;
    cpu = process.cpuUsage();
  };
  const rng = createRng(seedFrom(seed, piece.id));
  const midi = await readPianoMidi(piece.path);
  const len = Math.min(seconds, Math.floor(midi.duration * FPS) / FPS);
  const from = excerptStart(midi.duration, len, rng);
  const numFrames = Math.round(len * FPS);
  const secondsOut = numFrames / FPS;
  const raw = excerpt(midi.notes, from, secondsOut);
  const fingered = fingerPiece(raw);
  lap('fingering');
  const pianist = randomPianist(rng);
  const perf = performPiano(fingered.notes, numFrames, FPS, pianist);
  lap('kinematics');
  const audio = await renderer.render(perf.notes, secondsOut);
  lap('render');
  const fb = extractFeatures(audio, renderer.sampleRate);
  const pb = extractPitch(audio, renderer.sampleRate);
  // Frame k of the features covers the audio up to k / fps; keep frames 0..numFrames-1.
  const features = fb.data.slice(0, numFrames * FEATURE_DIM);
  const pitch = pb.data.slice(0, numFrames * PITCH_DIM);
  if (fb.numFrames < numFrames || pb.numFrames < numFrames) throw new Error(`${piece.id}: ${fb.numFrames} feature frames for ${numFrames} frames`);
  lap('features');
  const roll = pianoRoll(perf.notes, numFrames, FPS);
  const view = degradeSequence(perf.keypoints, numFrames, createRng(seedFrom(seed, `view:${piece.id}`)));
  lap('roll+view');
  const meta: ExcerptMeta = {
    id: piece.id,
    composer: piece.composer,
    title: piece.title,
    split,
    from,
    seconds: secondsOut,
    frames: numFrames,
    notes: perf.notes.length,
    handSource: midi.handSource,
    playability: fingered.stats,
    kinematics: perf.stats,
    pianist,
    camera: view.pose,
    depth: view.depth,
    timing,
  };
  return {
    id: piece.id,
    split,
    from,
    seconds: secondsOut,
    numFrames,
    notes: perf.notes,
    audio,
    sampleRate: renderer.sampleRate,
    features,
    pitch,
    keypoints: perf.keypoints,
    view: view.points,
    present: view.present,
    roll: roll.sounding,
    onsets: roll.onsets,
    velocity: roll.velocity,
    meta,
  };
}

/** Folder name of an excerpt inside its split folder. */
export function excerptDir(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]+/g, '__');
}

function bytes(a: Float32Array | Uint8Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Writes an excerpt's files under `<out>/<split>/<dir>/`; returns the folder relative to `out`. */
export function writeExcerpt(out: string, e: PianistExcerpt): string {
  const rel = join(e.split, excerptDir(e.id));
  const dir = join(out, rel);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'features.f32'), bytes(e.features));
  writeFileSync(join(dir, 'pitch.f32'), bytes(e.pitch));
  writeFileSync(join(dir, 'keypoints.f32'), bytes(e.keypoints));
  writeFileSync(join(dir, 'view.f32'), bytes(e.view));
  writeFileSync(join(dir, 'present.u8'), bytes(e.present));
  writeFileSync(join(dir, 'roll.u8'), bytes(e.roll));
  writeFileSync(join(dir, 'onsets.u8'), bytes(e.onsets));
  writeFileSync(join(dir, 'velocity.u8'), bytes(e.velocity));
  const notes = e.notes.map((n) => ({ midi: n.midi, start: round6(n.start), end: round6(n.end), velocity: n.velocity, hand: n.hand, finger: n.finger }));
  writeFileSync(join(dir, 'notes.json'), JSON.stringify(notes));
  const { timing: _timing, ...meta } = e.meta;
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta, null, 1));
  writeFileSync(join(dir, 'audio.wav'), wavBytes(e.audio, e.sampleRate));
  return rel;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** manifest.json. */
export interface PianistManifest {
  version: number;
  seed: number;
  fps: number;
  /** Seconds per excerpt requested (shorter pieces give shorter excerpts). */
  secondsPerPiece: number;
  source: string;
  /** Split of every piece in the source (not only the generated ones). */
  split: PieceSplit;
  dims: { features: number; pitch: number; keypoints: number; keys: number };
  featureNames: readonly string[];
  pitchSpec: typeof DEFAULT_PITCH_SPEC;
  keypointNames: readonly string[];
  excerpts: { id: string; split: 'train' | 'test'; dir: string; from: number; seconds: number; frames: number; notes: number }[];
  totals: { train: { excerpts: number; seconds: number; frames: number; notes: number }; test: { excerpts: number; seconds: number; frames: number; notes: number } };
}

/** Builds the manifest of generated excerpts. */
export function buildManifest(seed: number, secondsPerPiece: number, source: string, split: PieceSplit, excerpts: PianistManifest['excerpts']): PianistManifest {
  const tot = (s: 'train' | 'test') => {
    const e = excerpts.filter((x) => x.split === s);
    return { excerpts: e.length, seconds: e.reduce((a, x) => a + x.seconds, 0), frames: e.reduce((a, x) => a + x.frames, 0), notes: e.reduce((a, x) => a + x.notes, 0) };
  };
  return {
    version: DATASET_VERSION,
    seed,
    fps: FPS,
    secondsPerPiece,
    source,
    split,
    dims: { features: FEATURE_DIM, pitch: PITCH_DIM, keypoints: PIANIST_DIM, keys: NUM_KEYS },
    featureNames: DEFAULT_FEATURE_SPEC.names,
    pitchSpec: DEFAULT_PITCH_SPEC,
    keypointNames: PIANIST_KEYPOINT_NAMES,
    excerpts,
    totals: { train: tot('train'), test: tot('test') },
  };
}

/** An excerpt loaded from disk. */
export interface LoadedExcerpt {
  id: string;
  split: 'train' | 'test';
  numFrames: number;
  features: Float32Array;
  pitch: Float32Array;
  keypoints: Float32Array;
  view: Float32Array;
  present: Uint8Array;
  roll: Uint8Array;
  onsets: Uint8Array;
  velocity: Uint8Array;
  notes: FingeredNote[];
  meta: ExcerptMeta;
  /** Folder, for audio.wav. */
  dir: string;
}

/** Default dataset folder: <project>/.cache/pianist. */
export function defaultDatasetDir(root: string): string {
  return resolve(root, '.cache', 'pianist');
}

/** Reads manifest.json of a dataset folder. */
export function readManifest(dir: string): PianistManifest {
  const p = join(dir, 'manifest.json');
  if (!existsSync(p)) throw new Error(`no pianist dataset at ${dir} (run npm run data:pianist)`);
  return JSON.parse(readFileSync(p, 'utf8')) as PianistManifest;
}

function f32(p: string): Float32Array {
  const b = readFileSync(p);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
function u8(p: string): Uint8Array {
  return new Uint8Array(readFileSync(p));
}

/** Loads one excerpt listed in the manifest, checking every array's length against its frame count. */
export function loadExcerpt(datasetDir: string, entry: PianistManifest['excerpts'][number]): LoadedExcerpt {
  const dir = join(datasetDir, entry.dir);
  const n = entry.frames;
  const e: LoadedExcerpt = {
    id: entry.id,
    split: entry.split,
    numFrames: n,
    features: f32(join(dir, 'features.f32')),
    pitch: f32(join(dir, 'pitch.f32')),
    keypoints: f32(join(dir, 'keypoints.f32')),
    view: f32(join(dir, 'view.f32')),
    present: u8(join(dir, 'present.u8')),
    roll: u8(join(dir, 'roll.u8')),
    onsets: u8(join(dir, 'onsets.u8')),
    velocity: u8(join(dir, 'velocity.u8')),
    notes: JSON.parse(readFileSync(join(dir, 'notes.json'), 'utf8')) as FingeredNote[],
    meta: JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as ExcerptMeta,
    dir,
  };
  const want: [string, number, number][] = [
    ['features', e.features.length, n * FEATURE_DIM],
    ['pitch', e.pitch.length, n * PITCH_DIM],
    ['keypoints', e.keypoints.length, n * PIANIST_DIM],
    ['view', e.view.length, n * PIANIST_DIM],
    ['present', e.present.length, n],
    ['roll', e.roll.length, n * NUM_KEYS],
    ['onsets', e.onsets.length, n * NUM_KEYS],
    ['velocity', e.velocity.length, n * NUM_KEYS],
  ];
  for (const [name, got, exp] of want) if (got !== exp) throw new Error(`${entry.id}: ${name} has ${got} values, expected ${exp}`);
  return e;
}

/** Loads all excerpts of a split. */
export function loadSplit(datasetDir: string, split: 'train' | 'test'): LoadedExcerpt[] {
  const m = readManifest(datasetDir);
  return m.excerpts.filter((x) => x.split === split).map((x) => loadExcerpt(datasetDir, x));
}
