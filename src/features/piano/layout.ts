/**
 * The pianist's keypoint layout, shared by the dataset generator, the pianist models, live hand tracking and the
 * renderer: 7 upper-body joints followed by the 21 MediaPipe hand landmarks of the right hand, then of the left hand.
 * Positions are in the pianist frame of ./keyboard.ts (cm; x along the keyboard toward high notes, y up from the white
 * keys' top, z toward the performer). "Right" and "left" are the performer's.
 */

/** Upper-body joints (BlazePose landmarks: nose, shoulders 11/12, elbows 13/14, wrists 15/16). */
export const BODY_JOINTS = Object.freeze(['head', 'r_shoulder', 'l_shoulder', 'r_elbow', 'l_elbow', 'r_wrist', 'l_wrist'] as const);

/** The 21 MediaPipe hand landmarks, in MediaPipe's order. */
export const HAND_LANDMARKS = Object.freeze([
  'wrist',
  'thumb_cmc', 'thumb_mcp', 'thumb_ip', 'thumb_tip',
  'index_finger_mcp', 'index_finger_pip', 'index_finger_dip', 'index_finger_tip',
  'middle_finger_mcp', 'middle_finger_pip', 'middle_finger_dip', 'middle_finger_tip',
  'ring_finger_mcp', 'ring_finger_pip', 'ring_finger_dip', 'ring_finger_tip',
  'pinky_finger_mcp', 'pinky_finger_pip', 'pinky_finger_dip', 'pinky_finger_tip',
] as const);

export const NUM_BODY_JOINTS = 7;
export const NUM_HAND_LANDMARKS = 21;
/** First keypoint index of the right hand's landmarks. */
export const RIGHT_HAND = NUM_BODY_JOINTS;
/** First keypoint index of the left hand's landmarks. */
export const LEFT_HAND = NUM_BODY_JOINTS + NUM_HAND_LANDMARKS;
/** Keypoints per frame (7 + 2 x 21 = 49). */
export const NUM_PIANIST_KEYPOINTS = NUM_BODY_JOINTS + 2 * NUM_HAND_LANDMARKS;
/** Values per frame (x, y, z per keypoint). */
export const PIANIST_DIM = NUM_PIANIST_KEYPOINTS * 3;

/** Hand landmark index of each fingertip, thumb (finger 1) to little finger (finger 5). */
export const FINGERTIPS = Object.freeze([4, 8, 12, 16, 20] as const);

/** Keypoint names in order: body joints, then `r_<landmark>`, then `l_<landmark>`. */
export const PIANIST_KEYPOINT_NAMES: readonly string[] = Object.freeze([
  ...BODY_JOINTS,
  ...HAND_LANDMARKS.map((n) => `r_${n}`),
  ...HAND_LANDMARKS.map((n) => `l_${n}`),
]);

/** Keypoint index of a hand landmark: hand 'r' or 'l', landmark 0..20. */
export function handKeypoint(hand: 'r' | 'l', landmark: number): number {
  return (hand === 'r' ? RIGHT_HAND : LEFT_HAND) + landmark;
}

/** Bones to draw: body, then each hand's MediaPipe connections (pairs of keypoint indices). */
export const PIANIST_BONES: readonly (readonly [number, number])[] = (() => {
  const hand: [number, number][] = [
    [0, 1], [1, 2], [2, 3], [3, 4], [0, 5], [5, 6], [6, 7], [7, 8], [5, 9], [9, 10], [10, 11], [11, 12],
    [9, 13], [13, 14], [14, 15], [15, 16], [13, 17], [0, 17], [17, 18], [18, 19], [19, 20],
  ];
  const bones: [number, number][] = [[1, 2], [1, 3], [3, 5], [2, 4], [4, 6]];
  // Head to the shoulders' midpoint is drawn by the renderer; wrists join their hand's landmark 0.
  bones.push([5, RIGHT_HAND], [6, LEFT_HAND]);
  for (const base of [RIGHT_HAND, LEFT_HAND]) for (const [a, b] of hand) bones.push([base + a, base + b]);
  return Object.freeze(bones.map((b) => Object.freeze(b) as readonly [number, number]));
})();
