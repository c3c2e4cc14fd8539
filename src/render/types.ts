/** Render stage contract: normalized poses in, a three.js view out. Never imports tfjs. */

/** Options for {@link import('./scene').createSceneView}. */
export interface SceneViewOptions {
  /** Canvas to draw into. */
  readonly canvas: HTMLCanvasElement;
  /** Device pixel ratio cap (1..3). Default 2. */
  readonly maxPixelRatio?: number;
  /** Software WebGL: no MSAA, half resolution. Default: detected from the WebGL renderer name. */
  readonly software?: boolean;
}

/** Options of one drawn figure. */
export interface FigureOptions {
  /** Colour (CSS hex number). */
  readonly color: number;
  /** Horizontal position of the figure's pelvis on the floor, in body-scale units. */
  readonly x: number;
  /** Joint sphere radius, body-scale units (0.01..0.5). Default 0.09. */
  readonly jointRadius?: number;
  /** Bone cylinder radius, body-scale units (0.005..0.3). Default 0.045. */
  readonly boneRadius?: number;
}

/** A skeleton in the scene; `setPose` updates geometry in place (no allocation). */
export interface Figure {
  /** Sets the drawn pose: 23x3 flat, normalized (pelvis at origin, body-scale units, y up). */
  setPose(pose: Float32Array): void;
  setVisible(visible: boolean): void;
  readonly visible: boolean;
  /** Moves the figure's place on the floor (x, body-scale units). */
  setX(x: number): void;
}

/** The 3D view. */
export interface SceneView {
  addFigure(options: FigureOptions): Figure;
  /** True when WebGL runs on the CPU (the app then draws less often to leave the GPU thread to BlazePose). */
  readonly software: boolean;
  /** Draws one frame (call from the app's animation loop). */
  render(): void;
  /** Adapts to the canvas's CSS size (cheap when unchanged). */
  resize(): void;
  dispose(): void;
}
