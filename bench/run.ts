/**
 * `npm run bench`: stage timings, ratios, memory growth and end-to-end latency estimates, in Node and headless
 * Chromium (Debian's /usr/bin/chromium). Writes bench/results.json and bench/summary.md.
 *
 * End-to-end estimates are sums of measured parts (p50) and stated constants:
 * - sound_to_skeleton_ms = the app's own budget (src/app/latency.ts soundToSkeletonBudgetMs: half a model frame, the
 *   model lag, the display margin that covers the worklet batch, the display smoothing, one 60 Hz display frame) +
 *   features_hop + audio2body_step. The model lag is max(lookahead, the card's measured onset_response_lag_frames).
 * - movement_to_sound_excl_pose_ms = src/app/latency.ts movementToSoundBudgetMs (the app's latency panel uses it too):
 *   one camera frame interval (33.3 ms at 30 fps) + half a model frame (mean wait for the 25 fps tick: 20 ms) +
 *   body2music_step + roll_to_notes + half a scheduler tick (mean wait for the clock that decides notes:
 *   updateInterval / 2) + schedule_lead + the AudioContext's base and output latency.
 * - after_pose_ms: the part of the above that Duet's code adds once a pose is known (model, scheduling, audio output;
 *   no camera frame, no 25 fps resampling).
 * - movement_to_sound_ms = movement_to_sound_excl_pose_ms + pose_lite.
 * schedule_lead comes from the app's WatchSession run in real time on stand-in poses (bench/page.ts); the same run with
 * the main thread held for 30 ms per pose estimate (BlazePose's scale with a GPU) is reported under
 * `scheduling.with_pose_load`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { ARTIFACTS, ROOT, SHARED_DATA, launchBrowser, offMachineRequests, openPage, startServer } from '../tests/browser/harness';
import { runNodeBench } from './node';
import type { StageStats } from './stats';
import { modelLagFrames, movementToSoundBudgetMs, smoothingDelayFrames, soundToSkeletonBudgetMs } from '../src/app/latency';

const log = (s: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`);
/**
 * Main-thread block per pose estimate in the loaded scheduling run, ms: BlazePose's scale on a machine with a GPU. (On
 * this machine's software WebGL an estimate takes 0.3-4 s; poses then come too rarely for the tracker to lock at all.)
 */
const POSE_BLOCK_MS = 30;

/** What the schedule_lead page stage returns. */
interface ScheduleResult {
  lead: StageStats | null;
  notes: number;
  late_notes: number;
  late_beats: number;
  skipped_beats: number;
  max_stall_margin_ms: number;
  tick_interval: StageStats | null;
  block_ms: number;
  pose_estimates: number;
  window_ms: number;
  lookAhead_ms: number;
  updateInterval_ms: number;
  baseLatency_ms: number;
  outputLatency_ms: number;
  sampleRate: number;
}

/** Every `every`-th frame of a shared video (at most 20 frames) as PNG files Vite can serve. */
function videoImages(clip: string, every: number, folder: string): string[] {
  const dir = join(ARTIFACTS, folder);
  const src = join(SHARED_DATA, 'video', clip);
  if (!existsSync(src)) throw new Error(`${src} not found: the pose and hand benchmarks need ../shared/data`);
  if (!existsSync(dir) || readdirSync(dir).length === 0) {
    mkdirSync(dir, { recursive: true });
    execFileSync('ffmpeg', ['-y', '-loglevel', 'error', '-i', src, '-vf', `select=not(mod(n\\,${every}))`, '-vsync', 'vfr', '-frames:v', '20', join(dir, 'f%03d.png')]);
  }
  return readdirSync(dir).filter((f) => f.endsWith('.png')).sort().map((f) => `/tests/.artifacts/${folder}/${f}`);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const node = await runNodeBench(log);
  const { server, url } = await startServer();
  const browser = await launchBrowser({ extraArgs: ['--js-flags=--expose-gc', '--enable-precise-memory-info'] });
  const { page, requests, logs } = await openPage(browser, `${url}/bench/page.html`);
  await page.waitForFunction(() => document.title.startsWith('Duet bench ready'), null, { timeout: 120_000 });
  const isolated = (await page.title()) === 'Duet bench ready';
  const run = async <T>(name: string, arg?: unknown): Promise<T> => {
    log(`browser: ${name}`);
    return (await page.evaluate(([n, a]) => window.__bench.run(n as string, a), [name, arg] as const)) as T;
  };
  try {
    const features_hop = await run<StageStats>('features_hop');
    const a2b = await run<{ step: StageStats; predict: Record<string, StageStats>; lookahead: number }>('audio2body_step');
    const render = await run<StageStats & { width: number; height: number; renderer: string }>('render_frame');
    const b2m = await run<{ step: StageStats; roll_to_notes: StageStats; notes: number }>('body2music');
    const pitch_hop = await run<StageStats>('pitch_hop');
    const piano = await run<{ audio2body_piano_step: StageStats; body2music_piano_step: StageStats; lookahead: number; notes: number }>('piano_steps');
    const images = videoImages('pose_1.mp4', 6, 'bench-frames');
    const handImages = videoImages('asl_hand.25fps.mp4', 16, 'bench-hand-frames');
    const sched = await run<ScheduleResult>('schedule_lead', { seconds: 20 });
    const schedLoaded = await run<ScheduleResult>('schedule_lead', { seconds: 20, blockMs: POSE_BLOCK_MS });
    const contextLatency = await run<unknown[]>('context_latency');
    const pose_lite = await run<StageStats & { found: number }>('pose', { modelType: 'lite', images });
    const pose_full = await run<StageStats & { found: number }>('pose', { modelType: 'full', images });
    const hands = await run<StageStats & { found: number }>('hands', { modelType: 'full', images: handImages });
    const hands_lite = await run<StageStats & { found: number }>('hands', { modelType: 'lite', images: handImages });
    const memory = {
      listen: await run('memory_listen'),
      watch: await run('memory_watch'),
      pianist_listen: await run('memory_pianist_listen'),
      pianist_watch: await run('memory_pianist_watch'),
      render: await run('memory_render'),
    };
    const lead = sched.lead ?? { p50_ms: NaN, p95_ms: NaN, max_ms: NaN, n: 0 };
    const b2mConfig = JSON.parse(readFileSync(join(ROOT, 'models', 'body2music-dance', 'config.json'), 'utf8')) as { fps: number };
    const m2s = movementToSoundBudgetMs({
      modelFps: b2mConfig.fps,
      modelMs: b2m.step.p50_ms + b2m.roll_to_notes.p50_ms,
      schedulingMs: sched.updateInterval_ms / 2 + lead.p50_ms,
      baseLatencyMs: sched.baseLatency_ms,
      outputLatencyMs: sched.outputLatency_ms,
    });
    const afterPose = m2s.after_pose_ms;
    const exclPose = m2s.excl_pose_ms;
    const round = (v: number) => Math.round(v * 10) / 10;
    const a2bConfig = JSON.parse(readFileSync(join(ROOT, 'models', 'audio2body-dance', 'config.json'), 'utf8')) as { outputSmoothing?: number; fps: number };
    const a2bCard = JSON.parse(readFileSync(join(ROOT, 'models', 'audio2body-dance', 'card.json'), 'utf8')) as { metrics: { onset_response_lag_frames?: number } };
    const responseLag = a2bCard.metrics.onset_response_lag_frames ?? Number.NaN;
    const lag = modelLagFrames(a2b.lookahead, Number.isFinite(responseLag) ? responseLag : a2b.lookahead + smoothingDelayFrames(a2bConfig.outputSmoothing ?? 0));
    const budget = soundToSkeletonBudgetMs(lag, a2bConfig.fps);
    const results = {
      date: new Date().toISOString(),
      machine: { timer: isolated ? 'cross-origin isolated (5 us)' : '0.1 ms (not isolated)', cores: cpus().length, cpu: cpus()[0]?.model ?? '', node: process.version, browser: await browser.version(), webgl: render.renderer },
      stages: {
        features_hop,
        audio2body_step: a2b.step,
        render_frame: render,
        pose_lite,
        pose_full,
        hands,
        hands_lite,
        body2music_step: b2m.step,
        roll_to_notes: b2m.roll_to_notes,
        pitch_hop,
        audio2body_piano_step: piano.audio2body_piano_step,
        body2music_piano_step: piano.body2music_piano_step,
        schedule_lead: lead,
      },
      notes: {
        hands: `MediaPipe hands (mediapipe runtime, SwiftShader WebGL), full model (the Pianist Watch default; hands_lite: lite) on ${handImages.length} frames of asl_hand.25fps.mp4 drawn into a canvas, one estimate at a time`,
        pose: `BlazePose (mediapipe runtime, SwiftShader WebGL) on ${images.length} frames of pose_1.mp4, one estimate at a time`,
        schedule_lead: 'start on the AudioContext minus the context time of the decision, per note, from the app\'s WatchSession (scheduler clock every updateInterval, window lookAhead + updateInterval + stall margin) run 20 s in real time on stand-in poses; late notes count as 0',
        predict: 'tfjs LayersModel.predict on a [1, 1, 41] tensor each frame, per backend (p50 etc.)',
        piano: `audio2body-piano: one streaming step (41 features + 88 pitch bands -> 49 keypoints); body2music-piano: Pose2Roll step + Roll2Midi update on a moving rest pose (${piano.notes} notes decided)`,
      },
      predict_per_frame: a2b.predict,
      ratios: {
        stream_vs_predict: a2b.predict.wasm.p50_ms / a2b.step.p50_ms,
        wasm_vs_cpu_browser: a2b.predict.cpu.p50_ms / a2b.predict.wasm.p50_ms,
        webgl_vs_cpu_browser: a2b.predict.cpu.p50_ms / a2b.predict.webgl.p50_ms,
        train_wasm_vs_cpu_node: node.train_wasm_vs_cpu_node,
      },
      memory,
      scheduling: { idle: sched, with_pose_load: schedLoaded },
      context_latency_by_hint: contextLatency,
      end_to_end: {
        sound_to_skeleton_ms: round(budget.total_ms + features_hop.p50_ms + a2b.step.p50_ms),
        sound_to_pianist_ms: round(soundToSkeletonBudgetMs(piano.lookahead, a2bConfig.fps).total_ms + features_hop.p50_ms + pitch_hop.p50_ms + piano.audio2body_piano_step.p50_ms),
        pianist_lookahead_frames: piano.lookahead,
        movement_to_sound_excl_pose_ms: round(exclPose),
        movement_to_sound_ms: round(exclPose + pose_lite.p50_ms),
        after_pose_ms: round(afterPose),
        camera_frame_ms: round(m2s.camera_frame_ms),
        model_frame_wait_ms: m2s.model_frame_wait_ms,
        scheduler_wait_ms: sched.updateInterval_ms / 2,
        lookahead_frames: a2b.lookahead,
        onset_response_lag_frames: responseLag,
        model_lag_frames: lag,
        context_base_latency_ms: sched.baseLatency_ms,
        context_output_latency_ms: sched.outputLatency_ms,
      },
      sound_to_skeleton_parts_ms: { ...Object.fromEntries(Object.entries(budget).map(([k, v]) => [k, round(v)])), features_hop_ms: features_hop.p50_ms, audio2body_step_ms: a2b.step.p50_ms },
      node,
      off_machine_requests: offMachineRequests(requests),
      seconds: 0,
    };
    results.seconds = Math.round((performance.now() - t0) / 1000);
    mkdirSync(join(ROOT, 'bench'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
    writeFileSync(join(ROOT, 'bench', 'summary.md'), summary(results));
    console.log(JSON.stringify(results, null, 2));
  } catch (e) {
    console.error(logs.slice(-30).join('\n'));
    throw e;
  } finally {
    await browser.close();
    await server.close();
  }
}

function summary(r: { stages: Record<string, StageStats | null>; ratios: Record<string, number>; memory: Record<string, unknown>; scheduling: Record<string, ScheduleResult>; end_to_end: Record<string, number>; machine: Record<string, unknown> }): string {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : 'n/a');
  const lines = ['# Duet benchmark', '', `Machine: ${JSON.stringify(r.machine)}`, '', '| stage | p50 ms | p95 ms | max ms | n |', '|---|---|---|---|---|'];
  for (const [k, s] of Object.entries(r.stages)) lines.push(s ? `| ${k} | ${f(s.p50_ms)} | ${f(s.p95_ms)} | ${f(s.max_ms)} | ${s.n} |` : `| ${k} | not measured | | | |`);
  lines.push('', '| ratio (times faster) | value |', '|---|---|');
  for (const [k, v] of Object.entries(r.ratios)) lines.push(`| ${k} | ${v.toFixed(2)} |`);
  lines.push('', '| loop | tensor growth | heap growth MB | frames |', '|---|---|---|---|');
  for (const [k, v] of Object.entries(r.memory)) {
    const m = v as { tensor_growth: number; heap_growth_mb: number; frames: number };
    lines.push(`| ${k} | ${m.tensor_growth} | ${m.heap_growth_mb} | ${m.frames} |`);
  }
  lines.push('', '| scheduling (20 s, WatchSession) | lead p50 / p95 / max ms | notes | late notes | late / skipped beats | max stall margin ms | tick interval p50 / p95 / max ms |', '|---|---|---|---|---|---|---|');
  for (const [k, v] of Object.entries(r.scheduling)) {
    const l = v.lead;
    const g = v.tick_interval;
    lines.push(`| ${k}${v.block_ms ? ` (main thread held ${v.block_ms} ms per estimate, ${v.pose_estimates} estimates)` : ''} | ${l ? `${f(l.p50_ms)} / ${f(l.p95_ms)} / ${f(l.max_ms)}` : 'no notes'} | ${v.notes} | ${v.late_notes} | ${v.late_beats} / ${v.skipped_beats} | ${v.max_stall_margin_ms} | ${g ? `${f(g.p50_ms)} / ${f(g.p95_ms)} / ${f(g.max_ms)}` : 'n/a'} |`);
  }
  lines.push('', '| end to end | ms |', '|---|---|');
  for (const [k, v] of Object.entries(r.end_to_end)) lines.push(`| ${k} | ${v} |`);
  return lines.join('\n') + '\n';
}

await main();
