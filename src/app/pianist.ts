/**
 * Pianist mode of the Duet page: owns the Pianist 3D view (its own canvas, created when Pianist is first chosen), the
 * pianist Listen and Watch sessions and their models, and what the page shows while the pianist models are not
 * installed (a clear message, the keyboard and a pianist at rest). DuetApp delegates Start/Stop, drawing and the model
 * part of the status line to it while Pianist is the chosen model.
 *
 * Per animation frame (`update`): Listen's timeline is sampled on the audio clock (147 keypoints + 88 keys), Watch's
 * latest keypoints and sounding keys are read; both are smoothed into preallocated arrays and handed to the view.
 *
 * Keyboard calibration: the "Calibrate keyboard" button (shown in Pianist mode, enabled while Watch runs) starts
 * Watch's calibration flow (./pianist-calibration.ts); its prompts, result or failure are shown as a message, the button
 * cancels a calibration in progress, and Stop ends it with Watch.
 */
import { openMicrophone } from '../capture/audio';
import { NUM_KEYS } from '../features/piano/keyboard';
import { LEFT_HAND, PIANIST_DIM, RIGHT_HAND } from '../features/piano/layout';
import { createPianistView } from '../render/pianist';
import { smoothKeypointsToward } from '../render/pianist-motion';
import { pianistRestPose } from '../render/pianist-rest';
import type { PianistFigure, PianistView } from '../render/pianist-types';
import type { CalibrationStep } from '../features/hands/calibration';
import { fillListenFigures, type ListenFigures, type WatchFigures } from './latency-panel';
import { ModelLoadError } from './errors';
import type { ListenInput } from './listen';
import type { MessageLevel } from './messages';
import { calibrationText, type PianistCalibrationState } from './pianist-calibration';
import { PIANIST_FRAME_DIM, PianistListenSession } from './pianist-listen';
import {
  notInstalledMessage, PianistModelMissingError, type PianistDeps, type PianistListenModel, type PianistModelName,
  type PianistWatchSession,
} from './pianist-models';
import { fmt } from './stats';

/** The page elements Pianist mode uses. */
export interface PianistElements {
  /** Canvas of the Pianist view (hidden while Dancer is chosen). */
  readonly canvas: HTMLCanvasElement;
  /** Canvas of the dancers' view (hidden while Pianist is chosen). */
  readonly dancerCanvas: HTMLCanvasElement;
  readonly listenFile: HTMLInputElement;
  readonly watchFile: HTMLInputElement;
  /** Container the watched video is shown in. */
  readonly preview: HTMLElement;
  /** The "Calibrate keyboard" button (optional; hidden outside Pianist mode, disabled while Watch is not running). */
  readonly calibrate?: HTMLButtonElement;
}

/** Where messages go (the page's MessageBoard). */
export interface PianistBoard {
  show(key: string, text: string, level?: MessageLevel): void;
  clear(key: string): void;
}

/** State of one pianist model, as the status line shows it. */
export type PianistModelState = 'not checked' | 'not installed' | 'installed' | 'loading' | 'loaded' | 'failed';

/** Read-only state for tests. */
export interface PianistState {
  /** Pianist is the chosen model. */
  active: boolean;
  /** The Pianist view exists (WebGL started). */
  view: boolean;
  models: Record<PianistModelName, PianistModelState>;
  running: { listen: boolean; watch: boolean };
  /** Frames drawn by the Pianist view. */
  framesRendered: number;
  /** Keys lit (activation >= 0.5) at the last draw. */
  keysLit: number;
  /** The Listen figure shows the rest pose (no model output yet). */
  atRest: boolean;
  listenFrames: number;
  /** RMS level of the Listen input so far (1 = full scale), 0 before any. */
  listenInputRms: number;
  /** x (cm along the keyboard, toward high notes) of the Listen figure's right and left wrists as drawn. */
  listenWristX: { right: number; left: number };
  notesPlayed: number;
  /** Watch's keyboard calibration (null while Watch is not running). */
  calibration: PianistCalibrationState | null;
}

/** A model's state as the status line words it (models load on the first Start). */
function pianistStateText(s: PianistModelState): string {
  return s === 'installed' ? 'installed, loads on Start' : s === 'not checked' ? 'checking' : s;
}

/** Message key of the calibration's prompts and result. */
const CALIBRATION_KEY = 'pianist-calibration';

/** Message keys used by Pianist mode (cleared when Dancer is chosen). */
const KEYS_USED = Object.freeze(['pianist-models', 'pianist-listen', 'pianist-watch', 'pianist-webgl', 'pianist-choose', CALIBRATION_KEY]);

/** Display smoothing time constants, s: model output (already interpolated), the tracked performer, back to rest. */
const TAU_LISTEN = 0.03;
const TAU_WATCH = 0.08;
const TAU_REST = 0.3;

export class PianistMode {
  active = false;
  private view: PianistView | null = null;
  private listenFigure: PianistFigure | null = null;
  private watchFigure: PianistFigure | null = null;
  private listen: PianistListenSession | null = null;
  private watch: PianistWatchSession | null = null;
  private listenModel: Promise<PianistListenModel> | null = null;
  private readonly models: Record<PianistModelName, PianistModelState> = { audio2body: 'not checked', body2music: 'not checked' };
  private readonly rest = pianistRestPose();
  private readonly listenShown = this.rest.slice();
  private readonly watchShown = this.rest.slice();
  private readonly listenFrame = new Float32Array(PIANIST_FRAME_DIM);
  private readonly listenKeypoints = this.listenFrame.subarray(0, PIANIST_DIM);
  private readonly listenKeys = this.listenFrame.subarray(PIANIST_DIM, PIANIST_DIM + NUM_KEYS);
  private framesRendered = 0;
  /** Bumped by every Stop (and by leaving Pianist): a start that an await let it overtake drops what it opened. */
  private generation = 0;
  private atRest = true;
  private watchBlobUrl = '';
  /** What the calibration button and message show now (changed only when these change). */
  private shownActive = false;
  private shownWatch = false;
  private shownStep: CalibrationStep = 'idle';
  /** While calibrating: the hold's progress in tenths and whether the step's hand is seen, as last shown. */
  private shownTenths = -1;
  private shownSeen = false;

  constructor(private readonly el: PianistElements, private readonly board: PianistBoard, private readonly deps: PianistDeps) {
    el.calibrate?.addEventListener('click', () => this.toggleCalibration());
  }

  /** Starts Watch's keyboard calibration, or cancels the one in progress (the button). */
  toggleCalibration(): void {
    const w = this.active ? this.watch : null;
    if (!w) return;
    if (w.calibration.calibrating) w.cancelCalibration();
    else w.startCalibration();
    this.syncCalibration();
  }

  /** Brings the calibration button and message in line with Watch's calibration (touches the page only on a change). */
  private syncCalibration(): void {
    const w = this.active ? this.watch : null;
    const c = w?.calibration ?? null;
    const step = c ? c.step : 'idle';
    const tenths = c?.calibrating ? Math.floor(c.progress * 10) : -1;
    const seen = c?.handSeen ?? false;
    if (this.active === this.shownActive && (w !== null) === this.shownWatch && step === this.shownStep && tenths === this.shownTenths && seen === this.shownSeen) return;
    this.shownActive = this.active;
    this.shownWatch = w !== null;
    this.shownStep = step;
    this.shownTenths = tenths;
    this.shownSeen = seen;
    const btn = this.el.calibrate;
    if (btn) {
      btn.hidden = !this.active;
      btn.disabled = w === null;
      btn.textContent = c?.calibrating ? 'Cancel calibration' : 'Calibrate keyboard';
    }
    if (!c || step === 'idle') this.board.clear(CALIBRATION_KEY);
    else this.board.show(CALIBRATION_KEY, calibrationText(c), step === 'failed' ? 'warn' : 'info');
  }

  /** Shows the Pianist view (created on first use) and checks which pianist models are installed. */
  async activate(): Promise<void> {
    this.active = true;
    this.el.dancerCanvas.hidden = true;
    this.el.canvas.hidden = false;
    if (!this.view) {
      try {
        this.view = createPianistView({ canvas: this.el.canvas });
        this.listenFigure = this.view.addPianist({ color: 0x4aa3ff });
        this.watchFigure = this.view.addPianist({ color: 0xff9a3c });
        this.watchFigure.setVisible(false);
      } catch (e) {
        this.board.show('pianist-webgl', `The pianist's 3D view cannot start (WebGL unavailable: ${(e as Error).message}).`);
      }
    }
    this.syncCalibration();
    await this.checkModels();
  }

  /** Stops pianist sessions, hides the view and its messages (Dancer chosen). */
  async deactivate(): Promise<void> {
    this.active = false;
    await this.stop();
    this.el.canvas.hidden = true;
    this.el.dancerCanvas.hidden = false;
    this.syncCalibration();
    for (const k of KEYS_USED) this.board.clear(k);
  }

  private async checkModels(): Promise<void> {
    const names: PianistModelName[] = ['audio2body', 'body2music'];
    const installed = await Promise.all(names.map((n) => this.deps.isInstalled(n).catch(() => false)));
    if (!this.active) return;
    names.forEach((n, i) => {
      if (this.models[n] === 'not checked' || this.models[n] === 'not installed' || this.models[n] === 'installed') this.models[n] = installed[i] ? 'installed' : 'not installed';
    });
    const missing = names.filter((_, i) => !installed[i]);
    if (missing.length > 0) this.board.show('pianist-models', notInstalledMessage(missing), 'warn');
    else this.board.clear('pianist-models');
  }

  private loadListenModel(): Promise<PianistListenModel> {
    if (!this.listenModel) {
      this.models.audio2body = 'loading';
      this.listenModel = this.deps.loadListenModel().then(
        (m) => {
          this.models.audio2body = 'loaded';
          return m;
        },
        (e: unknown) => {
          this.models.audio2body = e instanceof PianistModelMissingError ? 'not installed' : 'failed';
          this.listenModel = null; // retry on the next Start
          throw e;
        },
      );
    }
    return this.listenModel;
  }

  /** Starts the chosen modes (each fails with its own message; the page keeps running). */
  async start(listenChoice: string, watchChoice: string): Promise<void> {
    if (listenChoice === 'off' && watchChoice === 'off') {
      this.board.show('pianist-choose', 'Choose a sound source (Listen) or a movement source (Watch), then press Start.', 'info');
      return;
    }
    this.board.clear('pianist-choose');
    const tasks: Promise<void>[] = [];
    const gen = this.generation;
    if (listenChoice !== 'off') tasks.push(this.startListen(listenChoice === 'file' ? 'file' : 'microphone', gen));
    if (watchChoice !== 'off') tasks.push(this.startWatch(watchChoice === 'file' ? 'file' : 'camera', gen));
    await Promise.all(tasks);
  }

  /** Starts Listen; `gen` is the Stop count at Start (a Stop since then cancels this start). */
  private async startListen(choice: 'microphone' | 'file', gen: number): Promise<void> {
    await this.stopListen();
    this.board.clear('pianist-listen');
    try {
      // The model first: without it there is nothing to drive the pianist, so the microphone is not opened at all.
      const model = await this.loadListenModel();
      let input: ListenInput;
      if (choice === 'file') {
        const f = this.el.listenFile.files?.[0];
        if (!f) throw new Error('Choose an audio file first (Listen → Audio file).');
        input = { kind: 'file', data: await f.arrayBuffer(), name: f.name };
      } else {
        input = { kind: 'microphone', stream: await openMicrophone() };
      }
      if (gen !== this.generation) {
        if (input.kind === 'microphone') input.stream.getTracks().forEach((t) => t.stop());
        return;
      }
      const session = new PianistListenSession(model, (e) => this.board.show('pianist-listen', (e as Error)?.message ?? String(e)));
      this.listen = session;
      await session.start(input);
    } catch (e) {
      this.listen = null;
      if (gen === this.generation) this.board.show('pianist-listen', `Pianist Listen: ${(e as Error)?.message ?? String(e)}`);
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
    this.board.clear('pianist-watch');
    let fileName = '';
    const before = this.models.body2music;
    try {
      let input: { kind: 'camera' } | { kind: 'file'; url: string } = { kind: 'camera' };
      if (choice === 'file') {
        const f = this.el.watchFile.files?.[0];
        if (!f) throw new Error('Choose a video file first (Watch → Video file).');
        this.watchBlobUrl = URL.createObjectURL(f);
        fileName = f.name;
        input = { kind: 'file', url: this.watchBlobUrl };
      }
      if (this.models.body2music !== 'loaded') this.models.body2music = 'loading';
      const session = await this.deps.createWatch(input, (e) => this.board.show('pianist-watch', (e as Error)?.message ?? String(e)));
      this.models.body2music = 'loaded';
      if (gen !== this.generation) {
        session.stop(); // stopped (or Dancer chosen) while the camera and the model were starting
        return;
      }
      this.watch = session;
      this.el.preview.replaceChildren(session.video);
      this.el.preview.classList.add('on');
      this.syncCalibration();
    } catch (e) {
      // Only a model that cannot be loaded is 'failed'; a missing or broken video leaves the model as it was.
      this.models.body2music = e instanceof PianistModelMissingError ? 'not installed' : e instanceof ModelLoadError && e.which === 'body2music' ? 'failed' : before === 'loading' ? 'not checked' : before;
      if (gen !== this.generation) return;
      const msg = (e as Error)?.message ?? String(e);
      this.board.show('pianist-watch', `Pianist Watch: ${this.watchBlobUrl && fileName ? msg.split(this.watchBlobUrl).join(fileName) : msg}`);
      this.stopWatch();
    }
  }

  private stopWatch(): void {
    const w = this.watch;
    this.watch = null;
    w?.stop();
    this.el.preview.classList.remove('on');
    this.el.preview.replaceChildren();
    if (this.watchBlobUrl) URL.revokeObjectURL(this.watchBlobUrl);
    this.watchBlobUrl = '';
    this.syncCalibration();
  }

  async stop(): Promise<void> {
    this.generation++;
    this.stopWatch();
    await this.stopListen();
  }

  /** Samples the running sessions and updates the figures and keys (no allocation); call once per animation frame. */
  update(dt: number): void {
    this.syncCalibration();
    const view = this.view;
    if (!view || !this.active) return;
    const listen = this.listen;
    const haveListen = listen !== null && listen.sample(this.listenFrame);
    this.atRest = !haveListen;
    smoothKeypointsToward(this.listenShown, haveListen ? this.listenKeypoints : this.rest, dt, haveListen ? TAU_LISTEN : TAU_REST);
    if (haveListen) view.setKeys('listen', this.listenKeys);
    else view.clearKeys('listen');
    const watch = this.watch;
    // One pianist per running mode (the pianist at rest when none runs); both share the keyboard.
    this.listenFigure?.setVisible(listen !== null || watch === null);
    this.listenFigure?.setPose(this.listenShown);
    this.watchFigure?.setVisible(watch !== null);
    if (watch) {
      smoothKeypointsToward(this.watchShown, watch.havePose ? watch.keypoints : this.rest, dt, watch.havePose ? TAU_WATCH : TAU_REST);
      this.watchFigure?.setPose(this.watchShown);
      view.setKeys('watch', watch.keys);
    } else {
      view.clearKeys('watch');
    }
  }

  /** True when the Pianist view draws on a software rasterizer. */
  get software(): boolean {
    return this.view?.software ?? false;
  }

  /** Draws one frame. */
  render(): void {
    if (!this.view) return;
    this.view.render();
    this.framesRendered++;
  }

  /** Writes Pianist Listen's live latency figures into `out`; false (nothing written) while it does not run. */
  fillListenLatency(out: ListenFigures): boolean {
    const l = this.active ? this.listen : null;
    if (!l) return false;
    fillListenFigures(l, out);
    return true;
  }

  /** Writes Pianist Watch's live latency figures into `out`; false (nothing written) while it does not run. */
  fillWatchLatency(out: WatchFigures): boolean {
    const w = this.active ? this.watch : null;
    if (!w) return false;
    w.fillLatency(out);
    return true;
  }

  /** The model part of the status line. */
  statusText(): string {
    const parts = [`model: Pianist (sound→hands ${pianistStateText(this.models.audio2body)}, hands→piano ${pianistStateText(this.models.body2music)})`];
    const l = this.listen;
    if (l) parts.push(`listen[${l.kind}]: features ${fmt(l.featureMs.value, 2)} ms + step ${fmt(l.stepMs.value, 2)} ms/frame, ${l.framesStepped} frames, shown ${fmt(l.displayDelay * 1000, 0)} ms behind the audio`);
    const w = this.watch;
    if (w) parts.push(`watch: notes ${w.notesPlayed}${w.statusText() ? `, ${w.statusText()}` : ''}`);
    if (this.view) parts.push(`keys lit ${this.view.keysLit}`);
    return parts.join(' | ');
  }

  /** Snapshot for tests (allocates). */
  state(): PianistState {
    return {
      active: this.active,
      view: this.view !== null,
      models: { ...this.models },
      running: { listen: this.listen !== null, watch: this.watch !== null },
      framesRendered: this.framesRendered,
      keysLit: this.view?.keysLit ?? 0,
      atRest: this.atRest,
      listenFrames: this.listen?.framesStepped ?? 0,
      listenInputRms: this.listen?.inputRms ?? 0,
      listenWristX: { right: this.listenShown[3 * RIGHT_HAND], left: this.listenShown[3 * LEFT_HAND] },
      notesPlayed: this.watch?.notesPlayed ?? 0,
      calibration: this.calibrationState(),
    };
  }

  private calibrationState(): PianistCalibrationState | null {
    const c = this.watch?.calibration;
    return c ? { inUse: c.inUse, step: c.step, calibrating: c.calibrating, progress: c.progress, handSeen: c.handSeen, message: c.message } : null;
  }

  /** Frees the view; safe to call twice. */
  dispose(): void {
    this.view?.dispose();
  }
}
