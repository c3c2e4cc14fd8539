/**
 * The camera view of a pianist, and the keyboard calibration shared by live webcam input and training data.
 *
 * Live: a webcam in front of the performer sees image points (pixels, u right, v down). The performer shows the
 * keyboard's left and right ends (for example with the index fingertips); {@link calibrateKeyboard} turns those two image
 * points into a similarity transform (scale, rotation, translation; mirrored images handled) from the image onto the
 * keyboard's vertical plane, and {@link imageToKeyboard} maps every later landmark to pianist-frame x, y (cm). Depth
 * is not trusted: the shared representation ({@link toViewRepresentation}) keeps x, y from the calibration and, for
 * hand landmarks only, a depth relative to the hand's wrist (cm, positive away from the camera; MediaPipe's hand z
 * scaled to cm), 0 where unknown.
 *
 * Training: {@link degradeSequence} produces the same representation from clean 3D keypoints, the way a webcam and a
 * landmark detector would: a frontal camera at chest height whose pose varies per sequence (yaw +-15 deg, pitch
 * +-10 deg, distance +-20 %), perspective projection, a calibration from the projected (and jittered) keyboard ends,
 * landmark jitter (sd 1 cm), depth noisy (sd 1.5 cm, scale +-20 %) or absent (half of the sequences), 5 % of frames
 * missing in short bursts.
 */
import { KEYBOARD_WIDTH } from './keyboard';
import { LEFT_HAND, NUM_BODY_JOINTS, NUM_HAND_LANDMARKS, NUM_PIANIST_KEYPOINTS, PIANIST_DIM, RIGHT_HAND } from './layout';
import { gaussian, uniform, type Rng } from './random';

/** Pianist-frame points (cm) of the keyboard's ends used for calibration: the outer edges of A0 and C8, on the keys' top, 2 cm in. */
export const KEYBOARD_ENDS = Object.freeze({
  left: Object.freeze([-KEYBOARD_WIDTH / 2, 0, -2] as const),
  right: Object.freeze([KEYBOARD_WIDTH / 2, 0, -2] as const),
});

/** Similarity transform from image pixels onto the keyboard plane (pianist x, y in cm). */
export interface KeyboardCalibration {
  /** Image point of the left end, px. */
  readonly leftU: number;
  readonly leftV: number;
  /** Unit image direction of +x (left end -> right end). */
  readonly exU: number;
  readonly exV: number;
  /** Unit image direction of +y (perpendicular to ex, pointing up in the image). */
  readonly eyU: number;
  readonly eyV: number;
  /** Centimetres per pixel. */
  readonly cmPerPx: number;
  /** Pianist-frame x, y of the left end, cm. */
  readonly leftX: number;
  readonly leftY: number;
}

/**
 * Calibration from the image points (px) of the keyboard's left and right ends. `leftCm`/`rightCm` are their
 * pianist-frame (x, y), default the ends of {@link KEYBOARD_ENDS}. Throws if the points are closer than 10 px.
 */
export function calibrateKeyboard(
  left: { u: number; v: number },
  right: { u: number; v: number },
  leftCm: readonly [number, number] = [KEYBOARD_ENDS.left[0], KEYBOARD_ENDS.left[1]],
  rightCm: readonly [number, number] = [KEYBOARD_ENDS.right[0], KEYBOARD_ENDS.right[1]],
): KeyboardCalibration {
  const du = right.u - left.u;
  const dv = right.v - left.v;
  const px = Math.hypot(du, dv);
  if (!(px >= 10)) throw new Error(`calibration points must be at least 10 px apart (got ${px.toFixed(1)} px)`);
  const cm = Math.hypot(rightCm[0] - leftCm[0], rightCm[1] - leftCm[1]);
  if (!(cm > 0)) throw new Error('calibration ends must differ in the keyboard plane');
  // Image direction of the keyboard's ends, then rotated so that (rightCm - leftCm) lines up with it.
  const a = Math.atan2(rightCm[1] - leftCm[1], rightCm[0] - leftCm[0]);
  const eu = du / px;
  const ev = dv / px;
  // ey: perpendicular to the ends' direction, on the image-up side (v decreasing).
  let yu = ev;
  let yv = -eu;
  if (yv > 0) {
    yu = -yu;
    yv = -yv;
  }
  // Pianist +x in the image = cos(a) * ends direction - sin(a) * ey; +y = sin(a) * ends + cos(a) * ey.
  const exU = Math.cos(a) * eu - Math.sin(a) * yu;
  const exV = Math.cos(a) * ev - Math.sin(a) * yv;
  const eyU = Math.sin(a) * eu + Math.cos(a) * yu;
  const eyV = Math.sin(a) * ev + Math.cos(a) * yv;
  return Object.freeze({ leftU: left.u, leftV: left.v, exU, exV, eyU, eyV, cmPerPx: cm / px, leftX: leftCm[0], leftY: leftCm[1] });
}

/** Maps an image point (px) to pianist-frame x, y (cm), written to out[o], out[o + 1]. */
export function imageToKeyboard(cal: KeyboardCalibration, u: number, v: number, out: Float32Array | Float64Array | number[], o = 0): void {
  const du = u - cal.leftU;
  const dv = v - cal.leftV;
  out[o] = cal.leftX + cal.cmPerPx * (du * cal.exU + dv * cal.exV);
  out[o + 1] = cal.leftY + cal.cmPerPx * (du * cal.eyU + dv * cal.eyV);
}

/** Inverse of {@link imageToKeyboard}: pianist-frame x, y (cm) to image u, v (px). */
export function keyboardToImage(cal: KeyboardCalibration, x: number, y: number): { u: number; v: number } {
  const a = (x - cal.leftX) / cal.cmPerPx;
  const b = (y - cal.leftY) / cal.cmPerPx;
  // ex and ey are orthonormal in the image, so the inverse is the transpose.
  return { u: cal.leftU + a * cal.exU + b * cal.eyU, v: cal.leftV + a * cal.exV + b * cal.eyV };
}

/** A pinhole camera in the pianist frame. */
export interface PinholeCamera {
  /** Camera centre, cm. */
  readonly position: readonly [number, number, number];
  /** Rows: image right, image down, viewing direction (unit vectors in the pianist frame). */
  readonly rotation: readonly number[];
  /** Focal length, px. */
  readonly focalPx: number;
  /** Principal point, px. */
  readonly cu: number;
  readonly cv: number;
}

/** Options for a camera looking at the pianist from the keyboard's far side. */
export interface CameraPose {
  /** Orbit angle about the vertical through the target, rad (0: straight across the keyboard). */
  yaw: number;
  /** Elevation of the camera above the target's horizontal, rad. */
  pitch: number;
  /** Distance from the target, cm. */
  distance: number;
  /** Point looked at (the performer's chest), cm. */
  target: readonly [number, number, number];
  /** Focal length, px (a 640 px wide webcam with ~60 deg field of view: ~550). */
  focalPx: number;
  /** Whether the image is mirrored (a selfie view). */
  mirrored: boolean;
}

/** Default camera: chest height (20 cm above the keys, 35 cm behind them), 110 cm away, straight. */
export const DEFAULT_CAMERA_POSE: CameraPose = Object.freeze({ yaw: 0, pitch: 0, distance: 110, target: Object.freeze([0, 20, 35] as const), focalPx: 550, mirrored: false });

/** Builds a pinhole camera from a pose (image 640 x 480, principal point in the middle). */
export function cameraFromPose(pose: CameraPose): PinholeCamera {
  const [tx, ty, tz] = pose.target;
  const cp = Math.cos(pose.pitch);
  // From the target toward the camera: on the keyboard's far side (-z), orbiting by yaw, raised by pitch.
  const dx = Math.sin(pose.yaw) * cp;
  const dy = Math.sin(pose.pitch);
  const dz = -Math.cos(pose.yaw) * cp;
  const position: [number, number, number] = [tx + pose.distance * dx, ty + pose.distance * dy, tz + pose.distance * dz];
  // Viewing direction f = -d; image right r = f x up (normalized); image down = f x r.
  const f = [-dx, -dy, -dz];
  let r = [f[1] * 0 - f[2] * 1, f[2] * 0 - f[0] * 0, f[0] * 1 - f[1] * 0];
  const rn = Math.hypot(r[0], r[1], r[2]);
  r = r.map((x) => x / rn);
  const down = [f[1] * r[2] - f[2] * r[1], f[2] * r[0] - f[0] * r[2], f[0] * r[1] - f[1] * r[0]];
  if (pose.mirrored) r = r.map((x) => -x);
  return { position, rotation: [...r, ...down, ...f], focalPx: pose.focalPx, cu: 320, cv: 240 };
}

/** Projects a point (cm) to the image: writes u, v (px) and camera depth (cm) to out[o..o+3). */
export function project(cam: PinholeCamera, x: number, y: number, z: number, out: Float64Array | Float32Array | number[], o = 0): void {
  const R = cam.rotation;
  const px = x - cam.position[0];
  const py = y - cam.position[1];
  const pz = z - cam.position[2];
  const cx = R[0] * px + R[1] * py + R[2] * pz;
  const cy = R[3] * px + R[4] * py + R[5] * pz;
  const cz = R[6] * px + R[7] * py + R[8] * pz;
  const d = Math.max(cz, 1);
  out[o] = cam.cu + (cam.focalPx * cx) / d;
  out[o + 1] = cam.cv + (cam.focalPx * cy) / d;
  out[o + 2] = cz;
}

/** Options for {@link degradeSequence}. */
export interface DegradeOptions {
  /** Largest camera yaw, rad. */
  maxYaw: number;
  /** Largest camera pitch, rad. */
  maxPitch: number;
  /** Relative range of the camera distance (0.2: +-20 %). */
  distanceRange: number;
  /** Landmark jitter, sd in cm. */
  jitterCm: number;
  /** Jitter of the calibration points, sd in cm. */
  calibrationJitterCm: number;
  /** Probability that a sequence has no depth (z = 0). */
  depthAbsentProb: number;
  /** Depth noise, sd in cm, when depth is present. */
  depthNoiseCm: number;
  /** Fraction of frames missing. */
  missingRate: number;
  /** Mean length of a run of missing frames. */
  missingBurst: number;
}

export const DEFAULT_DEGRADE: DegradeOptions = Object.freeze({
  maxYaw: (15 * Math.PI) / 180,
  maxPitch: (10 * Math.PI) / 180,
  distanceRange: 0.2,
  jitterCm: 1,
  calibrationJitterCm: 1,
  depthAbsentProb: 0.5,
  depthNoiseCm: 1.5,
  missingRate: 0.05,
  missingBurst: 3,
});

/** No degradation: the clean keypoints seen by the default frontal camera, with depth (for analyses). */
export const NO_DEGRADE: DegradeOptions = Object.freeze({
  maxYaw: 0,
  maxPitch: 0,
  distanceRange: 0,
  jitterCm: 0,
  calibrationJitterCm: 0,
  depthAbsentProb: 0,
  depthNoiseCm: 0,
  missingRate: 0,
  missingBurst: 3,
});

/** Fills and range-checks degradation options (errors list the valid ranges). */
export function fillDegradeOptions(o: Partial<DegradeOptions> = {}): DegradeOptions {
  const out = { ...DEFAULT_DEGRADE, ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) } as DegradeOptions;
  const check = (k: keyof DegradeOptions, lo: number, hi: number): void => {
    const v = out[k];
    if (!(v >= lo && v <= hi)) throw new Error(`${k} must be in ${lo}..${hi} (got ${String(v)})`);
  };
  check('maxYaw', 0, Math.PI / 3);
  check('maxPitch', 0, Math.PI / 4);
  check('distanceRange', 0, 0.5);
  check('jitterCm', 0, 10);
  check('calibrationJitterCm', 0, 10);
  check('depthAbsentProb', 0, 1);
  check('depthNoiseCm', 0, 20);
  check('missingRate', 0, 0.9);
  check('missingBurst', 1, 100);
  return out;
}

/** A degraded sequence in the shared view representation. */
export interface ViewSequence {
  /** numFrames x PIANIST_DIM: x, y from the calibration (cm); z: hand landmarks' depth relative to their wrist (cm), else 0. Missing frames are all 0. */
  points: Float32Array;
  /** 1 where the frame was detected, 0 where missing. */
  present: Uint8Array;
  /** Whether z carries depth. */
  depth: boolean;
  /** The camera pose drawn. */
  pose: CameraPose;
}

/**
 * Builds the view representation of one frame from image landmarks: `image` holds u, v (px) and a depth per keypoint
 * (any unit proportional to cm via `depthScale`, or NaN for unknown). Writes PIANIST_DIM values to out[o..].
 *
 * Live use: fill `image` in PIANIST_KEYPOINT_NAMES order (BlazePose nose, shoulders, elbows, wrists; then each hand's
 * 21 landmarks in pixels); MediaPipe hand z is scaled like x, so pass z * imageWidth as the depth (px) and
 * `depthScale = cal.cmPerPx`, or NaN depths for none. Calibrate once with {@link calibrateKeyboard} from the image
 * points where the performer shows the keyboard's left and right ends (training uses the ends' exact projections,
 * jittered by 1 cm: e.g. the index fingertips, landmark 8, held there). Missing hands: the caller zeroes the frame and
 * marks it absent, as training does.
 */
export function toViewRepresentation(cal: KeyboardCalibration, image: ArrayLike<number>, depthScale: number, out: Float32Array, o = 0): void {
  for (let j = 0; j < NUM_PIANIST_KEYPOINTS; j++) imageToKeyboard(cal, image[j * 3], image[j * 3 + 1], out, o + j * 3);
  for (let j = 0; j < NUM_BODY_JOINTS; j++) out[o + j * 3 + 2] = 0;
  for (const h of [RIGHT_HAND, LEFT_HAND]) {
    const wristDepth = image[h * 3 + 2];
    for (let l = 0; l < NUM_HAND_LANDMARKS; l++) {
      const d = image[(h + l) * 3 + 2];
      const z = (d - wristDepth) * depthScale;
      out[o + (h + l) * 3 + 2] = Number.isFinite(z) ? z : 0;
    }
  }
}

/**
 * Degrades clean keypoints (numFrames x PIANIST_DIM, pianist frame, cm) into the view representation, deterministic
 * for `rng`. See the module comment for the model of the camera and detector.
 */
export function degradeSequence(keypoints: Float32Array, numFrames: number, rng: Rng, options: Partial<DegradeOptions> = {}): ViewSequence {
  const o = fillDegradeOptions(options);
  const pose: CameraPose = {
    yaw: uniform(rng, -o.maxYaw, o.maxYaw),
    pitch: uniform(rng, -o.maxPitch, o.maxPitch),
    distance: DEFAULT_CAMERA_POSE.distance * uniform(rng, 1 - o.distanceRange, 1 + o.distanceRange),
    target: [uniform(rng, -5, 5), DEFAULT_CAMERA_POSE.target[1] + uniform(rng, -5, 5), DEFAULT_CAMERA_POSE.target[2] + uniform(rng, -5, 5)],
    focalPx: DEFAULT_CAMERA_POSE.focalPx * uniform(rng, 0.9, 1.1),
    mirrored: rng() < 0.5,
  };
  const cam = cameraFromPose(pose);
  const depth = rng() >= o.depthAbsentProb;
  const depthScale = uniform(rng, 0.8, 1.2);
  const tmp = [0, 0, 0];
  // Calibration from the projected ends, jittered by calibrationJitterCm (converted at the ends' distance).
  project(cam, KEYBOARD_ENDS.left[0], KEYBOARD_ENDS.left[1], KEYBOARD_ENDS.left[2], tmp);
  const L = { u: tmp[0], v: tmp[1] };
  const pxPerCmL = cam.focalPx / tmp[2];
  project(cam, KEYBOARD_ENDS.right[0], KEYBOARD_ENDS.right[1], KEYBOARD_ENDS.right[2], tmp);
  const R = { u: tmp[0], v: tmp[1] };
  const pxPerCmR = cam.focalPx / tmp[2];
  L.u += gaussian(rng) * o.calibrationJitterCm * pxPerCmL;
  L.v += gaussian(rng) * o.calibrationJitterCm * pxPerCmL;
  R.u += gaussian(rng) * o.calibrationJitterCm * pxPerCmR;
  R.v += gaussian(rng) * o.calibrationJitterCm * pxPerCmR;
  const cal = calibrateKeyboard(L, R);
  const points = new Float32Array(numFrames * PIANIST_DIM);
  const present = new Uint8Array(numFrames);
  const image = new Float64Array(PIANIST_DIM);
  // Missing frames: a two-state Markov chain with the requested rate and mean burst length.
  const pEnd = 1 / o.missingBurst;
  const pStart = o.missingRate >= 1 ? 1 : (o.missingRate * pEnd) / (1 - o.missingRate);
  let missing = rng() < o.missingRate;
  for (let k = 0; k < numFrames; k++) {
    if (k > 0) missing = missing ? rng() >= pEnd : rng() < pStart;
    if (missing) continue;
    present[k] = 1;
    const base = k * PIANIST_DIM;
    for (let j = 0; j < NUM_PIANIST_KEYPOINTS; j++) {
      project(cam, keypoints[base + j * 3], keypoints[base + j * 3 + 1], keypoints[base + j * 3 + 2], image, j * 3);
      const pxPerCm = cam.focalPx / image[j * 3 + 2];
      image[j * 3] += gaussian(rng) * o.jitterCm * pxPerCm;
      image[j * 3 + 1] += gaussian(rng) * o.jitterCm * pxPerCm;
      image[j * 3 + 2] = depth ? image[j * 3 + 2] + gaussian(rng) * o.depthNoiseCm : Number.NaN;
    }
    toViewRepresentation(cal, image, depthScale, points, base);
  }
  return { points, present, depth, pose };
}
