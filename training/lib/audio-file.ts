import { readFileSync } from 'node:fs';

/** Decoded mono audio. */
export interface MonoAudio {
  samples: Float32Array;
  /** Hz. */
  sampleRate: number;
}

/** Decodes an audio file (mp3, ogg, flac, wav) with node-web-audio-api and mixes it down to mono. */
export async function decodeAudioFile(path: string): Promise<MonoAudio> {
  const { OfflineAudioContext } = await import('node-web-audio-api');
  const bytes = readFileSync(path);
  const ctx = new OfflineAudioContext(1, 1, 44100);
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const buf = await ctx.decodeAudioData(ab as ArrayBuffer);
  const n = buf.length;
  const samples = new Float32Array(n);
  for (let c = 0; c < buf.numberOfChannels; c++) {
    const ch = buf.getChannelData(c);
    for (let i = 0; i < n; i++) samples[i] += ch[i] / buf.numberOfChannels;
  }
  return { samples, sampleRate: buf.sampleRate };
}
