/**
 * Bad input gets a clear visible message and the page keeps working: denied microphone and camera, no devices at all,
 * files that cannot be decoded, and corrupt models (served as garbage through page.route).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, offMachineRequests, openPage, ROOT, SHARED_DATA, toFakeDeviceFile } from './harness';
import { duetState, messagesText, startModes, startQuietServer, waitForState } from './duet-page';

const MUSIC = join(SHARED_DATA, 'music', 'loop_amen_full.flac');
const haveModels = existsSync(join(ROOT, 'models', 'audio2body-dance', 'config.json')) && existsSync(join(ROOT, 'models', 'body2music-dance', 'config.json'));
const haveData = existsSync(MUSIC);

/** Waits until the message list shows text matching `re`. */
async function waitForMessage(page: Page, re: RegExp, timeoutMs = 120_000): Promise<string> {
  await page.locator('#messages li', { hasText: re }).first().waitFor({ state: 'visible', timeout: timeoutMs });
  return messagesText(page);
}

/** The page still draws and answers: rendered frames keep increasing (within 30 s: BlazePose loading can block it). */
async function expectStillRunning(page: Page): Promise<void> {
  const a = (await duetState(page)).framesRendered;
  const s = await waitForState(page, (st) => st.framesRendered >= a + 3, 30_000, 'frames rendered');
  expect(s.framesRendered).toBeGreaterThan(a);
}

/** Starts Listen from an audio file and waits for model frames. */
async function listenFromFile(page: Page, wav: string): Promise<void> {
  await page.setInputFiles('#listen-file', wav);
  await startModes(page, 'file', 'off');
  await waitForState(page, (s) => s.listen.frames >= 25, 120_000, 'Listen frames from a file');
}

describe.skipIf(!haveModels || !haveData)('Duet error handling in Chromium', () => {
  let server: ViteDevServer;
  let url: string;
  let wav: string;

  beforeAll(async () => {
    ({ server, url } = await startQuietServer());
    wav = toFakeDeviceFile(MUSIC, 'audio');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('denied microphone and camera: clear messages, and a file still works', async () => {
    const browser = await launchBrowser({ denyMedia: true });
    try {
      const { page, requests } = await openPage(browser, url);
      await startModes(page, 'microphone', 'camera');
      const text = await waitForMessage(page, /microphone was denied/);
      await waitForMessage(page, /camera was denied/);
      console.log('denied messages:', text.replace(/\n/g, ' | '));
      const s = await duetState(page);
      expect(s.running).toEqual({ listen: false, watch: false });
      await expectStillRunning(page);
      await listenFromFile(page, wav);
      expect((await duetState(page)).running.listen).toBe(true);
      expect(offMachineRequests(requests)).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('Stop while both modes are starting: nothing runs once the models have loaded', async () => {
    const browser = await launchBrowser({ audioFile: wav }); // fake microphone playing music, Chromium's own fake camera
    try {
      const { page } = await openPage(browser, url);
      await startModes(page, 'microphone', 'camera');
      await page.waitForTimeout(300);
      await page.click('#stop');
      // The starts go on loading (models, BlazePose, samples); once both models are loaded they must not start anything.
      await waitForState(page, (st) => st.models.audio2body === 'loaded' && st.models.body2music === 'loaded', 180_000, 'models loaded after Stop');
      await page.waitForTimeout(1000);
      const s = await duetState(page);
      console.log('stop while starting:', JSON.stringify({ running: s.running, models: s.models, messages: s.messages }));
      expect(s.running).toEqual({ listen: false, watch: false });
      expect(await page.locator('#preview.on').count()).toBe(0);
      expect(s.lastError).toBe('');
      await expectStillRunning(page);
    } finally {
      await browser.close();
    }
  });

  it('no microphone or camera connected: clear messages', async () => {
    // No fake devices: this machine has no real ones.
    const browser = await launchBrowser({});
    try {
      const { page } = await openPage(browser, url);
      await startModes(page, 'microphone', 'camera');
      const text = await waitForMessage(page, /No microphone was found|microphone is busy/);
      await waitForMessage(page, /No camera was found|camera is busy|camera opened but sends no picture/);
      console.log('no-device messages:', text.replace(/\n/g, ' | '));
      await expectStillRunning(page);
    } finally {
      await browser.close();
    }
  });

  it('undecodable files and corrupt models: clear messages, then recovery', async () => {
    const browser = await launchBrowser({ audioFile: wav });
    try {
      const { page, requests } = await openPage(browser, url);
      const garbage = Buffer.from('this is not a media file '.repeat(400));

      // Corrupt sound -> body weights (before anything loads the model): a message, the page keeps running, and a later
      // Start loads the real model.
      await page.route('**/models/audio2body-dance/**', (route) =>
        route.request().url().endsWith('.bin') ? route.fulfill({ body: garbage }) : route.continue());
      await startModes(page, 'microphone', 'off');
      let text = await waitForMessage(page, /sound → body model failed to load/);
      expect((await duetState(page)).models.audio2body).toBe('failed');
      await expectStillRunning(page);
      await page.unroute('**/models/audio2body-dance/**');
      await startModes(page, 'microphone', 'off');
      const s = await waitForState(page, (st) => st.listen.frames >= 25, 120_000, 'Listen after the model is repaired');
      expect(s.models.audio2body).toBe('loaded');
      expect(await messagesText(page)).not.toMatch(/sound → body model failed/);

      // Corrupt body -> music config: a message while Listen keeps running.
      await page.route('**/models/body2music-dance/config.json', (route) => route.fulfill({ body: '{"kind": "body2music", "version": 99' }));
      await startModes(page, 'off', 'camera'); // Listen ('off' here) is left running
      text = await waitForMessage(page, /body → music model failed to load/, 240_000);
      console.log('model messages:', text.replace(/\n/g, ' | '));
      const after = await duetState(page);
      expect(after.models.body2music).toBe('failed');
      expect(after.running.listen).toBe(true);
      await expectStillRunning(page);

      // An audio file that is not audio.
      await page.setInputFiles('#listen-file', { name: 'broken.mp3', mimeType: 'audio/mpeg', buffer: garbage });
      await startModes(page, 'file', 'off');
      text = await waitForMessage(page, /"broken\.mp3" could not be decoded/);
      // A video file that is not video.
      await page.setInputFiles('#watch-file', { name: 'broken.mp4', mimeType: 'video/mp4', buffer: garbage });
      await startModes(page, 'off', 'file');
      text = await waitForMessage(page, /broken\.mp4.*could not be opened or decoded|broken\.mp4.*cannot play|broken\.mp4.*no video track/);
      console.log('decode messages:', text.replace(/\n/g, ' | '));
      await expectStillRunning(page);
      expect(offMachineRequests(requests)).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
