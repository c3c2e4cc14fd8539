/**
 * Renders played notes to audio with the Salamander grand piano samples through Tone.js, offline in Node.
 *
 * Tone.js runs in Node once node-web-audio-api's classes are on globalThis (and globalThis.window = globalThis) before
 * `tone` is imported; {@link loadPianoRenderer} does that. Three velocity layers of the Salamander samples
 * (@audio-samples/piano-mp3-velocity4, -10, -16: every minor third A0..C8) are decoded once; each note goes to the
 * layer of its MIDI velocity (soft < 48 <= medium < 88 <= loud) with a gain that grows with velocity inside the layer.
 * The note names of the files are those of src/synth/synth.ts's piano (`<note>v<layer>.mp3`). The sustain pedal is
 * not rendered (the notes' key-up times are the sound's release, as in the piano roll).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PianoNote } from './midi';

/** Velocity layers used, with the MIDI velocity range each one plays. */
export const LAYERS = Object.freeze([
  { layer: 4, from: 1, to: 47 },
  { layer: 10, from: 48, to: 87 },
  { layer: 16, from: 88, to: 127 },
] as const);

/** Release time of a note after its key-up, s (dampers on a grand stop a note in a few tenths of a second). */
export const RELEASE_S = 0.3;

/** A loaded renderer: `render(notes, seconds)` returns mono audio at `sampleRate`. */
export interface PianoRenderer {
  readonly sampleRate: number;
  render(notes: readonly PianoNote[], seconds: number): Promise<Float32Array>;
}

type ToneModule = typeof import('tone');

/** Installs node-web-audio-api on globalThis and imports tone (once). */
async function loadTone(): Promise<ToneModule> {
  const nwa = (await import('node-web-audio-api')) as unknown as Record<string, unknown>;
  const g = globalThis as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(nwa)) if (g[k] === undefined) g[k] = v;
  if (g.window === undefined) g.window = globalThis;
  return await import('tone');
}

/** Decodes the sample files of one velocity layer at `sampleRate`: note name -> AudioBuffer. */
async function decodeLayer(layer: number, sampleRate: number): Promise<Record<string, AudioBuffer>> {
  const require = createRequire(import.meta.url);
  const pkg = `@audio-samples/piano-mp3-velocity${layer}`;
  const files = require(pkg) as string[];
  const dir = join(dirname(require.resolve(`${pkg}/package.json`)), 'audio');
  const { OfflineAudioContext } = (await import('node-web-audio-api')) as unknown as { OfflineAudioContext: new (c: number, l: number, r: number) => BaseAudioContext };
  const ctx = new OfflineAudioContext(1, 1, sampleRate);
  const out: Record<string, AudioBuffer> = {};
  for (const f of files) {
    const b = readFileSync(join(dir, f));
    const ab = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    out[f.replace(`v${layer}.mp3`, '')] = await ctx.decodeAudioData(ab);
  }
  return out;
}

/** Layer index (into {@link LAYERS}) and gain of a MIDI velocity. */
export function layerOf(velocity: number): { index: number; gain: number } {
  const v = Math.max(1, Math.min(127, velocity));
  const index = LAYERS.findIndex((l) => v >= l.from && v <= l.to);
  const l = LAYERS[index];
  // 0.6 .. 1.0 across the layer's range (the layer itself carries most of the loudness and timbre).
  const gain = 0.6 + (0.4 * (v - l.from)) / Math.max(1, l.to - l.from);
  return { index, gain };
}

/** Loads Tone.js and the three sample layers. */
export async function loadPianoRenderer(sampleRate = 22050): Promise<PianoRenderer> {
  const Tone = await loadTone();
  const layers: Record<string, AudioBuffer>[] = [];
  for (const l of LAYERS) layers.push(await decodeLayer(l.layer, sampleRate));
  return {
    sampleRate,
    async render(notes: readonly PianoNote[], seconds: number): Promise<Float32Array> {
      const buffer = await Tone.Offline(
        () => {
          const samplers = layers.map((urls) => new Tone.Sampler({ urls: urls as unknown as Record<string, string>, release: RELEASE_S }).toDestination());
          for (const n of notes) {
            if (n.start >= seconds) continue;
            const { index, gain } = layerOf(n.velocity);
            samplers[index].triggerAttackRelease(Tone.Frequency(n.midi, 'midi').toFrequency(), Math.max(0.01, n.end - n.start), n.start, gain);
          }
        },
        seconds,
        1,
        sampleRate,
      );
      const ch = buffer.getChannelData(0);
      return Float32Array.from(ch.subarray(0, Math.round(seconds * sampleRate)));
    },
  };
}

/** 16-bit PCM mono WAV bytes of `samples` (clipped to [-1, 1]). */
export function wavBytes(samples: Float32Array, sampleRate: number): Buffer {
  const n = samples.length;
  const b = Buffer.alloc(44 + 2 * n);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + 2 * n, 4);
  b.write('WAVE', 8);
  b.write('fmt ', 12);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(sampleRate, 24);
  b.writeUInt32LE(2 * sampleRate, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(2 * n, 40);
  for (let i = 0; i < n; i++) b.writeInt16LE(Math.round(Math.max(-1, Math.min(1, samples[i])) * 32767), 44 + 2 * i);
  return b;
}
