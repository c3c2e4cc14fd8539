import { describe, expect, it } from 'vitest';
import { BONES, J, POSE_DIM } from '../skeleton';
import {
  DATASET_BONE_LENGTHS,
  measureBoneLengths,
  medianBoneLengths,
  NUM_RETARGET_BONES,
  RETARGET_BONES,
  retargetPose,
  RunningBoneLengths,
} from './retarget';

type V3 = readonly [number, number, number];

/** A hand-built pose (arbitrary units, y up, facing +z): arms out sideways, right forearm pointing forward-out. */
const CANON: Record<number, V3> = {
  [J.pelvis]: [0, 0, 0],
  [J.r_shoulder]: [-1, 3, 0], [J.l_shoulder]: [1, 3, 0], // neck (0, 3, 0)
  [J.head_low]: [-0.5, 4, 0], [J.head_top]: [0.5, 4, 0], // head centre (0, 4, 0)
  [J.r_elbow]: [-3, 3, 0], [J.r_wrist]: [-4.2, 3, 1.6], [J.r_hand]: [-5, 3, 2.2], [J.r_hand_tip]: [-5, 3, 2.7],
  [J.l_elbow]: [3, 3, 0], [J.l_wrist]: [5, 3, 0], [J.l_hand]: [6, 3, 0], [J.l_hand_tip]: [5, 3.5, 0],
  [J.r_hip]: [-1, -1, 0], [J.r_knee]: [-1, -4, 0], [J.r_ankle]: [-1, -7, 0], [J.r_heel]: [-1, -7.5, -0.5], [J.r_toe]: [-1, -7.5, 1.5],
  [J.l_hip]: [1, -1, 0], [J.l_knee]: [1, -4, 0.5], [J.l_ankle]: [1, -7, 0], [J.l_heel]: [1, -7.5, -0.5], [J.l_toe]: [1, -7.5, 1.5],
};

function build(joints: Record<number, V3>): Float32Array {
  const p = new Float32Array(POSE_DIM);
  for (const [j, v] of Object.entries(joints)) p.set(v, Number(j) * 3);
  return p;
}

function joint(p: ArrayLike<number>, j: number): number[] {
  return [p[j * 3], p[j * 3 + 1], p[j * 3 + 2]];
}

function expectJoint(p: ArrayLike<number>, j: number, want: V3 | number[], digits = 5): void {
  const got = joint(p, j);
  for (let c = 0; c < 3; c++) expect(got[c], `joint ${j} coord ${c}`).toBeCloseTo(want[c], digits);
}

/** A deterministic irregular pose (no zero-length bones). */
function wobbly(seed: number): Float32Array {
  const p = new Float32Array(POSE_DIM);
  for (let i = 0; i < POSE_DIM; i++) p[i] = Math.sin(1.3 * i + seed) * 0.6 + Math.cos(0.7 * i * seed) * 0.3;
  return p;
}

describe('bone-length retargeting', () => {
  it('covers BONES then the two hand tips; the dataset table is frozen, positive and left/right shoulder-equal', () => {
    expect(NUM_RETARGET_BONES).toBe(BONES.length + 2);
    expect(RETARGET_BONES.slice(0, BONES.length)).toEqual(BONES);
    expect(RETARGET_BONES[21]).toEqual([J.l_wrist, J.l_hand_tip]);
    expect(RETARGET_BONES[22]).toEqual([J.r_hand, J.r_hand_tip]);
    expect(Object.isFrozen(DATASET_BONE_LENGTHS)).toBe(true);
    expect(DATASET_BONE_LENGTHS.length).toBe(NUM_RETARGET_BONES);
    for (const l of DATASET_BONE_LENGTHS) expect(l).toBeGreaterThan(0);
    // Bones 2 and 6 are the two halves of the shoulder line: equal in every frame of the data.
    expect(DATASET_BONE_LENGTHS[2]).toBe(DATASET_BONE_LENGTHS[6]);
    // Golden values (body scales): r_shoulder -> r_elbow, r_elbow -> r_wrist, pelvis -> neck.
    expect([DATASET_BONE_LENGTHS[3], DATASET_BONE_LENGTHS[4], DATASET_BONE_LENGTHS[10]]).toEqual([0.9949, 0.3902, 1.0649]);
  });

  it('measures bone lengths, midpoint ends included (golden values)', () => {
    const l = measureBoneLengths(build(CANON), new Float64Array(NUM_RETARGET_BONES));
    expect(l[0]).toBeCloseTo(1, 6); // head_low - head_top
    expect(l[1]).toBeCloseTo(1, 6); // head centre - neck
    expect(l[2]).toBeCloseTo(1, 6); // r_shoulder - neck
    expect(l[4]).toBeCloseTo(2, 6); // r_elbow - r_wrist: (-1.2, 0, 1.6)
    expect(l[10]).toBeCloseTo(3, 6); // pelvis - neck
    expect(l[14]).toBeCloseTo(Math.hypot(0.5, 0.5), 6); // r_ankle - foot centre (-1, -7.5, 0.5)
    expect(l[15]).toBeCloseTo(2, 6); // r_heel - r_toe
    expect(l[21]).toBeCloseTo(0.5, 6); // l_wrist - l_hand_tip
    expect(l[22]).toBeCloseTo(0.5, 6); // r_hand - r_hand_tip
  });

  it('leaves a pose whose bones already have the given lengths unchanged', () => {
    const p = build(CANON);
    const lengths = measureBoneLengths(p, new Float64Array(NUM_RETARGET_BONES));
    const out = retargetPose(p, lengths, new Float32Array(POSE_DIM));
    for (let i = 0; i < POSE_DIM; i++) expect(out[i], `value ${i}`).toBeCloseTo(p[i], 5);
  });

  it('gives one stretched bone its stable length and the same direction; its descendants follow, the rest is unchanged', () => {
    const p = build(CANON);
    const lengths = measureBoneLengths(p, new Float64Array(NUM_RETARGET_BONES));
    // Stretch r_elbow -> r_wrist from 2 to 5 along its direction (-0.6, 0, 0.8); hand and tip move with the wrist.
    const stretched = build({ ...CANON, [J.r_wrist]: [-6, 3, 4], [J.r_hand]: [-6.8, 3, 4.6], [J.r_hand_tip]: [-6.8, 3, 5.1] });
    expect(measureBoneLengths(stretched, new Float64Array(NUM_RETARGET_BONES))[4]).toBeCloseTo(5, 5);
    const out = retargetPose(stretched, lengths, new Float32Array(POSE_DIM));
    expectJoint(out, J.r_wrist, [-4.2, 3, 1.6]);
    expectJoint(out, J.r_hand, [-5, 3, 2.2]);
    expectJoint(out, J.r_hand_tip, [-5, 3, 2.7]);
    for (let i = 0; i < POSE_DIM; i++) expect(out[i], `value ${i}`).toBeCloseTo(p[i], 5);
  });

  it('sets midpoint bones as symmetric pairs: neck, head and foot', () => {
    const p = build(CANON);
    const lengths = measureBoneLengths(p, new Float64Array(NUM_RETARGET_BONES));
    // Shoulders 1 too high (pelvis -> neck 4 instead of 3) and 1.5x too wide; heel-toe 4 instead of 2.
    const moved = { ...CANON };
    for (const j of [J.r_shoulder, J.l_shoulder, J.head_low, J.head_top, J.r_elbow, J.r_wrist, J.r_hand, J.r_hand_tip, J.l_elbow, J.l_wrist, J.l_hand, J.l_hand_tip]) {
      moved[j] = [CANON[j][0], CANON[j][1] + 1, CANON[j][2]];
    }
    moved[J.r_shoulder] = [-1.5, 4, 0];
    moved[J.l_shoulder] = [1.5, 4, 0];
    moved[J.r_heel] = [-1, -7.5, -1.5];
    moved[J.r_toe] = [-1, -7.5, 2.5];
    const out = retargetPose(build(moved), lengths, new Float32Array(POSE_DIM));
    expectJoint(out, J.r_shoulder, [-1, 3, 0]);
    expectJoint(out, J.l_shoulder, [1, 3, 0]);
    expectJoint(out, J.head_low, [-0.5, 4, 0]);
    expectJoint(out, J.head_top, [0.5, 4, 0]);
    expectJoint(out, J.r_heel, [-1, -7.5, -0.5]);
    expectJoint(out, J.r_toe, [-1, -7.5, 1.5]);
    // Elbows keep their (sideways) direction from the moved shoulders: the right one 2 from (-1, 3, 0).
    expectJoint(out, J.r_elbow, [-3, 3, 0]);
  });

  it('gives every bone exactly the requested length and keeps every joint bone direction of an irregular pose', () => {
    for (const seed of [1, 2, 3]) {
      const p = wobbly(seed);
      const out = retargetPose(p, DATASET_BONE_LENGTHS, new Float32Array(POSE_DIM));
      const l = measureBoneLengths(out, new Float64Array(NUM_RETARGET_BONES));
      for (let b = 0; b < NUM_RETARGET_BONES; b++) expect(l[b], `seed ${seed} bone ${b}`).toBeCloseTo(DATASET_BONE_LENGTHS[b], 5);
      expectJoint(out, J.pelvis, joint(p, J.pelvis), 6);
      // Bones between two joints: same direction (cosine 1).
      for (const [a, b] of RETARGET_BONES) {
        if (typeof a !== 'number' || typeof b !== 'number') continue;
        const u = joint(p, b).map((v, c) => v - joint(p, a)[c]);
        const w = joint(out, b).map((v, c) => v - joint(out, a)[c]);
        const cos = (u[0] * w[0] + u[1] * w[1] + u[2] * w[2]) / (Math.hypot(...u) * Math.hypot(...w));
        expect(cos, `seed ${seed} bone ${a}-${b}`).toBeCloseTo(1, 5);
      }
    }
  });

  it('keeps a bone without direction as it is, and refuses aliasing and short inputs', () => {
    const p = build(CANON);
    const q = build({ ...CANON, [J.r_hand]: [-4.2, 3, 1.6], [J.r_hand_tip]: [-4.2, 3.5, 1.6] }); // hand on the wrist
    const lengths = measureBoneLengths(p, new Float64Array(NUM_RETARGET_BONES));
    const out = retargetPose(q, lengths, new Float32Array(POSE_DIM));
    expectJoint(out, J.r_hand, [-4.2, 3, 1.6]);
    expectJoint(out, J.r_hand_tip, [-4.2, 3.5, 1.6]); // 0.5 up, as asked
    expect(() => retargetPose(p, lengths, p)).toThrow(/must not alias/);
    expect(() => retargetPose(p, new Float64Array(3), new Float32Array(POSE_DIM))).toThrow(/need 23 bone lengths/);
    expect(() => retargetPose(new Float32Array(5), lengths, new Float32Array(POSE_DIM))).toThrow(/69 values/);
  });

  it('medianBoneLengths: per-bone median over frames divided by a scale', () => {
    const a = build(CANON);
    const b = build({ ...CANON, [J.r_wrist]: [-6, 3, 4], [J.r_hand]: [-6.8, 3, 4.6], [J.r_hand_tip]: [-6.8, 3, 5.1] });
    const seq = new Float32Array(3 * POSE_DIM);
    seq.set(a, 0);
    seq.set(b, POSE_DIM);
    seq.set(a, 2 * POSE_DIM);
    const m = medianBoneLengths(seq, 3, 2);
    expect(m[4]).toBeCloseTo(1, 6); // median 2 (not the stretched 5), / 2
    expect(m[10]).toBeCloseTo(1.5, 6);
  });
});

describe('running bone lengths', () => {
  const frame = (v: number): Float64Array => new Float64Array(NUM_RETARGET_BONES).fill(v);

  it('is the median of the last `window` finite lengths per bone, and forgets on reset', () => {
    const r = new RunningBoneLengths(3);
    expect(Number.isNaN(r.values[0])).toBe(true);
    r.push(frame(1));
    expect(r.values[0]).toBe(1);
    r.push(frame(5));
    expect(r.values[0]).toBe(3); // median of 1, 5
    r.push(frame(2));
    expect(r.values[0]).toBe(2); // 1, 5, 2
    r.push(frame(9)); // drops 1: 5, 2, 9
    expect(r.values[0]).toBe(5);
    r.push(frame(Number.NaN)); // skipped
    expect(r.values[0]).toBe(5);
    r.push(frame(0.5)); // drops 5: 2, 9, 0.5
    r.push(frame(0.7)); // drops 2: 9, 0.5, 0.7
    expect(r.values[0]).toBe(0.7);
    const one = frame(4);
    one[7] = 100;
    r.push(one); // drops 9: 0.5, 0.7, 4 / bone 7: 0.5, 0.7, 100
    expect(r.values[0]).toBe(0.7);
    expect(r.values[7]).toBe(0.7);
    r.reset();
    expect(Number.isNaN(r.values[3])).toBe(true);
    r.push(frame(8));
    expect(r.values[3]).toBe(8);
    expect(() => new RunningBoneLengths(0)).toThrow(/window must be a positive integer/);
  });
});
