import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import { KEY_DIP, KEYS, keyOf, NUM_KEYS, NUM_WHITE_KEYS } from '../features/piano/keyboard';
import { handKeypoint, NUM_BODY_JOINTS, NUM_PIANIST_KEYPOINTS, PIANIST_BONES } from '../features/piano/layout';
import { PianistStage, pianistFigureOptions } from './pianist';
import { pianistRestPose } from './pianist-rest';

const m = new THREE.Matrix4();
const pos = new THREE.Vector3();
const quat = new THREE.Quaternion();
const scale = new THREE.Vector3();

function keyInstance(stage: PianistStage, midi: number): { pos: THREE.Vector3; scale: THREE.Vector3; color: THREE.Color } {
  const k = keyOf(midi);
  const mesh = k.black ? stage.blackKeys : stage.whiteKeys;
  mesh.getMatrixAt(stage.instanceOf[k.index], m);
  m.decompose(pos, quat, scale);
  const color = new THREE.Color();
  mesh.getColorAt(stage.instanceOf[k.index], color);
  return { pos: pos.clone(), scale: scale.clone(), color };
}

describe('PianistStage', () => {
  it('draws 52 white and 36 black key instances at the keyboard.ts positions', () => {
    const stage = new PianistStage(true);
    expect(stage.whiteKeys.count).toBe(NUM_WHITE_KEYS);
    expect(stage.blackKeys.count).toBe(NUM_KEYS - NUM_WHITE_KEYS);
    for (const k of KEYS) {
      const inst = keyInstance(stage, k.midi);
      expect(inst.pos.x).toBeCloseTo(k.x, 4);
      expect(inst.pos.y + inst.scale.y / 2).toBeCloseTo(k.top, 4);
      expect(inst.scale.z).toBeCloseTo(k.length, 4);
    }
    // Mirrored: the root flips x so high notes appear on the right of a camera facing the performer.
    expect(stage.root.scale.x).toBe(-1);
    expect(new PianistStage(false).root.scale.x).toBe(1);
    expect(stage.keysLit).toBe(0);
  });

  it('dips and colours keys from the activations on update, per channel', () => {
    const stage = new PianistStage(true);
    const rest = keyInstance(stage, 60);
    const act = new Float32Array(NUM_KEYS);
    act[60 - 21] = 1;
    act[61 - 21] = 0.4;
    stage.setKeys('listen', act);
    // Not applied before update().
    expect(keyInstance(stage, 60).pos.y).toBeCloseTo(rest.pos.y, 6);
    stage.update();
    const c4 = keyInstance(stage, 60);
    expect(c4.pos.y).toBeCloseTo(rest.pos.y - KEY_DIP, 5);
    expect(c4.color.b).toBeGreaterThan(c4.color.r); // blue (Listen)
    expect(keyInstance(stage, 61).pos.y).toBeCloseTo(keyOf(61).top - 1.2 - 0.4 * KEY_DIP, 4);
    expect(stage.keysLit).toBe(1);
    const watch = new Float32Array(NUM_KEYS);
    watch[72 - 21] = 0.9;
    stage.setKeys('watch', watch);
    stage.update();
    const c5 = keyInstance(stage, 72);
    expect(c5.color.r).toBeGreaterThan(c5.color.b); // orange (Watch)
    expect(stage.keysLit).toBe(2);
    stage.clearKeys('listen');
    stage.clearKeys('watch');
    stage.update();
    expect(keyInstance(stage, 60).pos.y).toBeCloseTo(rest.pos.y, 6);
    expect(keyInstance(stage, 60).color.getHex()).toBe(rest.color.getHex());
    expect(stage.keysLit).toBe(0);
    expect(() => stage.setKeys('listen', new Float32Array(10))).toThrow(/88/);
    expect(() => stage.setKeys('both' as 'listen', act)).toThrow(/listen, watch/);
  });

  it('draws a pianist: joints at the keypoints, hand bones thinner than body bones, missing keypoints hidden', () => {
    const stage = new PianistStage(false);
    const fig = stage.addPianist({ color: 0x4aa3ff });
    const group = stage.root.children.at(-1) as THREE.Group;
    const [bodyJoints, handJoints, bodyBones, handBones] = group.children as THREE.InstancedMesh[];
    expect(bodyJoints.count + handJoints.count).toBe(NUM_PIANIST_KEYPOINTS);
    // Body: 5 arm/shoulder bones + head to the shoulders' midpoint; hands: 2 wrist links + 2 x 21 MediaPipe connections.
    expect(bodyBones.count).toBe(6);
    expect(handBones.count).toBe(PIANIST_BONES.length + 1 - 6);
    const pose = pianistRestPose();
    const tip = handKeypoint('r', 8);
    handJoints.getMatrixAt(tip - NUM_BODY_JOINTS, m);
    m.decompose(pos, quat, scale);
    const round = (v: number) => Math.round(v * 1e4) / 1e4;
    expect(pos.toArray().map(round)).toEqual([pose[tip * 3], pose[tip * 3 + 1], pose[tip * 3 + 2]].map(round));
    expect(scale.x).toBeCloseTo(0.55, 6);
    // Body bone 0 is shoulder to shoulder; hand bones are thinner.
    bodyBones.getMatrixAt(0, m);
    m.decompose(pos, quat, scale);
    const bodyR = scale.x;
    expect(scale.y).toBeCloseTo(36, 3); // shoulder width of the rest pose, cm
    handBones.getMatrixAt(handBones.count - 1, m);
    m.decompose(pos, quat, scale);
    expect(scale.x).toBeLessThan(bodyR / 2);
    expect(scale.y).toBeGreaterThan(1); // the little finger's last phalanx, cm
    // The wrist links (body wrist = hand landmark 0) have zero length and are not drawn.
    handBones.getMatrixAt(0, m);
    expect(m.determinant()).toBe(0);
    // A hand not detected: its landmarks and bones collapse to nothing.
    const missing = pose.slice();
    for (let l = 0; l < 21; l++) missing[handKeypoint('l', l) * 3] = Number.NaN;
    fig.setPose(missing);
    handJoints.getMatrixAt(handKeypoint('l', 8) - NUM_BODY_JOINTS, m);
    expect(m.determinant()).toBe(0);
    handBones.getMatrixAt(handBones.count - 1, m);
    expect(m.determinant()).toBe(0);
    handJoints.getMatrixAt(handKeypoint('r', 8) - NUM_BODY_JOINTS, m);
    expect(m.determinant()).not.toBe(0);
    expect(() => fig.setPose(new Float32Array(3))).toThrow(/147/);
    stage.dispose();
    stage.dispose();
  });

  it('fills and checks figure options, naming valid ranges', () => {
    expect(pianistFigureOptions({ color: 0xff0000 })).toEqual({ color: 0xff0000, bodyJointRadius: 2.2, bodyBoneRadius: 1.4, handJointRadius: 0.55, handBoneRadius: 0.32 });
    expect(() => pianistFigureOptions({ color: 0xff0000, handBoneRadius: 3 })).toThrow(/handBoneRadius must be in 0.05..1.5 cm/);
    expect(() => pianistFigureOptions({ color: -1 })).toThrow(/color/);
  });
});
