/**
 * The latency panel's content: a snapshot of the live figures (display, Listen, Watch) -> a fixed list of rows (label,
 * value text, stated target and whether the figure is over it). Pure and DOM-free; the page draws the rows
 * (./latency-table.ts) and the test hook reads them (app.ts `state().latency`).
 *
 * The rows are allocated once; {@link LatencyPanel.update} rewrites them in place (only the value texts are new strings),
 * so the app can call it from its 4 Hz status update.
 *
 * Estimates:
 * - sound -> skeleton (Listen): {@link soundToSkeletonBudgetMs} with the model's lag and the measured display rate (half
 *   a model frame, model lag, display margin and smoothing, one display frame). Target {@link SOUND_TO_SKELETON_TARGET_MS}.
 * - movement -> sound (Watch): {@link movementToSoundBudgetMs} (the benchmark's formula: one camera frame at an assumed
 *   30 fps, half a model frame, the movement model's step, the synth's note lookahead, the audio context's base and
 *   output latency) plus the pose estimate, and the same without the pose estimate (the camera model's cost depends on
 *   the machine, not on this app's scheduling), whose target is {@link MOVEMENT_TO_SOUND_TARGET_MS}.
 */
import { CAMERA_FPS, movementToSoundBudgetMs, soundToSkeletonBudgetMs } from './latency';

/** Target of the sound -> skeleton estimate, ms. */
export const SOUND_TO_SKELETON_TARGET_MS = 100;
/** Target of the movement -> sound estimate without the pose estimate, ms. */
export const MOVEMENT_TO_SOUND_TARGET_MS = 30;
/** Display rate assumed while none is measured yet (before two drawn frames, or no 3D view), frames per second. */
export const DEFAULT_REFRESH_HZ = 60;

/** Listen figures (all ms unless stated). */
export interface ListenFigures {
  /** Feature extraction per hop (one model frame) and model step, ms (NaN: none yet). */
  featureMs: number;
  stepMs: number;
  /** Model lag in model frames, and the model's frame rate, frames per second. */
  lagFrames: number;
  modelFps: number;
  /** Delay the app applies between a pose's audio time and its display (ListenSession.displayDelay), ms. */
  displayDelayMs: number;
  /** The Listen AudioContext's baseLatency and outputLatency, ms (0 where the browser does not report them). */
  baseLatencyMs: number;
  outputLatencyMs: number;
}

/** What a running Listen session reports (ListenSession and PianistListenSession). */
export interface ListenLatencySource {
  readonly featureMs: { readonly value: number };
  readonly stepMs: { readonly value: number };
  readonly lagFrames: number;
  readonly modelFps: number;
  /** Seconds between a pose's audio time and its display. */
  readonly displayDelay: number;
  readonly contextLatencyMs: { readonly base: number; readonly output: number };
}

/** Copies a Listen session's figures into `out` (in place; returns it). */
export function fillListenFigures(s: ListenLatencySource, out: ListenFigures): ListenFigures {
  out.featureMs = s.featureMs.value;
  out.stepMs = s.stepMs.value;
  out.lagFrames = s.lagFrames;
  out.modelFps = s.modelFps;
  out.displayDelayMs = s.displayDelay * 1000;
  const lat = s.contextLatencyMs;
  out.baseLatencyMs = lat.base;
  out.outputLatencyMs = lat.output;
  return out;
}

/** Watch figures (all ms unless stated). */
export interface WatchFigures {
  /** Pose (Dancer) or hands (Pianist) estimate per camera frame, ms, and estimates per second (NaN: none yet). */
  poseMs: number;
  poseRate: number;
  /** Movement model step per 25 fps tick (Dancer: body2music Pose2Roll; Pianist: Pose2Roll + Roll2Midi), ms. */
  rollMs: number;
  /** The movement model's frame rate, frames per second (Watch waits half a frame for its next tick). */
  modelFps: number;
  /** The synth's note scheduling lookahead, ms. */
  lookAheadMs: number;
  /** The synth's AudioContext baseLatency and outputLatency, ms (0 before it starts or where not reported). */
  baseLatencyMs: number;
  outputLatencyMs: number;
}

/** What the panel shows; a mode that does not run is null. */
export interface LatencySnapshot {
  /** Measured display (draw) rate, frames per second (NaN: not measured yet). */
  displayFps: number;
  /** Time to sample the poses and draw one frame, ms. */
  drawMs: number;
  listen: ListenFigures | null;
  watch: WatchFigures | null;
}

export type LatencyGroup = 'display' | 'listen' | 'watch';

export type LatencyRowKey =
  | 'display-fps'
  | 'draw'
  | 'listen-features'
  | 'listen-step'
  | 'listen-lag'
  | 'listen-display-delay'
  | 'listen-base'
  | 'listen-output'
  | 'sound-to-skeleton'
  | 'watch-pose'
  | 'watch-pose-rate'
  | 'watch-roll'
  | 'watch-camera-frame'
  | 'watch-model-wait'
  | 'watch-lookahead'
  | 'watch-base'
  | 'watch-output'
  | 'movement-to-sound'
  | 'movement-to-sound-without-pose';

export interface LatencyRow {
  readonly key: LatencyRowKey;
  readonly group: LatencyGroup;
  readonly label: string;
  /** The figure in `unit` (NaN: unknown). */
  value: number;
  readonly unit: 'ms' | 'fps' | '/s';
  /** The value as shown ('—' when unknown). */
  text: string;
  /** Stated target ('' for none), shown beside the value; `targetMs` is NaN for none. */
  readonly target: string;
  readonly targetMs: number;
  /** True when the figure is known and over its target. */
  over: boolean;
  /** False while the row's mode does not run. */
  shown: boolean;
}

/** Shown for an unknown figure. */
export const UNKNOWN = '—';

function num(x: number, digits: number, unit: string): string {
  return Number.isFinite(x) ? `${x.toFixed(digits)} ${unit}` : UNKNOWN;
}

function row(key: LatencyRowKey, group: LatencyGroup, label: string, unit: LatencyRow['unit'], targetMs = Number.NaN, target = ''): LatencyRow {
  return { key, group, label, value: Number.NaN, unit, text: UNKNOWN, target, targetMs, over: false, shown: false };
}

/** The panel's rows, in display order, rewritten in place by {@link LatencyPanel.update}. */
export class LatencyPanel {
  readonly rows: readonly LatencyRow[];
  /** True when Listen or Watch runs (the panel is hidden otherwise). */
  active = false;
  private readonly byKey: Record<LatencyRowKey, LatencyRow>;

  constructor() {
    const rows: LatencyRow[] = [
      row('display-fps', 'display', 'Display rate', 'fps'),
      row('draw', 'display', 'Draw per frame', 'ms'),
      row('listen-features', 'listen', 'Features per hop', 'ms'),
      row('listen-step', 'listen', 'Model step', 'ms'),
      row('listen-lag', 'listen', 'Model lag', 'ms'),
      row('listen-display-delay', 'listen', 'Display delay', 'ms'),
      row('listen-base', 'listen', 'Audio base latency', 'ms'),
      row('listen-output', 'listen', 'Audio output latency', 'ms'),
      row('sound-to-skeleton', 'listen', 'Sound → motion (est.)', 'ms', SOUND_TO_SKELETON_TARGET_MS, `≤ ${SOUND_TO_SKELETON_TARGET_MS} ms`),
      row('watch-pose', 'watch', 'Pose / hands estimate', 'ms'),
      row('watch-pose-rate', 'watch', 'Estimates', '/s'),
      row('watch-roll', 'watch', 'Movement model step', 'ms'),
      row('watch-camera-frame', 'watch', `Camera frame (${CAMERA_FPS} fps)`, 'ms'),
      row('watch-model-wait', 'watch', 'Wait for the model frame', 'ms'),
      row('watch-lookahead', 'watch', 'Note lookahead', 'ms'),
      row('watch-base', 'watch', 'Audio base latency', 'ms'),
      row('watch-output', 'watch', 'Audio output latency', 'ms'),
      row('movement-to-sound', 'watch', 'Movement → sound (est.)', 'ms'),
      row('movement-to-sound-without-pose', 'watch', '… without pose', 'ms', MOVEMENT_TO_SOUND_TARGET_MS, `≤ ${MOVEMENT_TO_SOUND_TARGET_MS} ms`),
    ];
    this.rows = rows;
    this.byKey = Object.fromEntries(rows.map((r) => [r.key, r])) as Record<LatencyRowKey, LatencyRow>;
  }

  /** The row with `key`. */
  get(key: LatencyRowKey): LatencyRow {
    return this.byKey[key];
  }

  private set(key: LatencyRowKey, value: number, text: string, over = false): void {
    const r = this.byKey[key];
    r.value = value;
    // Keep the old string when equal, so the page can compare by identity and skip the DOM write.
    if (r.text !== text) r.text = text;
    r.over = over;
  }

  /** Rewrites the rows from `s` (rows of a mode that does not run are marked not shown, with unknown values). */
  update(s: LatencySnapshot): void {
    const l = s.listen;
    const w = s.watch;
    this.active = l !== null || w !== null;
    for (const r of this.rows) r.shown = this.active && (r.group === 'display' || (r.group === 'listen' ? l !== null : w !== null));
    this.set('display-fps', s.displayFps, num(s.displayFps, 0, 'fps'));
    this.set('draw', s.drawMs, num(s.drawMs, 1, 'ms'));

    if (l) {
      const lagMs = (l.lagFrames / l.modelFps) * 1000;
      const hz = Number.isFinite(s.displayFps) && s.displayFps > 0 ? s.displayFps : DEFAULT_REFRESH_HZ;
      const total = soundToSkeletonBudgetMs(l.lagFrames, l.modelFps, hz).total_ms;
      this.set('listen-features', l.featureMs, num(l.featureMs, 2, 'ms'));
      this.set('listen-step', l.stepMs, num(l.stepMs, 2, 'ms'));
      this.set('listen-lag', lagMs, Number.isFinite(lagMs) ? `${l.lagFrames} ${l.lagFrames === 1 ? 'frame' : 'frames'}, ${lagMs.toFixed(0)} ms` : UNKNOWN);
      this.set('listen-display-delay', l.displayDelayMs, num(l.displayDelayMs, 0, 'ms'));
      this.set('listen-base', l.baseLatencyMs, num(l.baseLatencyMs, 1, 'ms'));
      this.set('listen-output', l.outputLatencyMs, num(l.outputLatencyMs, 1, 'ms'));
      this.set('sound-to-skeleton', total, num(total, 0, 'ms'), total > SOUND_TO_SKELETON_TARGET_MS);
    } else {
      for (const r of this.rows) if (r.group === 'listen') this.set(r.key, Number.NaN, UNKNOWN);
    }

    if (w) {
      const b = movementToSoundBudgetMs({ modelFps: w.modelFps, modelMs: w.rollMs, schedulingMs: w.lookAheadMs, baseLatencyMs: w.baseLatencyMs, outputLatencyMs: w.outputLatencyMs });
      const sched = b.excl_pose_ms;
      const total = w.poseMs + sched;
      this.set('watch-pose', w.poseMs, num(w.poseMs, 0, 'ms'));
      this.set('watch-pose-rate', w.poseRate, num(w.poseRate, 1, '/s'));
      this.set('watch-roll', w.rollMs, num(w.rollMs, 2, 'ms'));
      this.set('watch-camera-frame', b.camera_frame_ms, num(b.camera_frame_ms, 1, 'ms'));
      this.set('watch-model-wait', b.model_frame_wait_ms, num(b.model_frame_wait_ms, 0, 'ms'));
      this.set('watch-lookahead', w.lookAheadMs, num(w.lookAheadMs, 0, 'ms'));
      this.set('watch-base', w.baseLatencyMs, num(w.baseLatencyMs, 1, 'ms'));
      this.set('watch-output', w.outputLatencyMs, num(w.outputLatencyMs, 1, 'ms'));
      this.set('movement-to-sound', total, num(total, 0, 'ms'));
      this.set('movement-to-sound-without-pose', sched, num(sched, 0, 'ms'), sched > MOVEMENT_TO_SOUND_TARGET_MS);
    } else {
      for (const r of this.rows) if (r.group === 'watch') this.set(r.key, Number.NaN, UNKNOWN);
    }
  }

  /** Copies of the shown rows (allocates; for the test hook). */
  shownRows(): LatencyRow[] {
    return this.rows.filter((r) => r.shown).map((r) => ({ ...r }));
  }
}
