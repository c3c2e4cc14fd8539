/**
 * `npx tsx bench/responsiveness.ts [--model pianist|dancer] [--seconds 70]`: how long a call into the page waits while
 * Listen (fake microphone: ambi_piano.flac) and Watch (fake camera: asl_hand.25fps.mp4) run together, in headless
 * Debian Chromium on software WebGL. Every 4 s it times one `page.evaluate` of the test hook and prints JSON lines: the
 * wait (ms), the display rate and the Listen frames stepped. A wait that keeps growing means the page's main thread is
 * starved (src/app/estimate-gate.ts). Needs ../shared/data and ffmpeg, like the browser tests.
 */
import { join } from 'node:path';
import { launchBrowser, openPage, SHARED_DATA, startServer, toFakeDeviceFile } from '../tests/browser/harness';
import { parseArgs } from '../training/lib/dance-data';
import type { DuetState } from '../src/app/app';

const args = parseArgs(process.argv.slice(2));
const model = args.model ?? 'pianist';
const seconds = Number(args.seconds ?? 70);
const audio = toFakeDeviceFile(join(SHARED_DATA, 'music', 'ambi_piano.flac'), 'audio');
const video = toFakeDeviceFile(join(SHARED_DATA, 'video', 'asl_hand.25fps.mp4'), 'video', { size: '360x626', fps: 25 });
const { server, url } = await startServer();
const browser = await launchBrowser({ audioFile: audio, videoFile: video });
try {
  const { page } = await openPage(browser, `${url}/?model=${model}&listen=microphone&watch=camera`);
  await page.waitForFunction(() => 'state' in ((window as unknown as { __duet?: object }).__duet ?? {}), null, { timeout: 240_000 });
  await page.waitForTimeout(1500);
  await page.click('#start');
  const t0 = Date.now();
  const waits: number[] = [];
  while (Date.now() - t0 < seconds * 1000) {
    const t = Date.now();
    const s = await page.evaluate(() => (window as unknown as { __duet: { state(): DuetState } }).__duet.state());
    const waitMs = Date.now() - t;
    waits.push(waitMs);
    const frames = s.pianist?.listenFrames ?? s.listen.frames;
    console.log(JSON.stringify({ at_s: Math.round((t - t0) / 1000), wait_ms: waitMs, display_fps: Math.round(s.fps * 10) / 10, listen_frames: frames }));
    await page.waitForTimeout(4000);
  }
  console.log(JSON.stringify({ model, seconds, max_wait_ms: Math.max(...waits), last_wait_ms: waits[waits.length - 1] }));
} finally {
  await browser.close();
  await server.close();
}
