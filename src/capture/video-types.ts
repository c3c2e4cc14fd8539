/**
 * Capture stage contract (video): a camera or a video file, emitting decoded frames with timestamps.
 * Failures throw the CaptureError of ./audio (reason 'denied' | 'no-device' | 'decode' | 'unsupported' | 'other').
 */

/** One decoded frame, as seen by a frame callback (the object is reused for the next frame: copy what you keep). */
export interface VideoFrameInfo {
  /** The element showing the frame (pass it to BlazePose before the next frame is presented). */
  readonly video: HTMLVideoElement;
  /**
   * Frame time on the `performance.now()` clock, ms: the capture time when the browser knows it, else the time the
   * frame was presented. Monotonic per source.
   */
  readonly timestampMs: number;
  /** Position in the media, ms (file sources; for cameras the stream's own clock). */
  readonly mediaTimeMs: number;
  /** Count of frames presented by this source so far (0-based); gaps mean frames the page never saw. */
  readonly frameIndex: number;
  readonly width: number;
  readonly height: number;
}

export type VideoFrameCallback = (frame: VideoFrameInfo) => void;

/** A started video source. */
export interface VideoSource {
  /** The element the frames are decoded into (may be shown on the page). */
  readonly video: HTMLVideoElement;
  /** Frame size in pixels (0 before start). */
  readonly width: number;
  readonly height: number;
  /** Starts capture / playback; rejects with a CaptureError (./audio) whose message a performer understands. */
  start(): Promise<void>;
  /** Calls `cb` once per presented frame until the returned function is called or the source stops. */
  onFrame(cb: VideoFrameCallback): () => void;
  /** Stops the camera tracks / playback; safe to call twice. */
  stop(): void;
}

/** Options of the camera source (getUserMedia). */
export interface CameraSourceOptions {
  /** Ideal frame size, pixels. */
  readonly width: number;
  readonly height: number;
  /** Ideal frame rate, Hz. */
  readonly frameRate: number;
  /** 'user' (front) or 'environment'. */
  readonly facingMode: 'user' | 'environment';
  /** A specific camera, from enumerateDevices (empty: any). */
  readonly deviceId: string;
}

/** Options of the video-file source. */
export interface VideoFileSourceOptions {
  /** URL of the file (same origin, or blob:). */
  readonly url: string;
  /** Loop playback. */
  readonly loop: boolean;
  /** Play muted (the app takes sound from elsewhere). */
  readonly muted: boolean;
}

/** A video file that can also be stepped frame by frame (tests, offline analysis). */
export interface VideoFileSource extends VideoSource {
  /** Duration in seconds (NaN before start). */
  readonly duration: number;
  /**
   * Pauses and shows the frame at `timeSec` (seek), resolving once it is decoded and presentable; the info's
   * `timestampMs` is the media time, ms.
   */
  seekFrame(timeSec: number): Promise<VideoFrameInfo>;
}
