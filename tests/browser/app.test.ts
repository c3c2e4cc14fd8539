/**
 * The Duet app end to end in Chromium with real input on fake devices:
 * - Listen: a real recording on the fake microphone moves the dancer; digital silence leaves it nearly still.
 * - Watch: a real person on the fake camera makes the band play; an empty (black) picture plays nothing.
 * - Both modes at once (Watch from a video file). Every request stays on this machine. Screenshots go to docs/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, offMachineRequests, openPage, ROOT, SHARED_DATA, toFakeDeviceFile } from './harness';
import { blackY4m, duetState, messagesText, silentWav, startModes, startQuietServer, waitForState } from './duet-page';

const MUSIC = join(SHARED_DATA, 'music', 'loop_amen_full.flac');
const PERSON = join(SHARED_DATA, 'video', 'pose_1.mp4');
const DOCS = join(ROOT, 'docs');
const haveData = existsSync(MUSIC) && existsSync(PERSON);

/** Listen: model frames to wait for before measuring (6 s at 25 fps). */
const LISTEN_WARMUP_FRAMES = 150;
/** Mean joint speed (body-scale units/s, over ~2 s) the dancer must exceed with music. */
const MIN_MUSIC_MOTION = 0.5;
/** With silence the dancer moves less than this fraction of the music's motion. */
const MAX_SILENCE_RATIO = 0.25;

/** Runs Listen on the fake microphone fed by `wav`; returns the mean motion of 5 readings 1 s apart and the state. */
async function measureListen(url: string, wav: string, screenshot?: string) {
  const browser = await launchBrowser({ audioFile: wav });
  try {
    const { page, requests, logs } = await openPage(browser, `${url}/?listen=microphone&watch=off`);
    await startModes(page, 'microphone', 'off');
    await waitForState(page, (s) => s.listen.frames >= LISTEN_WARMUP_FRAMES || s.lastError !== '', 180_000, 'Listen frames');
    const motions: number[] = [];
    for (let i = 0; i < 5; i++) {
      motions.push((await duetState(page)).skeletonMotion);
      await page.waitForTimeout(1000);
    }
    const state = await duetState(page);
    if (screenshot) await page.screenshot({ path: screenshot });
    return { motion: motions.reduce((a, b) => a + b, 0) / motions.length, motions, state, requests, logs };
  } finally {
    await browser.close();
  }
}

describe.skipIf(!haveData)('Duet app in Chromium', () => {
  let server: ViteDevServer;
  let url: string;

  beforeAll(async () => {
    ({ server, url } = await startQuietServer());
    mkdirSync(DOCS, { recursive: true });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('Listen: the dancer moves with music and stays nearly still with silence', async () => {
    const music = await measureListen(url, toFakeDeviceFile(MUSIC, 'audio'), join(DOCS, 'listen.png'));
    console.log('listen music', JSON.stringify({ motion: music.motion, motions: music.motions, listen: music.state.listen, status: music.state.status, latency: music.state.latency.map((r) => `${r.label}: ${r.text}${r.over ? ' (over)' : ''}`) }));
    expect(music.state.lastError, music.logs.join('\n')).toBe('');
    expect(music.state.models.audio2body).toBe('loaded');
    // Contiguous audio: no batch gap, and every hop became exactly one model frame.
    expect(music.state.listen.gaps).toBe(0);
    const expectedFrames = Math.floor((music.state.listen.samples * 22050) / music.state.listen.sampleRate / 882);
    expect(Math.abs(music.state.listen.frames - expectedFrames)).toBeLessThanOrEqual(2);
    expect(music.motion).toBeGreaterThan(MIN_MUSIC_MOTION);
    // The latency panel estimates sound -> skeleton in ms.
    const soundToSkeleton = music.state.latency.find((r) => r.key === 'sound-to-skeleton');
    expect(soundToSkeleton?.unit === 'ms' && Number.isFinite(soundToSkeleton.value), JSON.stringify(music.state.latency)).toBe(true);
    expect(offMachineRequests(music.requests)).toEqual([]);

    const silence = await measureListen(url, silentWav());
    console.log('listen silence', JSON.stringify({ motion: silence.motion, motions: silence.motions, listen: silence.state.listen }));
    expect(silence.state.lastError).toBe('');
    expect(silence.state.listen.frames).toBeGreaterThanOrEqual(LISTEN_WARMUP_FRAMES);
    expect(silence.motion).toBeLessThan(MAX_SILENCE_RATIO * music.motion);
    expect(offMachineRequests(silence.requests)).toEqual([]);
  });

  it('Watch: the band plays while a person moves, and is silent for an empty picture', async () => {
    const person = await launchBrowser({ videoFile: toFakeDeviceFile(PERSON, 'video') });
    try {
      const { page, requests, logs } = await openPage(person, `${url}/?listen=off&watch=camera&pose=lite`);
      await startModes(page, 'off', 'camera');
      const s = await waitForState(page, (st) => st.notesPlayed >= 8 || st.lastError !== '', 240_000, 'notes while a person moves');
      console.log('watch person', JSON.stringify({ notes: s.notesPlayed, byInstrument: s.notesByInstrument, watch: s.watch, status: s.status }));
      expect(s.lastError, logs.join('\n')).toBe('');
      expect(s.models.body2music).toBe('loaded');
      expect(s.watch.withPerson).toBeGreaterThan(0);
      expect(s.notesPlayed).toBeGreaterThanOrEqual(8);
      await page.waitForTimeout(1500);
      await page.screenshot({ path: join(DOCS, 'watch.png') });
      expect(offMachineRequests(requests)).toEqual([]);
    } finally {
      await person.close();
    }

    const empty = await launchBrowser({ videoFile: blackY4m() });
    try {
      const { page, requests } = await openPage(empty, `${url}/?listen=off&watch=camera&pose=lite`);
      await startModes(page, 'off', 'camera');
      // 10 s of 25 fps ticks with nobody in view.
      const s = await waitForState(page, (st) => st.watch.ticks >= 250 || st.lastError !== '', 240_000, 'ticks of an empty picture');
      console.log('watch empty', JSON.stringify({ notes: s.notesPlayed, watch: s.watch }));
      expect(s.lastError).toBe('');
      expect(s.watch.withPerson).toBe(0);
      expect(s.watch.withoutPerson).toBeGreaterThan(0);
      expect(s.notesPlayed).toBe(0);
      expect(await messagesText(page)).toMatch(/No person in view/);
      expect(offMachineRequests(requests)).toEqual([]);
    } finally {
      await empty.close();
    }
  });

  it('Listen (microphone) and Watch (a video file) run at the same time', async () => {
    const browser = await launchBrowser({ audioFile: toFakeDeviceFile(MUSIC, 'audio') });
    try {
      const { page, requests, logs } = await openPage(browser, `${url}/?pose=lite`);
      await page.setInputFiles('#watch-file', PERSON);
      await startModes(page, 'microphone', 'file');
      const s = await waitForState(page, (st) => (st.notesPlayed >= 8 && st.listen.frames >= 100) || st.lastError !== '', 240_000, 'both modes');
      console.log('both', JSON.stringify({ notes: s.notesPlayed, listen: s.listen, watch: s.watch, status: s.status }));
      expect(s.lastError, logs.join('\n')).toBe('');
      expect(s.running).toEqual({ listen: true, watch: true });
      // No sample lost between the audio thread and the page (audio-thread underruns under this load are only logged).
      expect(s.listen.gaps).toBe(0);
      const expectedFrames = Math.floor((s.listen.samples * 22050) / s.listen.sampleRate / 882);
      expect(Math.abs(s.listen.frames - expectedFrames)).toBeLessThanOrEqual(2);
      expect(s.skeletonMotion).toBeGreaterThan(0);
      await page.screenshot({ path: join(DOCS, 'duet.png') });
      expect(offMachineRequests(requests)).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
