/** Page entry: finds the elements, builds the app with the real models and pipelines, exposes the test hook. */
import { createAudio2Body } from '../models/audio2body/model';
import { createSynth } from '../synth/synth';
import { DuetApp, type AppElements, type DuetState } from './app';
import { initTfBackend } from './backend';
import type { PoseModelType } from '../features/pose';
import { createWatchParts } from './watch-parts';
import { WatchSession } from './watch';
import { unwiredPianistDeps } from './pianist-models';
import { createPianistWatch } from './pianist-watch';
import { loadPianistListenModel } from './pianist-listen-model';

/** Model folders served by the app (vite.config.ts LOCAL_ASSETS). */
export const MODEL_URLS = Object.freeze({
  audio2body: '/models/audio2body-dance/',
  body2music: '/models/body2music-dance/',
});

function byId<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`index.html has no #${id}`);
  return e as T;
}

const elements: AppElements = {
  canvas: byId('view'),
  listenSource: byId('listen-source'),
  listenFile: byId('listen-file'),
  watchSource: byId('watch-source'),
  watchFile: byId('watch-file'),
  preview: byId('preview'),
  start: byId('start'),
  stop: byId('stop'),
  messages: byId('messages'),
  status: byId('status'),
  latency: byId('latency'),
  modelChoice: byId<HTMLSelectElement>('model-choice'),
  pianistCanvas: byId<HTMLCanvasElement>('pianist-view'),
  calibrate: byId<HTMLButtonElement>('calibrate'),
};

const q = new URLSearchParams(location.search);
/** BlazePose variant (?pose=lite|full): full by default, lite for slow (software WebGL) machines. */
const poseModel: PoseModelType = q.get('pose') === 'lite' ? 'lite' : 'full';

const app = new DuetApp(elements, {
  async loadAudio2Body() {
    await initTfBackend();
    const m = createAudio2Body(MODEL_URLS.audio2body);
    await m.load();
    return m;
  },
  createSynth: () => createSynth(),
  async createWatchParts(input, synth) {
    await initTfBackend();
    return createWatchParts(input, synth, MODEL_URLS.body2music, poseModel);
  },
  createWatchSession: (parts, onError) => new WatchSession(parts, onError),
  // Pianist models: probes models/audio2body-piano/ and models/body2music-piano/; their loaders plug in here.
  pianist: {
    ...unwiredPianistDeps(),
    async loadListenModel() {
      await initTfBackend();
      return loadPianistListenModel();
    },
    createWatch: (input, onError) => createPianistWatch(input, onError, { createSynth: () => createSynth() }),
  },
});

// Optional preselection from the query string (?listen=microphone|file|off&watch=camera|file|off).
for (const [key, sel] of [['listen', elements.listenSource], ['watch', elements.watchSource]] as const) {
  const v = q.get(key);
  if (v !== null && [...sel.options].some((o) => o.value === v)) sel.value = v;
}

// ?model=pianist chooses the Pianist at load.
if (q.get('model') === 'pianist') void app.chooseModel('pianist');

declare global {
  interface Window {
    /** Read-only test hook. */
    __duet?: { readonly state: () => DuetState; readonly listenOffsetFromRest: () => number };
  }
}
window.__duet = Object.freeze({ state: () => app.state(), listenOffsetFromRest: () => app.listenOffsetFromRest() });
