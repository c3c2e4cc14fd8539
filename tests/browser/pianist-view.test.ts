/**
 * The Pianist model choice in Chromium, without the pianist models installed (models/audio2body-piano/ and
 * models/body2music-piano/ answer 404 whether or not they exist here): choosing Pianist shows the "pianist model not installed" message, draws the keyboard
 * and the pianist at rest (checked in the canvas's pixels and the view's state), Start names the missing model for
 * Listen and Watch while the page keeps drawing, and choosing Dancer again brings the dancers' view back.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchBrowser, offMachineRequests, openPage, startServer } from './harness';
import { duetState, messagesText, waitForState } from './duet-page';

/**
 * Makes the pianist model folders answer 404, as on a machine where they are not installed. Registered after the page
 * has loaded: with a route in place Playwright intercepts every request, and loading the app's hundreds of dev-server
 * modules that way takes minutes on the shared machine.
 */
async function hidePianistModels(page: Page): Promise<void> {
  await page.route(/\/models\/(audio2body|body2music)-piano\//, (route) => route.fulfill({ status: 404, body: 'not found' }));
}

/** Pixel classes counted in a canvas: near-white key tops, the Listen pianist's blue bones, the background. */
interface PixelCounts {
  width: number;
  height: number;
  /** Bright, unsaturated pixels (white keys, joints), per row band: top, middle, bottom third. */
  white: [number, number, number];
  /** Blue pixels (the Listen pianist's bones, colour 0x4aa3ff under lighting). */
  blue: number;
  /** Background (0x14161c) pixels. */
  background: number;
}

/** Counts pixel classes in the canvas `#id` (drawn with preserveDrawingBuffer). */
async function countPixels(page: Page, id: string): Promise<PixelCounts> {
  return page.evaluate((canvasId) => {
    const src = document.getElementById(canvasId) as HTMLCanvasElement;
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(src, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const white: [number, number, number] = [0, 0, 0];
    let blue = 0;
    let background = 0;
    for (let i = 0; i < d.length; i += 4) {
      const r = d[i];
      const g = d[i + 1];
      const b = d[i + 2];
      const row = Math.floor(i / 4 / c.width);
      if (Math.min(r, g, b) > 170 && Math.max(r, g, b) - Math.min(r, g, b) < 45) white[Math.min(2, Math.floor((3 * row) / c.height))]++;
      else if (b > 120 && b - r > 50) blue++;
      else if (Math.abs(r - 0x14) < 6 && Math.abs(g - 0x16) < 6 && Math.abs(b - 0x1c) < 6) background++;
    }
    return { width: c.width, height: c.height, white, blue, background };
  }, id);
}

describe('Pianist view without the pianist models, in Chromium', () => {
  let server: ViteDevServer;
  let url: string;

  beforeAll(async () => {
    ({ server, url } = await startServer());
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('Pianist: clear message, keyboard and resting hands drawn, Start names the missing models; Dancer comes back', async () => {
    const browser = await launchBrowser();
    try {
      const { page, requests, logs } = await openPage(browser, `${url}/?listen=off&watch=off`);
      let s = await waitForState(page, (st) => st.framesRendered >= 2, 60_000, 'dancer frames');
      expect(s.model).toBe('dancer');
      expect(s.pianist).toBeNull();
      expect(await page.locator('#pianist-view').isVisible()).toBe(false);
      expect(s.status).toMatch(/model: Dancer/);
      await hidePianistModels(page);

      // Choose Pianist.
      await page.selectOption('#model-choice', 'pianist');
      await page.locator('#messages li', { hasText: /pianist model not installed/ }).first().waitFor({ state: 'visible', timeout: 60_000 });
      s = await waitForState(page, (st) => (st.pianist?.framesRendered ?? 0) >= 3 && /model: Pianist/.test(st.status), 60_000, 'pianist frames');
      console.log('pianist state', JSON.stringify({ pianist: s.pianist, status: s.status, messages: s.messages }));
      const text = await messagesText(page);
      expect(text).toMatch(/pianist model not installed: models\/audio2body-piano\/ .* and models\/body2music-piano\/ .* are missing/);
      expect(s.model).toBe('pianist');
      expect(s.pianist).toMatchObject({ active: true, view: true, models: { audio2body: 'not installed', body2music: 'not installed' }, running: { listen: false, watch: false }, keysLit: 0, atRest: true });
      expect(s.status).toMatch(/sound→hands not installed, hands→piano not installed/);
      expect(s.lastError).toBe('');
      expect(await page.locator('#pianist-view').isVisible()).toBe(true);
      expect(await page.locator('#view').isVisible()).toBe(false);
      await page.waitForTimeout(500);
      const px = await countPixels(page, 'pianist-view');
      await page.screenshot({ path: join(ARTIFACTS, 'pianist-rest.png') });
      console.log('pianist pixels', JSON.stringify(px));
      const area = px.width * px.height;
      // The keyboard: 52 white key tops, drawn low in the picture (the camera looks down at them across the keyboard).
      expect(px.white[1] + px.white[2]).toBeGreaterThan(0.02 * area);
      expect(px.white[2] + px.white[1]).toBeGreaterThan(4 * px.white[0]);
      // The pianist at rest (blue bones: arms and the fingers of both hands), and background around everything.
      expect(px.blue).toBeGreaterThan(0.002 * area);
      expect(px.background).toBeGreaterThan(0.2 * area);

      // Start with both directions: each names its missing model; nothing starts, the view keeps drawing.
      await page.selectOption('#listen-source', 'microphone');
      await page.selectOption('#watch-source', 'camera');
      await page.click('#start');
      await page.locator('#messages li', { hasText: /Pianist Listen: pianist model not installed: models\/audio2body-piano\// }).waitFor({ timeout: 60_000 });
      await page.locator('#messages li', { hasText: /Pianist Watch: pianist model not installed: models\/body2music-piano\// }).waitFor({ timeout: 60_000 });
      const before = (await duetState(page)).pianist!.framesRendered;
      s = await waitForState(page, (st) => (st.pianist?.framesRendered ?? 0) >= before + 3, 30_000, 'pianist frames after Start');
      expect(s.pianist!.running).toEqual({ listen: false, watch: false });
      expect(s.running).toEqual({ listen: false, watch: false });
      expect(s.pianist!.atRest).toBe(true);

      // Back to Dancer: the dancers' view, no pianist messages, frames keep coming.
      await page.selectOption('#model-choice', 'dancer');
      s = await waitForState(page, (st) => st.model === 'dancer' && /model: Dancer/.test(st.status), 30_000, 'dancer again');
      expect(s.messages.join('\n')).not.toMatch(/pianist/i);
      expect(s.pianist!.active).toBe(false);
      expect(await page.locator('#view').isVisible()).toBe(true);
      expect(await page.locator('#pianist-view').isVisible()).toBe(false);
      const f0 = s.framesRendered;
      s = await waitForState(page, (st) => st.framesRendered >= f0 + 3, 30_000, 'dancer frames again');
      await page.waitForTimeout(300);
      const dancerPx = await countPixels(page, 'view');
      console.log('dancer pixels', JSON.stringify(dancerPx));
      // The dancer's view is drawn at its own size (not left at the hidden canvas's 0 x 0) with the figure in it.
      expect(dancerPx.width).toBeGreaterThan(100);
      expect(dancerPx.blue).toBeGreaterThan(0.001 * dancerPx.width * dancerPx.height);
      console.log('dancer status', s.status);
      // The only errors shown were the two missing-model messages (lastError keeps the latest); no page error.
      expect(s.lastError).toMatch(/^Pianist (Listen|Watch): pianist model not installed/);
      expect(logs.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
      expect(offMachineRequests(requests)).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('?model=pianist opens the page with the Pianist chosen', async () => {
    const browser = await launchBrowser();
    try {
      const { page, requests } = await openPage(browser, `${url}/?model=pianist&listen=off&watch=off`);
      const s = await waitForState(page, (st) => (st.pianist?.framesRendered ?? 0) >= 2, 60_000, 'pianist frames');
      expect(s.model).toBe('pianist');
      expect(await page.locator('#model-choice').inputValue()).toBe('pianist');
      expect(s.status).toMatch(/^model: Pianist/);
      expect(offMachineRequests(requests)).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
