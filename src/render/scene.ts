/**
 * three.js view: a floor grid, orbit controls and skeleton figures drawn as instanced spheres (joints) and cylinders
 * (bones, with midpoint ends as in the dataset's drawing). Matrices are updated in place from scratch objects.
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { BONES, boneEndPosition, NUM_JOINTS } from '../features/skeleton';
import { lowestY, restPose } from './rest-pose';
import type { Figure, FigureOptions, SceneView, SceneViewOptions } from './types';

const UP = new THREE.Vector3(0, 1, 0);

/** Seconds over which the figure's height above the floor follows its lowest joint. */
const GROUND_TAU = 0.6;

class SkeletonFigure implements Figure {
  readonly group = new THREE.Group();
  private readonly joints: THREE.InstancedMesh;
  private readonly bones: THREE.InstancedMesh;
  private readonly a = new Float32Array(3);
  private readonly b = new Float32Array(3);
  private readonly va = new THREE.Vector3();
  private readonly vb = new THREE.Vector3();
  private readonly dir = new THREE.Vector3();
  private readonly q = new THREE.Quaternion();
  private readonly s = new THREE.Vector3();
  private readonly m = new THREE.Matrix4();
  private readonly rest: Float32Array;
  /** Pelvis height above the floor (body-scale units), smoothed. */
  private height: number;
  private lastUpdate = -1;

  constructor(private readonly opts: Required<FigureOptions>) {
    const jointGeo = new THREE.SphereGeometry(opts.jointRadius, 12, 8);
    const boneGeo = new THREE.CylinderGeometry(opts.boneRadius, opts.boneRadius, 1, 10, 1);
    const mat = new THREE.MeshStandardMaterial({ color: opts.color, roughness: 0.5, metalness: 0.1 });
    const jointMat = new THREE.MeshStandardMaterial({ color: 0xf4f1ea, roughness: 0.4 });
    this.joints = new THREE.InstancedMesh(jointGeo, jointMat, NUM_JOINTS);
    this.bones = new THREE.InstancedMesh(boneGeo, mat, BONES.length);
    this.joints.instanceMatrix.setUsage(THREE.DynamicDrawUsage);
    this.bones.instanceMatrix.setUsage(THREE.DynamicDrawUsage);
    this.joints.frustumCulled = false;
    this.bones.frustumCulled = false;
    this.group.add(this.joints, this.bones);
    this.group.position.x = opts.x;
    this.rest = restPose();
    this.height = -lowestY(this.rest) + opts.jointRadius;
    this.setPose(this.rest);
  }

  get visible(): boolean {
    return this.group.visible;
  }

  setVisible(v: boolean): void {
    this.group.visible = v;
  }

  setX(x: number): void {
    this.group.position.x = x;
  }

  setPose(pose: Float32Array): void {
    const now = performance.now() / 1000;
    const dt = this.lastUpdate < 0 ? 1 : now - this.lastUpdate;
    this.lastUpdate = now;
    const target = -lowestY(pose) + this.opts.jointRadius;
    if (Number.isFinite(target)) this.height += (target - this.height) * (1 - Math.exp(-dt / GROUND_TAU));
    const h = this.height;
    for (let j = 0; j < NUM_JOINTS; j++) {
      this.m.makeTranslation(pose[j * 3], pose[j * 3 + 1] + h, pose[j * 3 + 2]);
      this.joints.setMatrixAt(j, this.m);
    }
    for (let i = 0; i < BONES.length; i++) {
      const [ea, eb] = BONES[i];
      boneEndPosition(pose, ea, this.a);
      boneEndPosition(pose, eb, this.b);
      this.va.set(this.a[0], this.a[1] + h, this.a[2]);
      this.vb.set(this.b[0], this.b[1] + h, this.b[2]);
      this.dir.subVectors(this.vb, this.va);
      const len = this.dir.length();
      if (len > 1e-6) this.q.setFromUnitVectors(UP, this.dir.multiplyScalar(1 / len));
      else this.q.identity();
      this.s.set(1, Math.max(len, 1e-6), 1);
      this.va.add(this.vb).multiplyScalar(0.5);
      this.m.compose(this.va, this.q, this.s);
      this.bones.setMatrixAt(i, this.m);
    }
    this.joints.instanceMatrix.needsUpdate = true;
    this.bones.instanceMatrix.needsUpdate = true;
  }
}

class ThreeSceneView implements SceneView {
  private readonly renderer: THREE.WebGLRenderer;
  private readonly scene = new THREE.Scene();
  private readonly camera = new THREE.PerspectiveCamera(40, 1, 0.1, 200);
  private readonly controls: OrbitControls;
  private width = 0;
  private height = 0;

  constructor(private readonly opts: Required<SceneViewOptions>) {
    this.renderer = new THREE.WebGLRenderer({ canvas: opts.canvas, antialias: !opts.software, preserveDrawingBuffer: true });
    // A software rasterizer (SwiftShader) spends ~0.3 s a frame at full size with MSAA: draw at reduced resolution.
    this.renderer.setPixelRatio(opts.software ? 0.5 : Math.min(window.devicePixelRatio > 0 ? window.devicePixelRatio : 1, opts.maxPixelRatio));
    this.scene.background = new THREE.Color(0x14161c);
    this.scene.fog = new THREE.Fog(0x14161c, 18, 40);
    const grid = new THREE.GridHelper(24, 24, 0x7a8290, 0x3a404c);
    this.scene.add(grid);
    this.scene.add(new THREE.HemisphereLight(0xdfe8ff, 0x30281f, 1.4));
    const sun = new THREE.DirectionalLight(0xffffff, 1.6);
    sun.position.set(3, 8, 6);
    this.scene.add(sun);
    this.camera.position.set(0, 3.4, 13.5);
    this.controls = new OrbitControls(this.camera, opts.canvas);
    this.controls.target.set(0, 2.7, 0);
    this.controls.enableDamping = true;
    this.controls.update();
    this.resize();
  }

  get software(): boolean {
    return this.opts.software;
  }

  addFigure(options: FigureOptions): Figure {
    const jointRadius = options.jointRadius ?? 0.09;
    const boneRadius = options.boneRadius ?? 0.045;
    if (!(jointRadius >= 0.01 && jointRadius <= 0.5)) throw new Error(`jointRadius must be in 0.01..0.5 (got ${jointRadius})`);
    if (!(boneRadius >= 0.005 && boneRadius <= 0.3)) throw new Error(`boneRadius must be in 0.005..0.3 (got ${boneRadius})`);
    const f = new SkeletonFigure({ color: options.color, x: options.x, jointRadius, boneRadius });
    this.scene.add(f.group);
    return f;
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
    this.resize();
    this.controls.update();
    this.renderer.render(this.scene, this.camera);
  }

  dispose(): void {
    this.controls.dispose();
    this.renderer.dispose();
  }
}

/** Creates the 3D view on a canvas. Throws when WebGL is unavailable. */
export function createSceneView(options: SceneViewOptions): SceneView {
  const maxPixelRatio = options.maxPixelRatio ?? 2;
  if (!(maxPixelRatio >= 1 && maxPixelRatio <= 3)) throw new Error(`maxPixelRatio must be in 1..3 (got ${maxPixelRatio})`);
  return new ThreeSceneView({ canvas: options.canvas, maxPixelRatio, software: options.software ?? isSoftwareGl() });
}

/** True when WebGL is rendered on the CPU (SwiftShader, llvmpipe). */
export function isSoftwareGl(): boolean {
  try {
    const gl = document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
    if (!gl) return false;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return /swiftshader|llvmpipe|software/i.test(name);
  } catch {
    return false;
  }
}
