/**
 * The Duet page: wires capture -> features -> models -> render / synth, owns the one animation loop and the status
 * line, turns every failure into a visible message, and exposes a read-only test hook (`window.__duet`).
 */
import { openMicrophone } from '../capture/audio';
import { POSE_DIM } from '../features/skeleton';
import type { Audio2BodyModel } from '../models/types';
import { meanJointDisplacement, smoothToward } from '../render/pose-timeline';
import { LISTEN_DISPLAY_TAU_S } from './latency';
import { restPose } from '../render/rest-pose';
import { createSceneView } from '../render/scene';
import type { Figure, SceneView } from '../render/types';
import type { Synth } from '../synth/types';
import { ModelLoadError } from './errors';
import { MessageBoard } from './messages';
import { ListenSession, type ListenInput } from './listen';
import { Ema, RateMeter, fmt } from './stats';
import { fillListenFigures, LatencyPanel, type LatencyRow, type LatencySnapshot, type ListenFigures, type WatchFigures } from './latency-panel';
import { LatencyTable } from './latency-table';
import type { WatchParts, WatchSession } from './watch';
import { PianistMode, type PianistState } from './pianist';
import type { PianistDeps } from './pianist-models';

/** What the app needs from the outside world (models and pipelines), so each can fail on its own. */
export interface AppDeps {
  /** Loads (once) the sound -> body model. */
  loadAudio2Body(): Promise<Audio2BodyModel>;
  /** Creates the band (its audio context starts on the first Start). */
  createSynth(): Synth;
  /** Builds the Watch pipeline for a camera or a video file URL. */
  createWatchParts(input: { kind: 'camera' } | { kind: 'file'; url: string }, synth: Synth): Promise<WatchParts>;
  createWatchSession(parts: WatchParts, onError: (e: unknown) => void): WatchSession;
  /** The pianist models (src/app/pianist-models.ts); without it the Pianist choice is not offered. */
  pianist?: PianistDeps;
}

export interface AppElements {
  canvas: HTMLCanvasElement;
  listenSource: HTMLSelectElement;
  listenFile: HTMLInputElement;
  watchSource: HTMLSelectElement;
  watchFile: HTMLInputElement;
  /** Container the watched video is shown in. */
  preview: HTMLElement;
  start: HTMLButtonElement;
  stop: HTMLButtonElement;
  messages: HTMLUListElement;
  status: HTMLElement;
  /** Section the latency panel is drawn in (optional; hidden while neither mode runs). */
  latency?: HTMLElement;
  /** Dancer / Pianist model choice and the Pianist view's canvas (both optional). */
  modelChoice?: HTMLSelectElement;
  pianistCanvas?: HTMLCanvasElement;
  /** Pianist Watch's "Calibrate keyboard" button (optional; used by Pianist mode). */
  calibrate?: HTMLButtonElement;
}

/** Read-only state for tests and the status line. */
export interface DuetState {
  status: string;
  running: { listen: boolean; watch: boolean };
  models: { audio2body: string; body2music: string };
  framesRendered: number;
  fps: number;
  /**
   * Listen: model frames stepped, samples delivered, mean joint speed (body-scale units/s over ~2 s), batch gaps
   * (dropped or repeated samples, 0 when healthy), render quanta skipped by the browser's audio thread, input kind.
   */
  listen: { frames: number; samples: number; motion: number; gaps: number; skippedQuanta: number; input: string; sampleRate: number; featureMs: number; stepMs: number };
  /** Alias of listen.motion. */
  skeletonMotion: number;
  /** Watch: pose frames with / without a person, 25 fps ticks, last activity, notes scheduled. */
  watch: { withPerson: number; withoutPerson: number; ticks: number; activity: number; notesScheduled: number; estimateMs: number; poseFps: number; personInView: boolean };
  notesPlayed: number;
  notesByInstrument: Record<string, number>;
  messages: string[];
  lastError: string;
  /** The latency panel's shown rows (empty while neither mode runs), as of its last 4 Hz update. */
  latency: LatencyRow[];
  /** The chosen model set, and Pianist mode's state (null until Pianist is first chosen). */
  model: 'dancer' | 'pianist';
  pianist: PianistState | null;
}

/** Distance between the two figures when both modes run, body-scale units. */
const FIGURE_SPACING = 3.6;

/** Draw rate cap on software WebGL (SwiftShader), frames per second. */
const SOFTWARE_DRAW_FPS = 10;

type ModelState = 'not loaded' | 'loading' | 'loaded' | 'failed';

/** A model's state as the status line words it (models load on the first Start, not with the page). */
function modelStateText(s: ModelState): string {
  return s === 'not loaded' ? 'loads on Start' : s;
}

/** Fieldset legends per model choice (Listen, Watch). */
const LEGENDS = Object.freeze({
  dancer: Object.freeze(['Listen: sound → body', 'Watch: body → music']),
  pianist: Object.freeze(['Listen: sound → hands', 'Watch: hands → piano']),
});

export class DuetApp {
  private readonly board: MessageBoard;
  private view: SceneView | null = null;
  private listenFigure: Figure | null = null;
  private watchFigure: Figure | null = null;
  private listen: ListenSession | null = null;
  private watch: WatchSession | null = null;
  private synth: Synth | null = null;
  private audio2body: Promise<Audio2BodyModel> | null = null;
  private readonly modelState = { audio2body: 'not loaded' as ModelState, body2music: 'not loaded' as ModelState };
  private framesRendered = 0;
  private readonly frameRate = new RateMeter(60);
  private readonly renderMs = new Ema(60);
  private lastFrameMs = Number.NaN;
  private lastDrawMs = -Infinity;
  private lastStatusMs = 0;
  private statusText = 'ready';
  /** The latency panel, its figures (filled in place at 4 Hz) and its table in the page. */
  private readonly latencyPanel = new LatencyPanel();
  private readonly latencyTable: LatencyTable | null;
  private readonly listenFigures: ListenFigures = { featureMs: Number.NaN, stepMs: Number.NaN, lagFrames: Number.NaN, modelFps: Number.NaN, displayDelayMs: Number.NaN, baseLatencyMs: Number.NaN, outputLatencyMs: Number.NaN };
  private readonly watchFigures: WatchFigures = { poseMs: Number.NaN, poseRate: Number.NaN, rollMs: Number.NaN, modelFps: Number.NaN, lookAheadMs: Number.NaN, baseLatencyMs: Number.NaN, outputLatencyMs: Number.NaN };
  private readonly latencySnapshot: LatencySnapshot = { displayFps: Number.NaN, drawMs: Number.NaN, listen: null, watch: null };
  private readonly listenTarget = new Float32Array(POSE_DIM);
  private readonly listenShown: Float32Array;
  private readonly watchShown: Float32Array;
  private readonly rest: Float32Array;
  private starting = false;
  /** Bumped by every Stop (and model switch): a start that an await let it overtake drops what it opened. */
  private generation = 0;
  /** Object URL of the watched video file (revoked when Watch stops). */
  private watchBlobUrl = '';
  /** Pianist mode (./pianist.ts), created when Pianist is first chosen; it takes over Start/Stop and drawing. */
  private pianist: PianistMode | null = null;

  constructor(private readonly el: AppElements, private readonly deps: AppDeps) {
    this.board = new MessageBoard(el.messages);
    this.latencyTable = el.latency ? new LatencyTable(el.latency, this.latencyPanel) : null;
    this.rest = restPose();
    this.listenShown = this.rest.slice();
    this.watchShown = this.rest.slice();
    try {
      this.view = createSceneView({ canvas: el.canvas });
      this.listenFigure = this.view.addFigure({ color: 0x4aa3ff, x: -1.6 });
      this.watchFigure = this.view.addFigure({ color: 0xff9a3c, x: 1.6 });
    } catch (e) {
      this.board.show('webgl', `The 3D view cannot start (WebGL unavailable: ${(e as Error).message}). Sound still works.`);
    }
    el.start.addEventListener('click', () => void this.start());
    el.stop.addEventListener('click', () => void this.stop());
    el.listenFile.addEventListener('change', () => {
      if (el.listenFile.files?.length) {
        el.listenSource.value = 'file';
        this.board.clear('listen'); // an earlier file's or "choose a file" message no longer applies
      }
      this.hintRestart();
    });
    el.watchFile.addEventListener('change', () => {
      if (el.watchFile.files?.length) {
        el.watchSource.value = 'file';
        this.board.clear('watch');
      }
      this.hintRestart();
    });
    el.listenSource.addEventListener('change', () => this.hintRestart());
    el.watchSource.addEventListener('change', () => this.hintRestart());
    el.modelChoice?.addEventListener('change', () => void this.chooseModel(el.modelChoice?.value === 'pianist' ? 'pianist' : 'dancer'));
    window.addEventListener('error', (ev) => this.report('page', ev.error ?? ev.message));
    window.addEventListener('unhandledrejection', (ev) => this.report('page', ev.reason));
    requestAnimationFrame(this.frame);
  }

  /** A source changed while something runs: the running modes keep their sources until the next Start. */
  private hintRestart(): void {
    const running = this.listen !== null || this.watch !== null || (this.pianist?.active === true && Object.values(this.pianist.state().running).some(Boolean));
    if (running) this.board.show('restart', 'Press Start to use the new source (the running one keeps playing until then).', 'info');
  }

  /** Shows an error under `key` (replacing an earlier one) without stopping anything else. */
  report(key: string, e: unknown): void {
    const msg = (e as Error)?.message ?? String(e);
    this.board.show(key, msg);
  }

  private loadAudio2Body(): Promise<Audio2BodyModel> {
    if (!this.audio2body) {
      this.modelState.audio2body = 'loading';
      this.audio2body = this.deps.loadAudio2Body().then(
        (m) => {
          this.modelState.audio2body = 'loaded';
          this.board.clear('model-audio2body');
          return m;
        },
        (e: unknown) => {
          this.modelState.audio2body = 'failed';
          this.audio2body = null; // retry on the next Start
          throw new Error(`The sound → body model failed to load: ${(e as Error)?.message ?? String(e)}`);
        },
      );
    }
    return this.audio2body;
  }

  /** Switches between the dancer and the pianist models and views (running modes are stopped). */
  async chooseModel(model: 'dancer' | 'pianist'): Promise<void> {
    const { pianistCanvas, modelChoice } = this.el;
    if (modelChoice && modelChoice.value !== model) modelChoice.value = model;
    const legends = LEGENDS[model];
    [this.el.listenSource, this.el.watchSource].forEach((sel, i) => {
      const legend = sel.closest('fieldset')?.querySelector('legend');
      if (legend) legend.textContent = legends[i];
    });
    if (model === 'pianist' && this.deps.pianist && pianistCanvas && !this.pianist?.active) {
      await this.stop();
      this.board.clear('choose');
      this.pianist ??= new PianistMode({ ...this.el, canvas: pianistCanvas, dancerCanvas: this.el.canvas }, this.board, this.deps.pianist);
      await this.pianist.activate();
    } else if (model === 'dancer' && this.pianist?.active) {
      await this.pianist.deactivate();
    }
  }

  /** Starts the selected modes; each fails (with a message) on its own. */
  async start(): Promise<void> {
    if (this.starting) return;
    this.starting = true;
    this.board.clear('restart');
    try {
      if (this.pianist?.active) return await this.pianist.start(this.el.listenSource.value, this.el.watchSource.value);
      const tasks: Promise<void>[] = [];
      const listenChoice = this.el.listenSource.value;
      const watchChoice = this.el.watchSource.value;
      if (listenChoice === 'off' && watchChoice === 'off') {
        this.board.show('choose', 'Choose a sound source (Listen) or a movement source (Watch), then press Start.', 'info');
        return;
      }
      this.board.clear('choose');
      const gen = this.generation;
      if (listenChoice !== 'off') tasks.push(this.startListen(listenChoice as 'microphone' | 'file', gen));
      if (watchChoice !== 'off') tasks.push(this.startWatch(watchChoice as 'camera' | 'file', gen));
      await Promise.all(tasks);
    } finally {
      this.starting = false;
    }
  }

  /** Starts Listen; `gen` is the Stop count at Start (a Stop since then cancels this start). */
  private async startListen(choice: 'microphone' | 'file', gen: number): Promise<void> {
    await this.stopListen();
    this.board.clear('listen');
    try {
      let input: ListenInput;
      if (choice === 'file') {
        const f = this.el.listenFile.files?.[0];
        if (!f) throw new Error('Choose an audio file first (Listen → Audio file).');
        input = { kind: 'file', data: await f.arrayBuffer(), name: f.name };
      } else {
        // Open the microphone before loading the model, so a denied or missing microphone is reported at once.
        input = { kind: 'microphone', stream: await openMicrophone() };
      }
      const model = await this.loadAudio2Body().catch((e: unknown) => {
        this.board.show('model-audio2body', (e as Error).message);
        return null;
      });
      if (!model || gen !== this.generation) {
        if (input.kind === 'microphone') input.stream.getTracks().forEach((t) => t.stop());
        return;
      }
      const session = new ListenSession(model, (e) => this.report('listen', e));
      this.listen = session;
      await session.start(input);
      this.board.clear('listen');
    } catch (e) {
      this.listen = null;
      if (gen === this.generation) this.report('listen', e);
    }
  }

  private async stopListen(): Promise<void> {
    const s = this.listen;
    this.listen = null;
    await s?.stop();
  }

  /** Starts Watch; `gen` is the Stop count at Start (a Stop since then cancels this start). */
  private async startWatch(choice: 'camera' | 'file', gen: number): Promise<void> {
    this.stopWatch();
    this.board.clear('watch');
    let blobUrl = '';
    let fileName = '';
    try {
      let input: { kind: 'camera' } | { kind: 'file'; url: string };
      if (choice === 'file') {
        const f = this.el.watchFile.files?.[0];
        if (!f) throw new Error('Choose a video file first (Watch → Video file).');
        blobUrl = URL.createObjectURL(f);
        this.watchBlobUrl = blobUrl;
        fileName = f.name;
        input = { kind: 'file', url: blobUrl };
      } else {
        input = { kind: 'camera' };
      }
      this.synth ??= this.deps.createSynth();
      const synth = this.synth;
      if (this.modelState.body2music !== 'loaded') this.modelState.body2music = 'loading';
      const [, parts] = await Promise.all([
        synth.load().catch((e: unknown) => {
          throw new Error(`The sound could not start (piano samples or audio output): ${(e as Error)?.message ?? String(e)}`);
        }),
        this.deps.createWatchParts(input, synth).catch((e: unknown) => {
          if (e instanceof ModelLoadError) this.modelState.body2music = 'failed';
          throw e;
        }),
      ]);
      this.modelState.body2music = 'loaded';
      if (gen !== this.generation) {
        // Stopped while the camera and the models were starting: close the camera, show nothing.
        parts.source.stop();
        if (blobUrl) URL.revokeObjectURL(blobUrl);
        if (this.watchBlobUrl === blobUrl) this.watchBlobUrl = '';
        return;
      }
      const session = this.deps.createWatchSession(parts, (e) => this.report('watch', e));
      this.watch = session;
      session.start();
      this.el.preview.replaceChildren(parts.source.video);
      this.el.preview.classList.add('on');
    } catch (e) {
      if (this.modelState.body2music === 'loading') this.modelState.body2music = 'not loaded';
      if (gen !== this.generation) {
        if (blobUrl) URL.revokeObjectURL(blobUrl);
        if (this.watchBlobUrl === blobUrl) this.watchBlobUrl = '';
        return;
      }
      this.watch?.stop();
      this.watch = null;
      // Name the user's file rather than its blob: URL.
      const msg = (e as Error)?.message ?? String(e);
      this.report('watch', blobUrl && fileName ? new Error(msg.split(blobUrl).join(fileName)) : e);
      if (blobUrl) URL.revokeObjectURL(blobUrl);
      this.watchBlobUrl = '';
    }
  }

  private stopWatch(): void {
    this.watch?.stop();
    this.watch = null;
    this.board.clear('no-person');
    this.el.preview.classList.remove('on');
    this.el.preview.replaceChildren();
    if (this.watchBlobUrl) URL.revokeObjectURL(this.watchBlobUrl);
    this.watchBlobUrl = '';
  }

  async stop(): Promise<void> {
    this.generation++;
    this.board.clear('restart');
    this.stopWatch();
    await this.stopListen();
    await this.pianist?.stop();
  }

  /** The one animation loop: sample the latest poses, draw, update the status line (4 Hz). */
  private readonly frame = (nowMs: number): void => {
    requestAnimationFrame(this.frame);
    const dt = Number.isNaN(this.lastFrameMs) ? 1 / 60 : Math.min(0.25, (nowMs - this.lastFrameMs) / 1000);
    this.lastFrameMs = nowMs;
    const t0 = performance.now();
    try {
      const listen = this.listen;
      const target = listen && listen.sample(this.listenTarget) ? this.listenTarget : this.rest;
      // The timeline already interpolates 25 -> 60 fps; light smoothing hides the 25 fps corners.
      smoothToward(this.listenShown, target, dt, listen ? LISTEN_DISPLAY_TAU_S : 0.3);
      const watch = this.watch;
      smoothToward(this.watchShown, watch && watch.havePose ? watch.pose : this.rest, dt, watch && watch.havePose ? 0.08 : 0.5);
      // One figure per running mode, side by side when both run (the dancer at rest when none does).
      const showListen = listen !== null || watch === null;
      const showWatch = watch !== null;
      const both = showListen && showWatch;
      if (this.listenFigure) {
        this.listenFigure.setVisible(showListen);
        this.listenFigure.setX(both ? -FIGURE_SPACING / 2 : 0);
        this.listenFigure.setPose(this.listenShown);
      }
      if (this.watchFigure) {
        this.watchFigure.setVisible(showWatch);
        this.watchFigure.setX(both ? FIGURE_SPACING / 2 : 0);
        this.watchFigure.setPose(this.watchShown);
      }
      if (watch) {
        if (watch.noPersonInView(performance.now())) {
          this.board.show('no-person', 'No person in view: step into the camera picture (whole body, good light).', 'warn');
        } else {
          this.board.clear('no-person');
        }
      }
      const pianist = this.pianist?.active ? this.pianist : null;
      pianist?.update(dt);
      const view = pianist ?? this.view;
      // Software WebGL shares one GPU thread with BlazePose: draw at most SOFTWARE_DRAW_FPS there.
      if (view && (!view.software || nowMs - this.lastDrawMs >= 1000 / SOFTWARE_DRAW_FPS)) {
        this.lastDrawMs = nowMs;
        view.render();
        this.framesRendered++;
        this.frameRate.tick(nowMs);
        this.renderMs.add(performance.now() - t0);
      }
    } catch (e) {
      this.report('render', e);
    }
    if (nowMs - this.lastStatusMs > 250) {
      this.lastStatusMs = nowMs;
      this.updateStatus();
    }
  };

  private updateStatus(): void {
    this.updateLatency();
    const l = this.listen;
    const w = this.watch;
    const parts = [
      this.pianist?.active ? this.pianist.statusText() : `model: Dancer (sound→body ${modelStateText(this.modelState.audio2body)}, body→music ${modelStateText(this.modelState.body2music)})`,
      `display ${fmt(this.frameRate.rate, 0)} fps, draw ${fmt(this.renderMs.value, 1)} ms`,
    ];
    if (l) {
      const lat = this.listenFigures; // filled by updateLatency() above
      parts.push(`latency: sound→body ${fmt(l.displayDelay * 1000, 0)} ms shown behind the audio (model lag + margin), context base ${fmt(lat.baseLatencyMs, 1)} / output ${fmt(lat.outputLatencyMs, 1)} ms`);
    }
    const posture = l?.postureText() ?? '';
    if (l) parts.push(`listen[${l.kind}]: features ${fmt(l.featureMs.value, 2)} ms + step ${fmt(l.stepMs.value, 2)} ms/frame, ${l.framesStepped} frames, motion ${fmt(l.motion.value, 2)}/s${posture ? `, posture ${posture}` : ''}, gaps ${l.gaps}, audio underruns ${l.skippedQuanta} quanta`);
    if (w) parts.push(`watch: pose ${fmt(w.estimateMs.value, 0)} ms (${fmt(w.poseRate.value, 1)}/s), roll ${fmt(w.rollMs.value, 2)} ms, activity ${fmt(w.lastActivity, 2)}, notes ${this.synth?.notesPlayed ?? 0}`);
    const text = parts.join(' | ');
    if (text !== this.statusText) {
      this.statusText = text;
      this.el.status.textContent = text;
    }
  }

  /** Fills the latency figures in place and redraws the panel (4 Hz, with the status line); Dancer or Pianist. */
  private updateLatency(): void {
    const snap = this.latencySnapshot;
    snap.displayFps = this.frameRate.rate;
    snap.drawMs = this.renderMs.value;
    const pianist = this.pianist?.active ? this.pianist : null;
    snap.listen = (pianist ? pianist.fillListenLatency(this.listenFigures) : this.fillListenLatency(this.listenFigures)) ? this.listenFigures : null;
    snap.watch = (pianist ? pianist.fillWatchLatency(this.watchFigures) : this.fillWatchLatency(this.watchFigures)) ? this.watchFigures : null;
    this.latencyPanel.update(snap);
    this.latencyTable?.update();
  }

  /** Writes the Dancer Listen figures into `f`; false while Listen does not run. */
  private fillListenLatency(f: ListenFigures): boolean {
    if (!this.listen) return false;
    fillListenFigures(this.listen, f);
    return true;
  }

  /** Writes the Dancer Watch figures into `f`; false while Watch does not run. */
  private fillWatchLatency(f: WatchFigures): boolean {
    const w = this.watch;
    if (!w) return false;
    const synth = w.parts.synth;
    f.poseMs = w.estimateMs.value;
    f.poseRate = w.poseRate.value;
    f.rollMs = w.rollMs.value;
    f.modelFps = w.parts.pose2roll.config.fps;
    f.lookAheadMs = synth.lookAhead * 1000;
    f.baseLatencyMs = synth.baseLatency * 1000;
    f.outputLatencyMs = synth.outputLatency * 1000;
    return true;
  }

  /** Snapshot for tests (allocates; not called by the app itself). */
  state(): DuetState {
    const l = this.listen;
    const w = this.watch;
    const motion = l ? l.motion.value : 0;
    return {
      status: this.statusText,
      running: { listen: l !== null, watch: w !== null },
      models: { ...this.modelState },
      framesRendered: this.framesRendered,
      fps: this.frameRate.rate,
      listen: {
        frames: l?.framesStepped ?? 0,
        samples: l?.samplesReceived ?? 0,
        motion,
        gaps: l?.gaps ?? 0,
        skippedQuanta: l?.skippedQuanta ?? 0,
        input: l?.kind ?? 'none',
        sampleRate: l?.sampleRate ?? Number.NaN,
        featureMs: l?.featureMs.value ?? Number.NaN,
        stepMs: l?.stepMs.value ?? Number.NaN,
      },
      skeletonMotion: motion,
      watch: {
        withPerson: w?.framesWithPerson ?? 0,
        withoutPerson: w?.framesWithoutPerson ?? 0,
        ticks: w?.ticks ?? 0,
        activity: w?.lastActivity ?? 0,
        notesScheduled: w?.notesScheduled ?? 0,
        estimateMs: w?.estimateMs.value ?? Number.NaN,
        poseFps: w?.poseRate.value ?? Number.NaN,
        personInView: w?.havePose ?? false,
      },
      notesPlayed: this.synth?.notesPlayed ?? 0,
      notesByInstrument: { ...(this.synth?.notesByInstrument ?? {}) },
      messages: this.board.texts(),
      lastError: this.board.lastError,
      latency: this.latencyPanel.shownRows(),
      model: this.pianist?.active ? 'pianist' : 'dancer',
      pianist: this.pianist?.state() ?? null,
    };
  }

  /** Displacement of the drawn Listen figure from the rest pose (body-scale units, mean over joints). */
  listenOffsetFromRest(): number {
    return meanJointDisplacement(this.listenShown, this.rest);
  }
}
