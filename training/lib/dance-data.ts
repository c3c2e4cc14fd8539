import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractFeatures } from '../../src/features/extractor';
import { DEFAULT_FEATURE_SPEC } from '../../src/features/spec';
import { POSE_DIM } from '../../src/features/skeleton';
import type { Style } from '../../src/types';
import { decodeAudioFile } from './audio-file';

/** Project root (two levels above this file). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Default data folder: ../shared/data/dance-with-melody next to the project. */
export const DEFAULT_DANCE_DIR = resolve(ROOT, '..', 'shared', 'data', 'dance-with-melody');

/**
 * Held-out dances (by name): 6 of 39 (15.4%), covering cha-cha, rumba and waltz. Includes the 4 validation dances the
 * data README measured (C_2, R_3, W_10, W_21). The only tango (T_5) stays in training so the style exists there.
 */
export const HELD_OUT = Object.freeze(['DANCE_C_2', 'DANCE_R_3', 'DANCE_R_7', 'DANCE_W_10', 'DANCE_W_21', 'DANCE_W_5']);

const STYLE_BY_LETTER: Record<string, Style> = { C: 'cha-cha', R: 'rumba', T: 'tango', W: 'waltz' };

/** One dance: music features aligned frame by frame with the 3D skeleton. */
export interface Dance {
  name: string;
  style: Style;
  dir: string;
  fps: number;
  /** Skeleton frames. */
  numFrames: number;
  /** Raw skeleton, cm, relative to the capture root, y up: numFrames x 69. */
  poses: Float32Array;
  /** Audio features for the same frames: numFrames x featureDim (feature frame start_position + i). */
  features: Float32Array;
  featureDim: number;
  /** Audio frame (at fps) of skeleton frame 0. */
  startPosition: number;
}

/** Dance folder names (`DANCE_<style>_<n>`) in a data folder, sorted. */
export function listDances(dataDir: string): string[] {
  return readdirSync(dataDir)
    .filter((n) => /^DANCE_[A-Z]_\d+$/.test(n) && existsSync(join(dataDir, n, 'skeletons.json')))
    .sort();
}

/** Style of a dance folder name. */
export function styleOf(name: string): Style {
  const s = STYLE_BY_LETTER[name.split('_')[1]];
  if (!s) throw new Error(`unknown style letter in ${name} (valid: ${Object.keys(STYLE_BY_LETTER).join(', ')})`);
  return s;
}

/** Hash of the feature code and spec: a cached feature file is reused only while this is unchanged. */
function featureCodeHash(): string {
  const h = createHash('sha1');
  for (const f of ['extractor.ts', 'spec.ts', 'resample.ts']) h.update(readFileSync(join(ROOT, 'src', 'features', f)));
  h.update(JSON.stringify(DEFAULT_FEATURE_SPEC));
  return h.digest('hex').slice(0, 12);
}

/** Features of a whole audio file (all frames), cached under .cache/features keyed by file and feature code. */
export async function audioFileFeatures(path: string): Promise<{ data: Float32Array; numFrames: number; dim: number }> {
  const dim = DEFAULT_FEATURE_SPEC.names.length;
  const key = createHash('sha1').update(resolve(path)).update(featureCodeHash()).digest('hex').slice(0, 16);
  const cacheFile = join(ROOT, '.cache', 'features', `${key}.f32`);
  if (existsSync(cacheFile)) {
    const b = readFileSync(cacheFile);
    const data = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    return { data, numFrames: data.length / dim, dim };
  }
  const audio = await decodeAudioFile(path);
  const block = extractFeatures(audio.samples, audio.sampleRate);
  mkdirSync(dirname(cacheFile), { recursive: true });
  writeFileSync(cacheFile, Buffer.from(block.data.buffer, block.data.byteOffset, block.data.byteLength));
  return { data: block.data, numFrames: block.numFrames, dim: block.dim };
}

/** Loads one dance folder: skeleton + features of its music, aligned. */
export async function loadDance(dataDir: string, name: string): Promise<Dance> {
  const dir = join(dataDir, name);
  const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { fps: number; start_position: number };
  if (cfg.fps !== DEFAULT_FEATURE_SPEC.fps) throw new Error(`${name}: fps ${cfg.fps} differs from the feature rate ${DEFAULT_FEATURE_SPEC.fps}`);
  const sk = JSON.parse(readFileSync(join(dir, 'skeletons.json'), 'utf8')) as { length: number; skeletons: number[][][] };
  const feats = await audioFileFeatures(join(dir, 'audio.mp3'));
  const start = cfg.start_position;
  const numFrames = Math.min(sk.length, feats.numFrames - start);
  if (numFrames < sk.length - 2) throw new Error(`${name}: audio has ${feats.numFrames} frames, dance needs ${start + sk.length}`);
  const poses = new Float32Array(numFrames * POSE_DIM);
  for (let i = 0; i < numFrames; i++) {
    const f = sk.skeletons[i];
    for (let j = 0; j < 23; j++) for (let k = 0; k < 3; k++) poses[i * POSE_DIM + j * 3 + k] = f[j][k];
  }
  const dim = feats.dim;
  const features = feats.data.slice(start * dim, (start + numFrames) * dim);
  return { name, style: styleOf(name), dir, fps: cfg.fps, numFrames, poses, features, featureDim: dim, startPosition: start };
}

/** Loads dances by name, one at a time (feature extraction is cached). */
export async function loadDances(dataDir: string, names: readonly string[], log = false): Promise<Dance[]> {
  const out: Dance[] = [];
  for (const n of names) {
    const t0 = performance.now();
    out.push(await loadDance(dataDir, n));
    if (log) console.error(`loaded ${n} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  return out;
}

/** Train / held-out split by dance name. Held-out names missing from `names` are ignored. */
export function splitDances(names: readonly string[], heldOut: readonly string[] = HELD_OUT): { train: string[]; test: string[] } {
  const test = names.filter((n) => heldOut.includes(n));
  const train = names.filter((n) => !heldOut.includes(n));
  return { train, test };
}

/** Parses `--key value` flags. */
export function parseArgs(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) out[a.slice(2)] = 'true';
      else {
        out[a.slice(2)] = next;
        i++;
      }
    }
  }
  return out;
}
