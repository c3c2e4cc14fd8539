/**
 * A pianist at rest, so the Pianist view shows something sensible before (or without) a model: seated at the middle of
 * the keyboard, both hands resting over the middle-C region in a five-finger position (right thumb on C4 up to the
 * little finger on G4; left little finger on C3 up to the thumb on G3), fingers curved, every fingertip touching the top
 * of its white key (y = 0), wrists a little lower than the knuckles.
 *
 * Pianist frame of ../features/piano/keyboard.ts (cm; x toward high notes = the performer's right, y up from the white
 * keys' top, z toward the performer). Layout of ../features/piano/layout.ts (7 body joints, right hand, left hand).
 * Pure: no three.js.
 */
import { keyOf } from '../features/piano/keyboard';
import { BODY_JOINTS, FINGERTIPS, LEFT_HAND, NUM_PIANIST_KEYPOINTS, PIANIST_DIM, RIGHT_HAND } from '../features/piano/layout';

/** White keys under each hand's fingers 1..5 (thumb..little finger), MIDI. */
export const REST_KEYS = Object.freeze({
  right: Object.freeze([60, 62, 64, 65, 67] as const),
  left: Object.freeze([55, 53, 52, 50, 48] as const),
});

/** z of the resting fingertips of fingers 2..5, cm (the pressing zone 2-4 cm behind the white keys' front edge). */
const FINGERTIP_Z = -3;
/** z of the resting thumb tip, cm (the thumb is shorter: it touches nearer the front edge). */
const THUMB_TIP_Z = -1;
/**
 * Finger segment lengths (proximal, middle, distal phalanx), cm, index..little finger: adult hand averages.
 * Their downward angles from horizontal (proximal, middle, distal), degrees: a relaxed curved position.
 */
const PHALANGES: readonly (readonly [number, number, number])[] = [[4.2, 2.5, 2.0], [4.6, 2.9, 2.1], [4.3, 2.7, 2.0], [3.4, 2.0, 1.8]];
const FINGER_ANGLES = [12, 48, 78] as const;
/** Knuckles (MCP) of fingers 2..5 sit this fraction of the fingertips' spread from the hand's centre (hands taper). */
const KNUCKLE_SPREAD = 0.85;
/** Wrist: this far behind (z) the middle finger's knuckle and below (y) the lowest knuckle, cm. */
const WRIST_BEHIND = 8.5;
const WRIST_BELOW = 1.0;

/** Upper body at rest, cm (performer's right = +x). Shoulders 36 cm apart, ~40 cm behind the keys, ~32 cm above them. */
const BODY_CM: Readonly<Record<(typeof BODY_JOINTS)[number], readonly [number, number, number]>> = Object.freeze({
  head: [-4, 60, 38],
  r_shoulder: [14, 33, 40],
  l_shoulder: [-22, 33, 40],
  r_elbow: [18, 8, 29],
  l_elbow: [-30, 8, 30],
  // Wrists are overwritten by the hands' landmark 0 (the same point in the layout).
  r_wrist: [0, 0, 0],
  l_wrist: [0, 0, 0],
});

function set(out: Float32Array, k: number, x: number, y: number, z: number): void {
  out[k * 3] = x;
  out[k * 3 + 1] = y;
  out[k * 3 + 2] = z;
}

/** Writes one hand's 21 landmarks (MediaPipe order) resting on `keys` (fingers 1..5); `side` +1 right, -1 left. */
function restHand(out: Float32Array, base: number, keys: readonly number[], side: 1 | -1): void {
  const tipsX = keys.map((m) => keyOf(m).x);
  const centreX = (tipsX[1] + tipsX[4]) / 2;
  const rad = Math.PI / 180;
  let lowestKnuckleY = Infinity;
  let middleKnuckleZ = 0;
  let middleKnuckleX = 0;
  for (let f = 1; f <= 4; f++) {
    // Fingers 2..5 (index..little): walk back from the fingertip along the curved phalanges.
    const [l1, l2, l3] = PHALANGES[f - 1];
    const [a1, a2, a3] = FINGER_ANGLES.map((a) => a * rad);
    const tipX = tipsX[f];
    const mcpX = centreX + (tipX - centreX) * KNUCKLE_SPREAD;
    const tipY = 0;
    const tipZ = FINGERTIP_Z;
    const dipY = tipY + l3 * Math.sin(a3);
    const dipZ = tipZ + l3 * Math.cos(a3);
    const pipY = dipY + l2 * Math.sin(a2);
    const pipZ = dipZ + l2 * Math.cos(a2);
    const mcpY = pipY + l1 * Math.sin(a1);
    const mcpZ = pipZ + l1 * Math.cos(a1);
    // Between knuckle and tip, x moves linearly (the fingers fan out a little toward their keys).
    const at = (t: number) => mcpX + (tipX - mcpX) * t;
    const k0 = base + FINGERTIPS[f] - 3; // MCP landmark of this finger
    set(out, k0, mcpX, mcpY, mcpZ);
    set(out, k0 + 1, at(0.55), pipY, pipZ);
    set(out, k0 + 2, at(0.85), dipY, dipZ);
    set(out, k0 + 3, tipX, tipY, tipZ);
    lowestKnuckleY = Math.min(lowestKnuckleY, mcpY);
    if (f === 2) {
      middleKnuckleX = mcpX;
      middleKnuckleZ = mcpZ;
    }
  }
  const wristX = middleKnuckleX;
  const wristY = lowestKnuckleY - WRIST_BELOW;
  const wristZ = middleKnuckleZ + WRIST_BEHIND;
  set(out, base, wristX, wristY, wristZ);
  // Thumb: CMC near the wrist on the thumb side (toward lower notes for the right hand), then down and forward to its key.
  const thumbSide = -side;
  const tipX = tipsX[0];
  const cmcX = wristX + thumbSide * 2.6;
  set(out, base + 1, cmcX, wristY + 0.3, wristZ - 2.2);
  set(out, base + 2, cmcX + (tipX - cmcX) * 0.45, wristY + 0.6, wristZ - 5.4);
  set(out, base + 3, cmcX + (tipX - cmcX) * 0.8, 1.6, THUMB_TIP_Z + 2.6);
  set(out, base + 4, tipX, 0, THUMB_TIP_Z);
}

/** The rest pose: 49 keypoints x (x, y, z) cm in the pianist frame, written into `out` (allocated when absent). */
export function pianistRestPose(out = new Float32Array(PIANIST_DIM)): Float32Array {
  if (out.length < PIANIST_DIM) throw new Error(`pianistRestPose needs ${PIANIST_DIM} values (got ${out.length})`);
  BODY_JOINTS.forEach((name, j) => set(out, j, ...BODY_CM[name]));
  restHand(out, RIGHT_HAND, REST_KEYS.right, 1);
  restHand(out, LEFT_HAND, REST_KEYS.left, -1);
  // The body's wrist joints are the hands' landmark 0.
  for (const [w, h] of [[5, RIGHT_HAND], [6, LEFT_HAND]] as const) set(out, w, out[h * 3], out[h * 3 + 1], out[h * 3 + 2]);
  return out;
}

/** Lowest y of any keypoint, cm (0 for the rest pose: fingertips on the keys). */
export function lowestKeypointY(pose: ArrayLike<number>): number {
  let m = Infinity;
  for (let k = 0; k < NUM_PIANIST_KEYPOINTS; k++) m = Math.min(m, pose[k * 3 + 1]);
  return m;
}
