/**
 * three.js Pianist view: an 88-key keyboard (white and black keys as two instanced box meshes, placed from
 * ../features/piano/keyboard.ts) whose keys dip and light up from 88 activations per channel (Listen, Watch), and
 * pianist skeletons (49 keypoints: instanced spheres, and cylinders for the bones, thinner in the hands). Units are cm
 * in the pianist frame. Matrices and colours are updated in place from scratch objects: no allocation per frame.
 *
 * `PianistStage` (scene content only, no renderer) is usable without WebGL, so the key layout and lighting are unit
 * tested in Node; `createPianistView` adds the renderer, camera and orbit controls.
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { KEYBOARD_WIDTH, KEYS, NUM_KEYS, NUM_WHITE_KEYS, WHITE_KEY_LENGTH } from '../features/piano/keyboard';
import { NUM_BODY_JOINTS, NUM_PIANIST_KEYPOINTS, PIANIST_BONES, PIANIST_DIM } from '../features/piano/layout';
import { clampActivation, DEFAULT_KEY_PALETTE, KEY_BOX_DIM, keyBox, keyColor } from './pianist-keys';
import { pianistRestPose } from './pianist-rest';
import { isSoftwareGl } from './scene';
import type { KeyChannel, PianistFigure, PianistFigureOptions, PianistView, PianistViewOptions } from './pianist-types';

const UP = new THREE.Vector3(0, 1, 0);

/** Defaults of {@link PianistFigureOptions} (cm). */
export const DEFAULT_PIANIST_FIGURE: Readonly<Required<Omit<PianistFigureOptions, 'color'>>> = Object.freeze({
  bodyJointRadius: 2.2,
  bodyBoneRadius: 1.4,
  handJointRadius: 0.55,
  handBoneRadius: 0.32,
});

/** Ranges of the figure radii, cm. */
const RADIUS_RANGES: Readonly<Record<keyof typeof DEFAULT_PIANIST_FIGURE, readonly [number, number]>> = Object.freeze({
  bodyJointRadius: [0.5, 6],
  bodyBoneRadius: [0.3, 5],
  handJointRadius: [0.1, 2],
  handBoneRadius: [0.05, 1.5],
});

/** Fills and range-checks figure options (errors name the valid range). */
export function pianistFigureOptions(options: PianistFigureOptions): Required<PianistFigureOptions> {
  if (!Number.isInteger(options.color) || options.color < 0 || options.color > 0xffffff) throw new Error(`color must be 0x000000..0xffffff (got ${options.color})`);
  const out = { color: options.color, ...DEFAULT_PIANIST_FIGURE };
  for (const key of Object.keys(RADIUS_RANGES) as (keyof typeof DEFAULT_PIANIST_FIGURE)[]) {
    const v = options[key] ?? DEFAULT_PIANIST_FIGURE[key];
    const [lo, hi] = RADIUS_RANGES[key];
    if (!(v >= lo && v <= hi)) throw new Error(`${key} must be in ${lo}..${hi} cm (got ${v})`);
    out[key] = v;
  }
  return Object.freeze(out);
}

/** The head is drawn this many times the body joint radius. */
const HEAD_SCALE = 2.5;
/** Bones drawn: PIANIST_BONES, then head -> shoulders' midpoint (endpoint -1). */
const DRAWN_BONES: readonly (readonly [number, number])[] = Object.freeze([...PIANIST_BONES, Object.freeze([0, -1] as const)]);

/** True for a bone between upper-body joints (endpoint -1 is the shoulders' midpoint). */
function isBodyBone([a, b]: readonly [number, number]): boolean {
  return a < NUM_BODY_JOINTS && b < NUM_BODY_JOINTS;
}

/**
 * One pianist: upper-body joints and bones (smooth spheres, 8-sided cylinders), hand landmarks and bones (coarse
 * spheres, open 5-sided cylinders: a few pixels across, and on software WebGL their vertices are most of the cost).
 */
class PianistSkeleton implements PianistFigure {
  readonly group = new THREE.Group();
  /** Instanced meshes: body joints (7, keypoint order), hand joints (42), body bones, hand bones (DRAWN_BONES order). */
  readonly bodyJoints: THREE.InstancedMesh;
  readonly handJoints: THREE.InstancedMesh;
  readonly bodyBones: THREE.InstancedMesh;
  readonly handBones: THREE.InstancedMesh;
  /** For each drawn bone: its mesh (true: body) and instance. */
  private readonly boneIsBody: boolean[];
  private readonly boneInstance: Int32Array;
  private readonly va = new THREE.Vector3();
  private readonly vb = new THREE.Vector3();
  private readonly dir = new THREE.Vector3();
  private readonly q = new THREE.Quaternion();
  private readonly s = new THREE.Vector3();
  private readonly m = new THREE.Matrix4();
  private readonly hidden = new THREE.Matrix4().makeScale(0, 0, 0);

  constructor(private readonly opts: Required<PianistFigureOptions>) {
    const boneMat = new THREE.MeshStandardMaterial({ color: opts.color, roughness: 0.5, metalness: 0.1 });
    const jointMat = new THREE.MeshStandardMaterial({ color: 0xf4f1ea, roughness: 0.4 });
    this.boneIsBody = DRAWN_BONES.map(isBodyBone);
    this.boneInstance = new Int32Array(DRAWN_BONES.length);
    let nb = 0;
    let nh = 0;
    this.boneIsBody.forEach((body, i) => (this.boneInstance[i] = body ? nb++ : nh++));
    this.bodyJoints = new THREE.InstancedMesh(new THREE.SphereGeometry(1, 12, 8), jointMat, NUM_BODY_JOINTS);
    this.handJoints = new THREE.InstancedMesh(new THREE.SphereGeometry(1, 6, 4), jointMat, NUM_PIANIST_KEYPOINTS - NUM_BODY_JOINTS);
    this.bodyBones = new THREE.InstancedMesh(new THREE.CylinderGeometry(1, 1, 1, 8, 1), boneMat, nb);
    this.handBones = new THREE.InstancedMesh(new THREE.CylinderGeometry(1, 1, 1, 5, 1, true), boneMat, nh);
    for (const mesh of this.meshes()) {
      mesh.instanceMatrix.setUsage(THREE.DynamicDrawUsage);
      mesh.frustumCulled = false;
      this.group.add(mesh);
    }
    this.setPose(pianistRestPose());
  }

  private meshes(): THREE.InstancedMesh[] {
    return [this.bodyJoints, this.handJoints, this.bodyBones, this.handBones];
  }

  get visible(): boolean {
    return this.group.visible;
  }

  setVisible(v: boolean): void {
    this.group.visible = v;
  }

  /** Writes keypoint k (or the shoulders' midpoint for -1) into v; false when not finite. */
  private point(pose: ArrayLike<number>, k: number, v: THREE.Vector3): boolean {
    if (k >= 0) v.set(pose[k * 3], pose[k * 3 + 1], pose[k * 3 + 2]);
    else v.set((pose[3] + pose[6]) / 2, (pose[4] + pose[7]) / 2, (pose[5] + pose[8]) / 2);
    return Number.isFinite(v.x) && Number.isFinite(v.y) && Number.isFinite(v.z);
  }

  setPose(pose: ArrayLike<number>): void {
    if (pose.length < PIANIST_DIM) throw new Error(`a pianist pose has ${PIANIST_DIM} values (got ${pose.length})`);
    const o = this.opts;
    for (let k = 0; k < NUM_PIANIST_KEYPOINTS; k++) {
      const body = k < NUM_BODY_JOINTS;
      const mesh = body ? this.bodyJoints : this.handJoints;
      const inst = body ? k : k - NUM_BODY_JOINTS;
      if (!this.point(pose, k, this.va)) {
        mesh.setMatrixAt(inst, this.hidden);
        continue;
      }
      const r = k === 0 ? o.bodyJointRadius * HEAD_SCALE : body ? o.bodyJointRadius : o.handJointRadius;
      this.m.makeScale(r, r, r).setPosition(this.va);
      mesh.setMatrixAt(inst, this.m);
    }
    for (let i = 0; i < DRAWN_BONES.length; i++) {
      const ea = DRAWN_BONES[i][0];
      const eb = DRAWN_BONES[i][1];
      const body = this.boneIsBody[i];
      const mesh = body ? this.bodyBones : this.handBones;
      const inst = this.boneInstance[i];
      const len = this.point(pose, ea, this.va) && this.point(pose, eb, this.vb) ? this.dir.subVectors(this.vb, this.va).length() : 0;
      if (!(len > 1e-4)) {
        // Missing keypoint, or a zero-length link (a body wrist and its hand's landmark 0 are one point).
        mesh.setMatrixAt(inst, this.hidden);
        continue;
      }
      const r = body ? o.bodyBoneRadius : o.handBoneRadius;
      this.q.setFromUnitVectors(UP, this.dir.multiplyScalar(1 / len));
      this.s.set(r, len, r);
      this.va.add(this.vb).multiplyScalar(0.5);
      this.m.compose(this.va, this.q, this.s);
      mesh.setMatrixAt(inst, this.m);
    }
    this.bodyJoints.instanceMatrix.needsUpdate = true;
    this.handJoints.instanceMatrix.needsUpdate = true;
    this.bodyBones.instanceMatrix.needsUpdate = true;
    this.handBones.instanceMatrix.needsUpdate = true;
  }

  dispose(): void {
    for (const mesh of this.meshes()) {
      mesh.geometry.dispose();
      mesh.dispose();
    }
    (this.bodyJoints.material as THREE.Material).dispose();
    (this.bodyBones.material as THREE.Material).dispose();
  }
}

/**
 * The scene content of the Pianist view (no renderer): keyboard, key lighting, pianists. Mirrored left-right when
 * `mirror` (the root group has scale x = -1).
 */
export class PianistStage {
  readonly root = new THREE.Group();
  /** White keys (52 instances, A0 upward) and black keys (36 instances). */
  readonly whiteKeys: THREE.InstancedMesh;
  readonly blackKeys: THREE.InstancedMesh;
  /** For each key index 0..87, its instance in whiteKeys or blackKeys. */
  readonly instanceOf: Int32Array = new Int32Array(NUM_KEYS);
  private readonly activations: Record<KeyChannel, Float32Array> = { listen: new Float32Array(NUM_KEYS), watch: new Float32Array(NUM_KEYS) };
  private readonly figures: PianistSkeleton[] = [];
  private readonly others: THREE.Mesh[] = [];
  private readonly box = new Float32Array(KEY_BOX_DIM);
  private readonly rgb = new Float32Array(3);
  private readonly m = new THREE.Matrix4();
  private readonly color = new THREE.Color();
  private dirty = true;
  private lit = 0;
  private disposed = false;

  constructor(mirror: boolean) {
    const geo = new THREE.BoxGeometry(1, 1, 1);
    const mat = () => new THREE.MeshLambertMaterial({ color: 0xffffff });
    this.whiteKeys = new THREE.InstancedMesh(geo, mat(), NUM_WHITE_KEYS);
    this.blackKeys = new THREE.InstancedMesh(geo.clone(), mat(), NUM_KEYS - NUM_WHITE_KEYS);
    let w = 0;
    let b = 0;
    for (const k of KEYS) this.instanceOf[k.index] = k.black ? b++ : w++;
    for (const mesh of [this.whiteKeys, this.blackKeys]) {
      mesh.instanceMatrix.setUsage(THREE.DynamicDrawUsage);
      mesh.frustumCulled = false;
    }
    // Key bed under the keys (dark wood), for orientation; no fallboard, which would hide the keys from the camera.
    const wood = new THREE.MeshLambertMaterial({ color: 0x241a14 });
    const bed = new THREE.Mesh(new THREE.BoxGeometry(KEYBOARD_WIDTH + 6, 3, WHITE_KEY_LENGTH + 4), wood);
    bed.position.set(0, -2.2 - 1.5 - 1.2, -WHITE_KEY_LENGTH / 2 - 1);
    this.others.push(bed);
    this.root.add(this.whiteKeys, this.blackKeys, bed);
    this.root.scale.x = mirror ? -1 : 1;
    this.update();
  }

  addPianist(options: PianistFigureOptions): PianistFigure {
    const f = new PianistSkeleton(pianistFigureOptions(options));
    this.figures.push(f);
    this.root.add(f.group);
    return f;
  }

  setKeys(channel: KeyChannel, activations: ArrayLike<number>): void {
    if (activations.length < NUM_KEYS) throw new Error(`key activations have ${NUM_KEYS} values (got ${activations.length})`);
    const a = this.activations[channel];
    if (!a) throw new Error(`unknown key channel '${String(channel)}' (valid: listen, watch)`);
    for (let i = 0; i < NUM_KEYS; i++) {
      const v = clampActivation(activations[i]);
      if (v !== a[i]) {
        a[i] = v;
        this.dirty = true;
      }
    }
  }

  clearKeys(channel: KeyChannel): void {
    const a = this.activations[channel];
    if (!a) throw new Error(`unknown key channel '${String(channel)}' (valid: listen, watch)`);
    for (let i = 0; i < NUM_KEYS; i++) {
      if (a[i] !== 0) {
        a[i] = 0;
        this.dirty = true;
      }
    }
  }

  /** Keys with an activation of at least 0.5 (either channel), as of the last `update`. */
  get keysLit(): number {
    return this.lit;
  }

  /** Applies changed activations to the key matrices and colours (cheap when nothing changed). */
  update(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const { listen, watch } = this.activations;
    let lit = 0;
    for (let i = 0; i < NUM_KEYS; i++) {
      const key = KEYS[i];
      const mesh = key.black ? this.blackKeys : this.whiteKeys;
      const inst = this.instanceOf[i];
      const a = Math.max(listen[i], watch[i]);
      if (a >= 0.5) lit++;
      keyBox(i, a, this.box);
      this.m.makeScale(this.box[3], this.box[4], this.box[5]).setPosition(this.box[0], this.box[1], this.box[2]);
      mesh.setMatrixAt(inst, this.m);
      keyColor(key.black, listen[i], watch[i], this.rgb);
      this.color.setRGB(this.rgb[0], this.rgb[1], this.rgb[2], THREE.SRGBColorSpace);
      mesh.setColorAt(inst, this.color);
    }
    this.lit = lit;
    for (const mesh of [this.whiteKeys, this.blackKeys]) {
      mesh.instanceMatrix.needsUpdate = true;
      if (mesh.instanceColor) mesh.instanceColor.needsUpdate = true;
    }
  }

  /** Frees geometries and materials; safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const f of this.figures) f.dispose();
    for (const mesh of [this.whiteKeys, this.blackKeys]) {
      mesh.geometry.dispose();
      (mesh.material as THREE.Material).dispose();
      mesh.dispose();
    }
    for (const mesh of this.others) {
      mesh.geometry.dispose();
      (mesh.material as THREE.Material).dispose();
    }
  }
}

/**
 * Camera (cm): facing the performer across the keyboard from high above its far side, ~60 degrees down onto the keys,
 * so key tops, both hands (from the fingertips' side) and the upper body are all in view, none hiding another.
 */
const CAMERA_POSITION = Object.freeze([0, 106, -67] as const);
const CAMERA_TARGET = Object.freeze([0, 18, 16] as const);
const BACKGROUND = 0x14161c;

class ThreePianistView implements PianistView {
  private readonly renderer: THREE.WebGLRenderer;
  private readonly scene = new THREE.Scene();
  private readonly camera = new THREE.PerspectiveCamera(50, 1, 2, 2000);
  private readonly controls: OrbitControls;
  private readonly stage: PianistStage;
  private width = 0;
  private height = 0;
  private disposed = false;

  constructor(private readonly opts: Readonly<Required<Omit<PianistViewOptions, 'canvas'>> & { canvas: HTMLCanvasElement }>) {
    this.renderer = new THREE.WebGLRenderer({ canvas: opts.canvas, antialias: !opts.software, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(opts.software ? 0.5 : Math.min(window.devicePixelRatio > 0 ? window.devicePixelRatio : 1, opts.maxPixelRatio));
    this.scene.background = new THREE.Color(BACKGROUND);
    this.scene.add(new THREE.HemisphereLight(0xdfe8ff, 0x30281f, 1.5));
    const sun = new THREE.DirectionalLight(0xffffff, 1.8);
    sun.position.set(-40, 160, -120);
    this.scene.add(sun);
    this.stage = new PianistStage(opts.mirror);
    this.scene.add(this.stage.root);
    // With the scene mirrored (root scale x = -1) the camera stays put: the flip happens in the scene.
    this.camera.position.set(...CAMERA_POSITION);
    this.controls = new OrbitControls(this.camera, opts.canvas);
    this.controls.target.set(...CAMERA_TARGET);
    this.controls.enableDamping = true;
    this.controls.update();
    this.resize();
  }

  get software(): boolean {
    return this.opts.software;
  }

  get keysLit(): number {
    return this.stage.keysLit;
  }

  addPianist(options: PianistFigureOptions): PianistFigure {
    return this.stage.addPianist(options);
  }

  setKeys(channel: KeyChannel, activations: ArrayLike<number>): void {
    this.stage.setKeys(channel, activations);
  }

  clearKeys(channel: KeyChannel): void {
    this.stage.clearKeys(channel);
  }

  resize(): void {
    const c = this.opts.canvas;
    const w = c.clientWidth;
    const h = c.clientHeight;
    if (w === this.width && h === this.height) return;
    this.width = w;
    this.height = h;
    this.renderer.setSize(w, h, false);
    this.camera.aspect = w / Math.max(1, h);
    this.camera.updateProjectionMatrix();
  }

  render(): void {
    if (this.disposed) return;
    this.resize();
    this.stage.update();
    this.controls.update();
    this.renderer.render(this.scene, this.camera);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.controls.dispose();
    this.stage.dispose();
    this.renderer.dispose();
  }
}

/** Defaults of {@link PianistViewOptions} (software: detected). */
export const DEFAULT_PIANIST_VIEW: Readonly<{ maxPixelRatio: number; mirror: boolean }> = Object.freeze({ maxPixelRatio: 2, mirror: true });

/** Creates the Pianist 3D view on a canvas. Throws when WebGL is unavailable or an option is out of range. */
export function createPianistView(options: PianistViewOptions): PianistView {
  const maxPixelRatio = options.maxPixelRatio ?? DEFAULT_PIANIST_VIEW.maxPixelRatio;
  if (!(maxPixelRatio >= 1 && maxPixelRatio <= 3)) throw new Error(`maxPixelRatio must be in 1..3 (got ${maxPixelRatio})`);
  const mirror = options.mirror ?? DEFAULT_PIANIST_VIEW.mirror;
  if (typeof mirror !== 'boolean') throw new Error(`mirror must be true or false (got ${String(mirror)})`);
  return new ThreePianistView({ canvas: options.canvas, maxPixelRatio, mirror, software: options.software ?? isSoftwareGl() });
}
