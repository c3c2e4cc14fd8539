/**
 * BlazePose's upper body + MediaPipe hands -> the 49-keypoint pianist frame of features/piano/layout.ts (7 body joints,
 * the right hand's 21 landmarks, the left hand's) in the shared view representation of features/piano/view.ts: x, y in
 * cm through the two-point keyboard calibration (`calibrateKeyboard`, see `fromKeyboardCalibration`), z 0 for the body
 * and, for hand landmarks, the depth relative to the hand's wrist (cm, away from the camera; 0 with depth 'none').
 * Whatever was not seen is NaN in x, y and z (a missing hand, a missing body, a body joint below the visibility
 * threshold): nothing is invented.
 *
 * Which detected hand is which: when BlazePose sees both wrists, each hand goes to the nearer BlazePose wrist (within
 * `wristMatchRadius` hand sizes, otherwise the labels decide); otherwise MediaPipe's handedness (already mapped to the
 * performer's side by the tracker) decides, and two hands with the same label are told apart by their position along
 * the keyboard (the one further toward the high notes is the right hand).
 */
import { LEFT_HAND, NUM_BODY_JOINTS, NUM_HAND_LANDMARKS, NUM_PIANIST_KEYPOINTS, PIANIST_DIM, RIGHT_HAND } from '../piano/layout';
import { imageToKeyboard, type KeyboardCalibration } from '../piano/view';
import { HAND_NUM_KEYPOINTS, type HandsFrame, type ImageToKeyboard } from './types';

/** BlazePose landmark of each pianist body joint (head = nose, then right/left shoulder, elbow, wrist). */
export const BODY_FROM_BLAZEPOSE = Object.freeze([0, 12, 11, 14, 13, 16, 15] as const);
/** BlazePose landmarks of the performer's right and left wrists. */
const POSE_R_WRIST = 16;
const POSE_L_WRIST = 15;
/** Hand landmarks of the wrist and the middle finger's knuckle (their distance is the hand size). */
const WRIST = 0;
const MIDDLE_MCP = 9;

/** Depth (z) written to the pianist frame. */
export const PIANIST_DEPTHS = Object.freeze(['none', 'relative'] as const);
export type PianistDepth = (typeof PIANIST_DEPTHS)[number];

/** Options of {@link composePianistFrame}. */
export interface PianistFrameOptions {
  /** BlazePose visibility in [0, 1] below which a body joint is NaN (and a wrist is not used to assign hands). */
  readonly minVisibility: number;
  /**
   * z of the hand landmarks, cm. 'relative': MediaPipe's world landmarks relative to the hand's own wrist (away from the
   * camera = toward the performer = +z), as the shared view representation has it. 'none' (default): 0, depth absent
   * (the pianist models train on both). Body joints always get z 0 (the view representation does not trust BlazePose's
   * depth).
   */
  readonly depth: PianistDepth;
  /** A hand goes to a BlazePose wrist only within this many hand sizes (wrist to middle knuckle) of it. */
  readonly wristMatchRadius: number;
}

export const DEFAULT_PIANIST_FRAME_OPTIONS: PianistFrameOptions = Object.freeze({
  minVisibility: 0.5,
  depth: 'none',
  wristMatchRadius: 1.5,
});

/** Fills missing options with the defaults and range-checks them; errors list the valid values. */
export function fillPianistFrameOptions(options: Partial<PianistFrameOptions> = {}): PianistFrameOptions {
  const d = DEFAULT_PIANIST_FRAME_OPTIONS;
  const o: PianistFrameOptions = {
    minVisibility: options.minVisibility ?? d.minVisibility,
    depth: options.depth ?? d.depth,
    wristMatchRadius: options.wristMatchRadius ?? d.wristMatchRadius,
  };
  if (!(o.minVisibility >= 0 && o.minVisibility <= 1)) {
    throw new Error(`pianist frame: minVisibility must be a number in [0, 1] (got ${String(o.minVisibility)})`);
  }
  if (!(PIANIST_DEPTHS as readonly string[]).includes(o.depth)) {
    throw new Error(`pianist frame: depth must be one of ${PIANIST_DEPTHS.map((m) => `'${m}'`).join(', ')} (got ${JSON.stringify(o.depth)})`);
  }
  if (!(o.wristMatchRadius > 0 && Number.isFinite(o.wristMatchRadius))) {
    throw new Error(`pianist frame: wristMatchRadius must be a positive number of hand sizes (got ${String(o.wristMatchRadius)})`);
  }
  return Object.freeze(o);
}

/** The shared keyboard calibration (features/piano/view.ts) as an {@link ImageToKeyboard}. */
export function fromKeyboardCalibration(cal: KeyboardCalibration): ImageToKeyboard {
  return { project: (xPx, yPx, out, o) => imageToKeyboard(cal, xPx, yPx, out, o) };
}

/** What the composition reads from a BlazePose frame (features/pose BlazePoseFrame has these). */
export interface PoseInput {
  /** 33 x [x px, y px, z] image keypoints. */
  readonly keypoints: ArrayLike<number>;
  /** 33 visibilities in [0, 1]. */
  readonly visibility: ArrayLike<number>;
}

/** Bits of {@link composePianistFrame}'s result. */
export const PIANIST_BODY = 1;
export const PIANIST_RIGHT_HAND = 2;
export const PIANIST_LEFT_HAND = 4;

/** Assignment scratch: hand index of the right and left hand (-1: none). */
export interface HandAssignment {
  right: number;
  left: number;
}

function dist(ax: number, ay: number, bx: number, by: number): number {
  return Math.hypot(ax - bx, ay - by);
}

/**
 * Decides which of the frame's hands is the performer's right and left (see the module comment); writes hand indices
 * (-1: none) into `out` and returns it.
 */
export function assignHands(pose: PoseInput | null, hands: HandsFrame | null, toKeyboard: ImageToKeyboard, options: PianistFrameOptions, out: HandAssignment, scratch: Float32Array = new Float32Array(4)): HandAssignment {
  out.right = -1;
  out.left = -1;
  const n = hands ? Math.min(hands.count, 2) : 0;
  if (!hands || n === 0) return out;
  // 1. BlazePose wrists, when both are seen.
  if (pose && pose.visibility[POSE_R_WRIST] >= options.minVisibility && pose.visibility[POSE_L_WRIST] >= options.minVisibility) {
    const rx = pose.keypoints[POSE_R_WRIST * 3];
    const ry = pose.keypoints[POSE_R_WRIST * 3 + 1];
    const lx = pose.keypoints[POSE_L_WRIST * 3];
    const ly = pose.keypoints[POSE_L_WRIST * 3 + 1];
    const k0 = hands.hands[0].keypoints;
    const size0 = dist(k0[WRIST * 2], k0[WRIST * 2 + 1], k0[MIDDLE_MCP * 2], k0[MIDDLE_MCP * 2 + 1]);
    const r0 = dist(k0[0], k0[1], rx, ry);
    const l0 = dist(k0[0], k0[1], lx, ly);
    const radius0 = options.wristMatchRadius * size0;
    if (n === 1) {
      if (Math.min(r0, l0) <= radius0) {
        if (r0 <= l0) out.right = 0;
        else out.left = 0;
        return out;
      }
    } else {
      const k1 = hands.hands[1].keypoints;
      const size1 = dist(k1[WRIST * 2], k1[WRIST * 2 + 1], k1[MIDDLE_MCP * 2], k1[MIDDLE_MCP * 2 + 1]);
      const r1 = dist(k1[0], k1[1], rx, ry);
      const l1 = dist(k1[0], k1[1], lx, ly);
      const radius1 = options.wristMatchRadius * size1;
      const straight = r0 + l1 <= l0 + r1; // hand 0 right, hand 1 left
      if (straight ? r0 <= radius0 && l1 <= radius1 : l0 <= radius0 && r1 <= radius1) {
        out.right = straight ? 0 : 1;
        out.left = straight ? 1 : 0;
        return out;
      }
    }
  }
  // 2. Handedness labels; two hands with one label: the one further toward the high notes is the right hand.
  if (n === 1) {
    if (hands.hands[0].side === 'right') out.right = 0;
    else out.left = 0;
    return out;
  }
  const s0 = hands.hands[0].side;
  const s1 = hands.hands[1].side;
  if (s0 !== s1) {
    out.right = s0 === 'right' ? 0 : 1;
    out.left = s0 === 'right' ? 1 : 0;
    return out;
  }
  const k0 = hands.hands[0].keypoints;
  const k1 = hands.hands[1].keypoints;
  toKeyboard.project(k0[0], k0[1], scratch, 0);
  toKeyboard.project(k1[0], k1[1], scratch, 2);
  const zeroIsRight = scratch[0] >= scratch[2];
  out.right = zeroIsRight ? 0 : 1;
  out.left = zeroIsRight ? 1 : 0;
  return out;
}

/**
 * Composes one pianist frame into `out` (length PIANIST_DIM = 147; x, y, z cm per keypoint, NaN where not seen) from a
 * BlazePose frame and a hands frame of the same camera image (either may be null). `toKeyboard` maps image pixels to
 * the keyboard's x/y. Returns a bit mask: PIANIST_BODY (any body joint seen), PIANIST_RIGHT_HAND, PIANIST_LEFT_HAND.
 * No allocation when `assignment` and `scratch` are passed.
 */
export function composePianistFrame(
  pose: PoseInput | null,
  hands: HandsFrame | null,
  toKeyboard: ImageToKeyboard,
  out: Float32Array,
  options: PianistFrameOptions = DEFAULT_PIANIST_FRAME_OPTIONS,
  assignment: HandAssignment = { right: -1, left: -1 },
  scratch: Float32Array = new Float32Array(4),
): number {
  if (out.length !== PIANIST_DIM) throw new Error(`pianist frame: out must hold ${PIANIST_DIM} values (${NUM_PIANIST_KEYPOINTS} keypoints x 3), got ${out.length}`);
  out.fill(Number.NaN);
  let mask = 0;
  const relative = options.depth === 'relative';
  if (pose) {
    for (let j = 0; j < NUM_BODY_JOINTS; j++) {
      const b = BODY_FROM_BLAZEPOSE[j];
      if (!(pose.visibility[b] >= options.minVisibility)) continue;
      toKeyboard.project(pose.keypoints[b * 3], pose.keypoints[b * 3 + 1], out, j * 3);
      out[j * 3 + 2] = 0;
      mask |= PIANIST_BODY;
    }
  }
  if (hands) {
    assignHands(pose, hands, toKeyboard, options, assignment, scratch);
    for (let s = 0; s < 2; s++) {
      const idx = s === 0 ? assignment.right : assignment.left;
      if (idx < 0) continue;
      const base = s === 0 ? RIGHT_HAND : LEFT_HAND;
      const h = hands.hands[idx];
      const z0 = h.world[2];
      for (let j = 0; j < NUM_HAND_LANDMARKS && j < HAND_NUM_KEYPOINTS; j++) {
        const o = (base + j) * 3;
        toKeyboard.project(h.keypoints[j * 2], h.keypoints[j * 2 + 1], out, o);
        const z = (h.world[j * 3 + 2] - z0) * 100;
        out[o + 2] = relative && Number.isFinite(z) ? z : 0;
      }
      mask |= s === 0 ? PIANIST_RIGHT_HAND : PIANIST_LEFT_HAND;
    }
  }
  return mask;
}
