/**
 * Browser test harness: serves the app with Vite on localhost and drives Debian's Chromium through playwright-core,
 * with fake media devices fed from files. Every request the page makes is recorded so tests can assert none leaves
 * localhost.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_DATA = resolve(ROOT, '..', 'shared', 'data');
export const ARTIFACTS = join(ROOT, 'tests', '.artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Starts the Vite dev server for the app on a free localhost port, without HMR or file watching: runs take minutes,
 * and an edit elsewhere in the tree must not reload the page mid-run.
 */
export async function startServer(): Promise<{ server: ViteDevServer; url: string }> {
  const server = await createServer({
    root: ROOT, configFile: join(ROOT, 'vite.config.ts'), logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
    // Its own dependency cache: another Vite server sharing node_modules/.vite could re-optimize mid-run, which without
    // HMR fails with "504 Outdated Optimize Dep" instead of reloading.
    cacheDir: join(ARTIFACTS, 'vite-cache'),
  });
  await server.listen();
  const addr = server.httpServer?.address();
  if (!addr || typeof addr === 'string') throw new Error('vite server has no port');
  return { server, url: `http://127.0.0.1:${addr.port}` };
}

/** Converts a media file with ffmpeg into what Chromium's fake devices read (WAV for audio, Y4M for video). */
export function toFakeDeviceFile(input: string, kind: 'audio' | 'video', opts: { seconds?: number; fps?: number; size?: string } = {}): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  const base = input.split('/').pop()!.replace(/\.[^.]+$/, '');
  const out = join(ARTIFACTS, `${base}${opts.seconds ? `-${opts.seconds}s` : ''}.${kind === 'audio' ? 'wav' : 'y4m'}`);
  if (existsSync(out)) return out;
  const args = ['-y', '-loglevel', 'error', '-i', input];
  if (opts.seconds) args.push('-t', String(opts.seconds));
  if (kind === 'audio') args.push('-ac', '1', '-ar', '48000', '-acodec', 'pcm_s16le', out);
  else {
    if (opts.fps) args.push('-r', String(opts.fps));
    if (opts.size) args.push('-s', opts.size);
    args.push('-pix_fmt', 'yuv420p', out);
  }
  execFileSync('ffmpeg', args);
  return out;
}

export interface LaunchOptions {
  /** Absolute path of a WAV file for the fake microphone. */
  audioFile?: string;
  /** Absolute path of a Y4M file for the fake camera. */
  videoFile?: string;
  /** Deny camera and microphone instead of granting them. */
  denyMedia?: boolean;
  /** More Chromium flags (e.g. --js-flags=--expose-gc for heap measurements). */
  extraArgs?: readonly string[];
}

/** Launches headless Chromium with fake devices and the flags this closed network needs. */
export async function launchBrowser(opts: LaunchOptions = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  const args = [
    '--no-sandbox', '--disable-gpu-sandbox', '--no-first-run', '--disable-quic',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--enable-unsafe-swiftshader', '--use-gl=angle', '--use-angle=swiftshader', '--ignore-gpu-blocklist',
    '--autoplay-policy=no-user-gesture-required',
  ];
  if (!opts.denyMedia) args.push('--use-fake-ui-for-media-stream');
  if (opts.audioFile || opts.videoFile || opts.denyMedia) args.push('--use-fake-device-for-media-stream');
  if (opts.audioFile) args.push(`--use-file-for-fake-audio-capture=${opts.audioFile}`);
  if (opts.videoFile) args.push(`--use-file-for-fake-video-capture=${opts.videoFile}`);
  if (opts.extraArgs) args.push(...opts.extraArgs);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}

/** A page that records every request URL and console message. */
export async function openPage(browser: Browser, url: string, viewport = { width: 1280, height: 720 }): Promise<{ context: BrowserContext; page: Page; requests: string[]; logs: string[] }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const requests: string[] = [];
  const logs: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => logs.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
  await page.goto(url);
  return { context, page, requests, logs };
}

/** Requests whose host is not this machine (data: and blob: URLs are local). */
export function offMachineRequests(requests: readonly string[]): string[] {
  return requests.filter((u) => {
    if (u.startsWith('data:') || u.startsWith('blob:')) return false;
    try {
      const h = new URL(u).hostname;
      return !(h === '127.0.0.1' || h === 'localhost' || h === '[::1]' || h === '::1');
    } catch {
      return true;
    }
  });
}
