/**
 * Video sources: the camera (getUserMedia) and video files, both decoding into an HTMLVideoElement and reporting each
 * presented frame with its timestamp (requestVideoFrameCallback where available).
 */
import { CaptureError, mediaError } from './audio';
import type {
  CameraSourceOptions,
  VideoFileSource,
  VideoFileSourceOptions,
  VideoFrameCallback,
  VideoFrameInfo,
  VideoSource,
} from './video-types';

export const DEFAULT_CAMERA_OPTIONS: CameraSourceOptions = Object.freeze({
  width: 640,
  height: 480,
  frameRate: 30,
  facingMode: 'user',
  deviceId: '',
});

export const DEFAULT_VIDEO_FILE_OPTIONS: Omit<VideoFileSourceOptions, 'url'> = Object.freeze({ loop: true, muted: true });

/** Fills and range-checks camera options; errors list the valid values. */
export function fillCameraOptions(options: Partial<CameraSourceOptions> = {}): CameraSourceOptions {
  const d = DEFAULT_CAMERA_OPTIONS;
  const o: CameraSourceOptions = {
    width: options.width ?? d.width,
    height: options.height ?? d.height,
    frameRate: options.frameRate ?? d.frameRate,
    facingMode: options.facingMode ?? d.facingMode,
    deviceId: options.deviceId ?? d.deviceId,
  };
  for (const k of ['width', 'height'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 16 || o[k] > 4096) throw new Error(`camera: ${k} must be an integer in 16..4096 pixels (got ${String(o[k])})`);
  }
  if (!(o.frameRate >= 1 && o.frameRate <= 120)) throw new Error(`camera: frameRate must be in 1..120 Hz (got ${String(o.frameRate)})`);
  if (o.facingMode !== 'user' && o.facingMode !== 'environment') {
    throw new Error(`camera: facingMode must be 'user' or 'environment' (got ${JSON.stringify(o.facingMode)})`);
  }
  if (typeof o.deviceId !== 'string') throw new Error(`camera: deviceId must be a string ('' for any camera)`);
  return Object.freeze(o);
}

/** Fills and checks video-file options. */
export function fillVideoFileOptions(options: Partial<VideoFileSourceOptions> & { url: string }): VideoFileSourceOptions {
  if (typeof options.url !== 'string' || options.url.length === 0) throw new Error('video file: url must be a non-empty string');
  const o: VideoFileSourceOptions = {
    url: options.url,
    loop: options.loop ?? DEFAULT_VIDEO_FILE_OPTIONS.loop,
    muted: options.muted ?? DEFAULT_VIDEO_FILE_OPTIONS.muted,
  };
  if (typeof o.loop !== 'boolean' || typeof o.muted !== 'boolean') throw new Error('video file: loop and muted must be true or false');
  return Object.freeze(o);
}

type RVFCMetadata = { mediaTime: number; presentedFrames: number; captureTime?: number; expectedDisplayTime: number; width: number; height: number };
type RVFCVideo = HTMLVideoElement & {
  requestVideoFrameCallback?: (cb: (now: number, meta: RVFCMetadata) => void) => number;
  cancelVideoFrameCallback?: (handle: number) => void;
};

/** Shared frame loop: one callback per presented frame, monotonic timestamps on the performance.now() clock. */
abstract class ElementVideoSource implements VideoSource {
  readonly video: RVFCVideo;
  protected stopped = false;
  private readonly listeners = new Set<VideoFrameCallback>();
  private handle = 0;
  private rafHandle = 0;
  private lastTs = -Infinity;
  private lastMediaTime = -1;
  private frameCount = 0;
  private looping = false;
  /** The frame info handed to callbacks, reused for every frame (no allocation per frame). */
  private readonly info: { -readonly [K in keyof VideoFrameInfo]: VideoFrameInfo[K] };

  constructor() {
    this.video = document.createElement('video') as RVFCVideo;
    this.video.playsInline = true;
    this.video.muted = true;
    this.info = { video: this.video, timestampMs: 0, mediaTimeMs: 0, frameIndex: 0, width: 0, height: 0 };
  }

  get width(): number {
    return this.video.videoWidth;
  }

  get height(): number {
    return this.video.videoHeight;
  }

  abstract start(): Promise<void>;

  onFrame(cb: VideoFrameCallback): () => void {
    this.listeners.add(cb);
    this.ensureLoop();
    return () => {
      this.listeners.delete(cb);
    };
  }

  protected emit(timestampMs: number, mediaTimeMs: number): void {
    // Monotonic per source, whatever the browser reports.
    const ts = timestampMs > this.lastTs ? timestampMs : this.lastTs + 0.001;
    this.lastTs = ts;
    const info = this.info;
    info.timestampMs = ts;
    info.mediaTimeMs = mediaTimeMs;
    info.frameIndex = this.frameCount++;
    info.width = this.video.videoWidth;
    info.height = this.video.videoHeight;
    for (const cb of this.listeners) cb(info);
  }

  /** Starts the per-frame loop once the video plays (no-op when already running). */
  protected ensureLoop(): void {
    if (this.looping || this.stopped || this.listeners.size === 0) return;
    this.looping = true;
    const v = this.video;
    if (v.requestVideoFrameCallback) {
      const step = (now: number, meta: RVFCMetadata): void => {
        if (this.stopped) return;
        this.emit(meta.captureTime ?? now, meta.mediaTime * 1000);
        this.handle = v.requestVideoFrameCallback!(step);
      };
      this.handle = v.requestVideoFrameCallback(step);
    } else {
      // Fallback: poll on animation frames, emit when the media time moved.
      const poll = (now: number): void => {
        if (this.stopped) return;
        if (v.readyState >= 2 && v.currentTime !== this.lastMediaTime) {
          this.lastMediaTime = v.currentTime;
          this.emit(now, v.currentTime * 1000);
        }
        this.rafHandle = requestAnimationFrame(poll);
      };
      this.rafHandle = requestAnimationFrame(poll);
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.listeners.clear();
    if (this.handle && this.video.cancelVideoFrameCallback) this.video.cancelVideoFrameCallback(this.handle);
    if (this.rafHandle) cancelAnimationFrame(this.rafHandle);
    this.release();
    this.video.pause();
    this.video.removeAttribute('src');
    this.video.srcObject = null;
    this.video.load();
  }

  protected abstract release(): void;
}

/** Waits for an element event, rejecting on 'error' or after `timeoutMs`. */
function waitFor(el: HTMLMediaElement, event: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error): void => {
      el.removeEventListener(event, onOk);
      el.removeEventListener('error', onErr);
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    };
    const onOk = (): void => done();
    const onErr = (): void => done(new Error(el.error?.message || `media error code ${el.error?.code ?? '?'}`));
    const timer = setTimeout(() => done(new Error(`timed out after ${timeoutMs} ms waiting for '${event}'`)), timeoutMs);
    el.addEventListener(event, onOk);
    el.addEventListener('error', onErr);
  });
}

class CameraSource extends ElementVideoSource {
  private stream: MediaStream | null = null;

  constructor(readonly options: CameraSourceOptions) {
    super();
  }

  async start(): Promise<void> {
    if (this.stopped) throw new CaptureError('The camera was stopped before it started.', 'other');
    if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) throw mediaError(new Error('no mediaDevices'), 'camera');
    const o = this.options;
    const video: MediaTrackConstraints = {
      width: { ideal: o.width },
      height: { ideal: o.height },
      frameRate: { ideal: o.frameRate },
      facingMode: o.facingMode,
    };
    if (o.deviceId) video.deviceId = { exact: o.deviceId };
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video, audio: false });
    } catch (e) {
      throw mediaError(e, 'camera');
    }
    if (this.stopped) {
      stream.getTracks().forEach((t) => t.stop());
      throw new CaptureError('The camera was stopped before it started.', 'other');
    }
    if (stream.getVideoTracks().length === 0) {
      stream.getTracks().forEach((t) => t.stop());
      throw new CaptureError('No camera was found. Connect one, or open a video file instead.', 'no-device');
    }
    this.stream = stream;
    this.video.srcObject = stream;
    try {
      const meta = this.video.readyState >= 1 ? Promise.resolve() : waitFor(this.video, 'loadedmetadata', 10_000);
      await this.video.play();
      await meta;
    } catch (e) {
      this.stop();
      throw new CaptureError(`The camera opened but sends no picture (${(e as Error)?.message ?? String(e)}). Close other apps using it, or open a video file instead.`, 'no-device');
    }
    this.ensureLoop();
  }

  protected release(): void {
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
  }
}

class FileSource extends ElementVideoSource implements VideoFileSource {
  constructor(readonly options: VideoFileSourceOptions) {
    super();
    this.video.loop = options.loop;
    this.video.muted = options.muted;
    this.video.preload = 'auto';
  }

  get duration(): number {
    return this.video.duration;
  }

  /** Loads the file (metadata and first frame); does not play. */
  private async open(): Promise<void> {
    if (this.video.readyState >= 2) return;
    const loaded = waitFor(this.video, 'loadeddata', 30_000);
    if (!this.video.src) this.video.src = this.options.url;
    try {
      await loaded;
    } catch (e) {
      throw new CaptureError(`The video "${this.options.url}" could not be opened or decoded (${(e as Error)?.message ?? String(e)}). Try an MP4 (H.264) or WebM file.`, 'decode');
    }
    if (!(this.video.videoWidth > 0)) throw new CaptureError(`"${this.options.url}" has no video track.`, 'decode');
  }

  async start(): Promise<void> {
    if (this.stopped) throw new CaptureError('The video was stopped before it started.', 'other');
    await this.open();
    try {
      await this.video.play();
    } catch (e) {
      throw new CaptureError(`The video "${this.options.url}" cannot play (${(e as Error)?.message ?? String(e)}).`, 'decode');
    }
    this.ensureLoop();
  }

  async seekFrame(timeSec: number): Promise<VideoFrameInfo> {
    if (this.stopped) throw new CaptureError('The video source is stopped.', 'other');
    if (!Number.isFinite(timeSec) || timeSec < 0) throw new Error(`video file: seek time must be >= 0 s (got ${timeSec})`);
    await this.open();
    const v = this.video;
    if (!v.paused) v.pause();
    if (timeSec > v.duration) throw new Error(`video file: seek time ${timeSec} s is past the end (${v.duration} s)`);
    if (v.seekable.length === 0 || timeSec > v.seekable.end(v.seekable.length - 1) + 1e-3) {
      throw new CaptureError(`The video "${this.options.url}" cannot be stepped to ${timeSec} s: the server does not allow seeking (no range requests).`, 'decode');
    }
    const seeked = waitFor(v, 'seeked', 30_000);
    v.currentTime = timeSec;
    await seeked;
    // 'seeked' can fire before the frame is composited; wait for it to be presentable.
    if (v.requestVideoFrameCallback) {
      await new Promise<void>((resolve) => {
        let settled = false;
        const finish = (): void => {
          if (!settled) {
            settled = true;
            resolve();
          }
        };
        v.requestVideoFrameCallback!(() => finish());
        // A paused, already-presented frame may produce no callback: do not wait forever.
        setTimeout(finish, 250);
      });
    }
    return {
      video: v,
      timestampMs: v.currentTime * 1000,
      mediaTimeMs: v.currentTime * 1000,
      frameIndex: -1,
      width: v.videoWidth,
      height: v.videoHeight,
    };
  }

  protected release(): void {}
}

/** Creates a camera source (getUserMedia); `start()` opens it and rejects with a readable CaptureError. */
export function createCameraSource(options: Partial<CameraSourceOptions> = {}): VideoSource {
  return new CameraSource(fillCameraOptions(options));
}

/** Creates a video-file source; `start()` plays it, `seekFrame()` steps through it. */
export function createVideoFileSource(options: Partial<VideoFileSourceOptions> & { url: string }): VideoFileSource {
  return new FileSource(fillVideoFileOptions(options));
}
