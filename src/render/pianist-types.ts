/**
 * Pianist view contract: 49-keypoint poses (../features/piano/layout.ts, cm in the pianist frame of
 * ../features/piano/keyboard.ts) and 88 key activations in, a three.js view of the upper body, both hands and the
 * keyboard out. Never imports tfjs.
 */

/** Which performer lights a key: the avatar playing what is heard (Listen) or the person in front of the camera (Watch). */
export type KeyChannel = 'listen' | 'watch';

/** Options for {@link import('./pianist').createPianistView}. */
export interface PianistViewOptions {
  /** Canvas to draw into (its own WebGL context). */
  readonly canvas: HTMLCanvasElement;
  /** Device pixel ratio cap (1..3). Default 2. */
  readonly maxPixelRatio?: number;
  /** Software WebGL: no MSAA, half resolution. Default: detected from the WebGL renderer name. */
  readonly software?: boolean;
  /**
   * Seen from the front like a mirror (default true): the camera faces the performer across the keyboard and the
   * picture is flipped left-right, so high notes and the performer's right hand are on the right of the screen.
   */
  readonly mirror?: boolean;
}

/** Options of one drawn pianist. Radii in cm. */
export interface PianistFigureOptions {
  /** Colour of bones (0xRRGGBB). */
  readonly color: number;
  /** Upper-body joint sphere radius, cm (0.5..6). Default 2.2; the head is drawn 2.5 times larger. */
  readonly bodyJointRadius?: number;
  /** Upper-body bone radius, cm (0.3..5). Default 1.4. */
  readonly bodyBoneRadius?: number;
  /** Hand landmark sphere radius, cm (0.1..2). Default 0.55. */
  readonly handJointRadius?: number;
  /** Hand bone radius, cm (0.05..1.5). Default 0.32. */
  readonly handBoneRadius?: number;
}

/** A pianist skeleton in the view; `setPose` updates geometry in place (no allocation). */
export interface PianistFigure {
  /**
   * Sets the drawn pose: 49 keypoints x (x, y, z), cm, pianist frame. Keypoints with a non-finite coordinate (a hand
   * not detected) are hidden, with their bones.
   */
  setPose(pose: ArrayLike<number>): void;
  setVisible(visible: boolean): void;
  readonly visible: boolean;
}

/** The Pianist 3D view: one keyboard, any number of pianists. */
export interface PianistView {
  addPianist(options: PianistFigureOptions): PianistFigure;
  /**
   * Sets the 88 key activations (A0..C8, 0..1: 0 at rest, 1 fully pressed) of one channel, copied; a key dips by its
   * larger activation and takes the channel's colour. Applied on the next `render`.
   */
  setKeys(channel: KeyChannel, activations: ArrayLike<number>): void;
  /** Sets every activation of a channel to 0. */
  clearKeys(channel: KeyChannel): void;
  /** Keys whose activation (either channel) is at least 0.5 at the last `render`. */
  readonly keysLit: number;
  /** True when WebGL runs on the CPU (the app then draws less often). */
  readonly software: boolean;
  /** Draws one frame (call from the app's animation loop). */
  render(): void;
  /** Adapts to the canvas's CSS size (cheap when unchanged). */
  resize(): void;
  /** Frees GPU resources; safe to call twice. */
  dispose(): void;
}
