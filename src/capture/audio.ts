/**
 * Audio capture: the microphone (no echo cancellation, noise suppression or gain control) or a decoded audio file
 * played through the context, tapped by an AudioWorklet that posts raw mono samples with a running counter.
 */
import workletUrl from './audio-worklet.ts?worker&url';
import type { AudioCapture, AudioCaptureOptions, AudioInputKind, WorkletBatchMessage } from './types';

/** Error with a message meant for the page (permission denied, no device, undecodable file). */
export class CaptureError extends Error {
  constructor(
    message: string,
    /** 'denied' | 'no-device' | 'decode' | 'unsupported' | 'other' */
    readonly reason: 'denied' | 'no-device' | 'decode' | 'unsupported' | 'other',
  ) {
    super(message);
    this.name = 'CaptureError';
  }
}

/** Seconds between starting the capture stream and starting a file's playback. */
const FILE_START_DELAY = 0.05;

const DEFAULTS = Object.freeze({ quantaPerBatch: 2, playbackDelay: 0, loop: true, recycleBuffers: true });

/** Fills and range-checks capture options. */
export function fillAudioCaptureOptions(o: AudioCaptureOptions): Required<Omit<AudioCaptureOptions, 'context'>> & { context?: AudioContext } {
  const quantaPerBatch = o.quantaPerBatch ?? DEFAULTS.quantaPerBatch;
  if (!Number.isInteger(quantaPerBatch) || quantaPerBatch < 1 || quantaPerBatch > 64) {
    throw new Error(`quantaPerBatch must be an integer in 1..64 (got ${String(quantaPerBatch)})`);
  }
  const playbackDelay = o.playbackDelay ?? DEFAULTS.playbackDelay;
  if (!Number.isFinite(playbackDelay) || playbackDelay < 0 || playbackDelay > 2) {
    throw new Error(`playbackDelay must be seconds in 0..2 (got ${String(playbackDelay)})`);
  }
  if (o.input.kind !== 'microphone' && o.input.kind !== 'file') {
    throw new Error(`input.kind must be 'microphone' or 'file' (got ${String((o.input as { kind: unknown }).kind)})`);
  }
  return { ...o, quantaPerBatch, playbackDelay, loop: o.loop ?? DEFAULTS.loop, recycleBuffers: o.recycleBuffers ?? DEFAULTS.recycleBuffers };
}

/** Turns a getUserMedia failure into a readable CaptureError. */
export function mediaError(e: unknown, device: 'microphone' | 'camera'): CaptureError {
  const name = (e as { name?: string })?.name ?? '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') {
    return new CaptureError(`Permission to use the ${device} was denied. Allow it in the browser's site settings, or open a file instead.`, 'denied');
  }
  if (name === 'NotFoundError' || name === 'DevicesNotFoundError' || name === 'OverconstrainedError') {
    return new CaptureError(`No ${device} was found. Connect one, or open a file instead.`, 'no-device');
  }
  if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError') {
    return new CaptureError(`The ${device} is busy or cannot be read (${name}). Close other apps using it, or open a file instead.`, 'no-device');
  }
  if (typeof navigator === 'undefined' || !navigator.mediaDevices) {
    return new CaptureError(`This page cannot use the ${device} (needs a secure context: localhost or https).`, 'unsupported');
  }
  return new CaptureError(`Could not open the ${device}: ${(e as Error)?.message ?? String(e)}`, 'other');
}

/** Audio constraints: raw microphone signal (the features must see the music, not a voice-call version of it). */
export const RAW_AUDIO_CONSTRAINTS: MediaTrackConstraints = Object.freeze({
  echoCancellation: false,
  noiseSuppression: false,
  autoGainControl: false,
  channelCount: 1,
});

/** Opens the microphone with {@link RAW_AUDIO_CONSTRAINTS}; throws a readable CaptureError (denied, none, busy). */
export async function openMicrophone(): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw mediaError(new Error('no mediaDevices'), 'microphone');
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: RAW_AUDIO_CONSTRAINTS, video: false });
  } catch (e) {
    throw mediaError(e, 'microphone');
  }
}

class WorkletAudioCapture implements AudioCapture {
  startTime = Number.NaN;
  samplesReceived = 0;
  gaps = 0;
  skippedQuanta = 0;
  private stopped = false;

  constructor(
    private readonly recycle: boolean,
    readonly kind: AudioInputKind,
    readonly context: AudioContext,
    private readonly ownsContext: boolean,
    private readonly node: AudioWorkletNode,
    private readonly sourceNodes: AudioNode[],
    private readonly stream: MediaStream | null,
    onSamples: (samples: Float32Array, start: number) => void,
  ) {
    node.port.onmessage = (ev: MessageEvent<WorkletBatchMessage>) => {
      const m = ev.data;
      if (m.type !== 'samples' || this.stopped) return;
      if (Number.isNaN(this.startTime)) this.startTime = m.frame / context.sampleRate;
      if (m.start !== this.samplesReceived) {
        this.gaps++;
        console.warn(`audio capture: batch starts at sample ${m.start}, expected ${this.samplesReceived}`);
      }
      if (m.skipped > 0) {
        this.skippedQuanta += m.skipped;
        console.warn(`audio capture: ${m.skipped} render quanta skipped by the audio thread (at stream sample ${m.start}, context frame ${m.frame})`);
      }
      this.samplesReceived = m.start + m.samples.length;
      onSamples(m.samples, m.start);
      if (this.recycle) node.port.postMessage({ type: 'recycle', buffer: m.samples }, [m.samples.buffer]);
    };
  }

  get sampleRate(): number {
    return this.context.sampleRate;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.node.port.onmessage = null;
    for (const n of this.sourceNodes) {
      try {
        if (n instanceof AudioScheduledSourceNode) n.stop();
      } catch {
        /* already stopped */
      }
      n.disconnect();
    }
    this.node.disconnect();
    this.stream?.getTracks().forEach((t) => t.stop());
    if (this.ownsContext) await this.context.close();
  }
}

/**
 * Starts capturing: opens the microphone (getUserMedia with raw constraints, then resumes the context) or decodes the
 * file and plays it (looped) through the context. Throws a {@link CaptureError} with a readable message on failure.
 */
export async function startAudioCapture(options: AudioCaptureOptions): Promise<AudioCapture> {
  const o = fillAudioCaptureOptions(options);
  const ownsContext = !o.context;
  const ctx = o.context ?? new AudioContext({ latencyHint: 'interactive' });
  let stream: MediaStream | null = null;
  const cleanup = async (): Promise<void> => {
    stream?.getTracks().forEach((t) => t.stop());
    if (ownsContext) await ctx.close().catch(() => undefined);
  };
  try {
    if (typeof AudioWorkletNode === 'undefined' || !ctx.audioWorklet) {
      throw new CaptureError('This browser has no AudioWorklet; Duet needs a recent Chromium, Firefox or Safari.', 'unsupported');
    }
    await ctx.audioWorklet.addModule(workletUrl);
    const node = new AudioWorkletNode(ctx, 'duet-capture', {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      channelCount: 2,
      channelCountMode: 'explicit',
      processorOptions: { quantaPerBatch: o.quantaPerBatch },
    });
    // The worklet writes nothing to its output; a silent path to the destination keeps it pulled.
    const sink = ctx.createGain();
    sink.gain.value = 0;
    node.connect(sink).connect(ctx.destination);
    const sourceNodes: AudioNode[] = [sink];
    let fileSource: AudioBufferSourceNode | null = null;
    if (o.input.kind === 'microphone') {
      if (o.input.stream) stream = o.input.stream;
      else stream = await openMicrophone();
      const src = ctx.createMediaStreamSource(stream);
      src.connect(node);
      sourceNodes.push(src);
    } else {
      let buffer: AudioBuffer;
      try {
        // decodeAudioData detaches its argument: decode a copy so the caller can reuse the bytes.
        buffer = await ctx.decodeAudioData(o.input.data.slice(0));
      } catch (e) {
        const what = o.input.name ? `"${o.input.name}"` : 'The file';
        throw new CaptureError(`${what} could not be decoded as audio (${(e as Error)?.message ?? String(e)}). Try a WAV, MP3, OGG or FLAC file.`, 'decode');
      }
      const src = ctx.createBufferSource();
      src.buffer = buffer;
      src.loop = o.loop;
      src.connect(node);
      if (o.playbackDelay > 0) {
        const delay = ctx.createDelay(Math.max(1, o.playbackDelay));
        delay.delayTime.value = o.playbackDelay;
        src.connect(delay).connect(ctx.destination);
        sourceNodes.push(delay);
      } else {
        src.connect(ctx.destination);
      }
      sourceNodes.push(src);
      fileSource = src;
    }
    // Autoplay policy: resume only after getUserMedia (Chromium keeps a context started earlier suspended).
    if (ctx.state !== 'running') await ctx.resume();
    const capture = new WorkletAudioCapture(o.recycleBuffers, o.input.kind, ctx, ownsContext, node, sourceNodes, stream, o.onSamples);
    node.port.postMessage({ type: 'start' });
    // Start the file a little later than the worklet's stream so its first samples are analysed too.
    fileSource?.start(ctx.currentTime + FILE_START_DELAY);
    return capture;
  } catch (e) {
    await cleanup();
    if (e instanceof CaptureError) throw e;
    throw new CaptureError(`Audio capture failed: ${(e as Error)?.message ?? String(e)}`, 'other');
  }
}
