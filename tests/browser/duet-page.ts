/**
 * Helpers for the app's browser tests: generated fixtures (silence, black video) and driving the Duet page through its
 * controls and its read-only test hook `window.__duet`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, startServer } from './harness';
import type { DuetState } from '../../src/app/app';

/** The harness's quiet Vite server (kept under this name for the app tests). */
export const startQuietServer = startServer;

/** Generates (once) a WAV of digital silence for the fake microphone. */
export function silentWav(seconds = 10): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  const out = join(ARTIFACTS, `silence-${seconds}s.wav`);
  if (!existsSync(out)) {
    execFileSync('ffmpeg', ['-y', '-loglevel', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=mono', '-t', String(seconds), '-acodec', 'pcm_s16le', out]);
  }
  return out;
}

/** Generates (once) a Y4M of black frames (an empty scene) for the fake camera. */
export function blackY4m(seconds = 4, size = '576x576', fps = 30): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  const out = join(ARTIFACTS, `black-${size}-${seconds}s.y4m`);
  if (!existsSync(out)) {
    execFileSync('ffmpeg', ['-y', '-loglevel', 'error', '-f', 'lavfi', '-i', `color=c=black:s=${size}:r=${fps}`, '-t', String(seconds), '-pix_fmt', 'yuv420p', out]);
  }
  return out;
}

/** Reads the app state through the test hook. */
export async function duetState(page: Page): Promise<DuetState> {
  await page.waitForFunction(() => window.__duet !== undefined, undefined, { timeout: 60_000 });
  return page.evaluate(() => window.__duet!.state());
}

/** Polls the state until `pred` holds; returns the state (throws with the last state on timeout). */
export async function waitForState(page: Page, pred: (s: DuetState) => boolean, timeoutMs: number, what: string): Promise<DuetState> {
  const end = Date.now() + timeoutMs;
  let s = await duetState(page);
  while (!pred(s)) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; state: ${JSON.stringify(s)}`);
    await page.waitForTimeout(250);
    s = await duetState(page);
  }
  return s;
}

/** Chooses the sources and presses Start. */
export async function startModes(page: Page, listen: 'off' | 'microphone' | 'file', watch: 'off' | 'camera' | 'file'): Promise<void> {
  await page.selectOption('#listen-source', listen);
  await page.selectOption('#watch-source', watch);
  await page.click('#start');
}

/** Visible text of the message list. */
export async function messagesText(page: Page): Promise<string> {
  return page.locator('#messages').innerText();
}
