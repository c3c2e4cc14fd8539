/**
 * Fingering for the virtual pianist: which finger of which hand plays each note.
 *
 * Assumptions (stated, not learned):
 * - A finger holds at most one key; a key is held by at most one finger. Notes of one hand whose onsets lie within
 *   30 ms form a chord and are fingered together.
 * - Fingers are numbered 1 (thumb) to 5 (little finger). Any two simultaneously held notes of a hand respect the
 *   practical span limits of Parncutt et al. (1997, "An ergonomic model of keyboard fingering", table 1, semitones,
 *   MinPrac..MaxPrac for each finger pair): this keeps each hand within its span (thumb-little finger at most 15
 *   semitones) and orders the four fingers by pitch; only the thumb may pass under another held finger.
 * - The choice minimizes Parncutt-style costs (stretch beyond the comfortable and relaxed ranges, same finger on
 *   another key, thumb / little finger on black keys, weak fourth finger, hand displacement) with a beam search over
 *   chords (beam {@link BEAM}).
 * - What cannot be fingered is made playable, never faked: a held note that blocks a chord is released at the chord's
 *   onset (counted as `truncated`); a chord wider than a hand's span or with more than 5 notes keeps the notes within
 *   the best 15-semitone window, at most 5 (the rest are `dropped`). The audio and the piano roll are made from the
 *   notes as played here.
 */
import { isBlack } from '../../src/features/piano/keyboard';
import type { Hand, PianoNote } from './midi';

/** A note with the finger (1..5) that plays it. */
export interface FingeredNote extends PianoNote {
  finger: number;
}

/** Counts of notes changed to make a piece playable. */
export interface PlayabilityStats {
  notes: number;
  /** Notes dropped (chord beyond a hand's span or with more than five notes, or a same-key collision). */
  dropped: number;
  /** Notes released early (blocking a chord, the same key struck again, or before a hand leap). */
  truncated: number;
  /** Notes lengthened to the minimum duration. */
  lengthened: number;
}

/** Onsets within this many seconds form one chord. */
export const CHORD_S = 0.03;
/** Shortest note, s (longer than a 25 fps frame, so every note covers a frame time). */
export const MIN_NOTE_S = 0.05;
/** Beam width of the fingering search. */
export const BEAM = 12;

/**
 * Parncutt et al. (1997) distances for finger pairs (i < j), semitones from finger i's key up to finger j's key (right
 * hand; mirrored for the left): [MinPrac, MinComf, MinRel, MaxRel, MaxComf, MaxPrac].
 */
const SPAN: Record<string, readonly number[]> = {
  '1-2': [-5, -3, 1, 5, 8, 10],
  '1-3': [-4, -2, 3, 7, 10, 12],
  '1-4': [-3, -1, 5, 9, 12, 14],
  '1-5': [-1, 1, 7, 10, 13, 15],
  '2-3': [1, 1, 1, 2, 3, 5],
  '2-4': [1, 1, 3, 4, 5, 7],
  '2-5': [2, 2, 5, 6, 8, 10],
  '3-4': [1, 1, 1, 2, 2, 4],
  '3-5': [1, 1, 3, 4, 5, 7],
  '4-5': [1, 1, 1, 2, 3, 5],
};

/** Span limits of a finger pair: signed semitones from finger a's note to finger b's note, in the hand's direction. */
function span(fa: number, fb: number): readonly number[] {
  return SPAN[`${Math.min(fa, fb)}-${Math.max(fa, fb)}`];
}

/** Semitones from note pa (finger fa) to pb (finger fb), measured from the lower finger to the higher, hand direction. */
function pairDistance(hand: Hand, fa: number, pa: number, fb: number, pb: number): number {
  const d = hand === 'r' ? pb - pa : pa - pb;
  return fa < fb ? d : -d;
}

/** True if two simultaneously held notes can be held by these fingers. */
export function canHold(hand: Hand, fa: number, pa: number, fb: number, pb: number): boolean {
  if (fa === fb) return false;
  const e = pairDistance(hand, fa, pa, fb, pb);
  const s = span(fa, fb);
  return e >= s[0] && e <= s[5];
}

/** Comfort cost of two notes under two fingers (stretch and span rules). */
function stretchCost(hand: Hand, fa: number, pa: number, fb: number, pb: number, chord: boolean): number {
  const e = pairDistance(hand, fa, pa, fb, pb);
  const s = span(fa, fb);
  let c = 2 * Math.max(0, e - s[4]) + 2 * Math.max(0, s[1] - e);
  c += (chord ? 2 : 1) * (Math.max(0, e - s[3]) + Math.max(0, s[2] - e));
  if (e > s[5] || e < s[0]) c += 4 * (Math.max(0, e - s[5]) + Math.max(0, s[0] - e));
  return c;
}

interface Held {
  /** Index into the hand's note array. */
  note: number;
  finger: number;
}

interface Hypothesis {
  cost: number;
  /** Notes still sounding at the last chord (indices), with their fingers. */
  held: Held[];
  /** Per finger 1..5: index of the last note it played, or -1. */
  last: number[];
  /** Last chord's notes and fingers. */
  prev: Held[];
  /** Assignment of this chord (parallel to the chord's note indices). */
  fingers: number[];
  /** Notes released early at this chord. */
  released: number[];
  /** Notes dropped at this chord. */
  dropped: number[];
  parent: Hypothesis | null;
}

/** k-subsets of 1..5 in increasing order. */
function subsets(k: number): number[][] {
  const out: number[][] = [];
  const rec = (start: number, acc: number[]): void => {
    if (acc.length === k) {
      out.push([...acc]);
      return;
    }
    for (let f = start; f <= 5; f++) rec(f + 1, [...acc, f]);
  };
  rec(1, []);
  return out;
}
const SUBSETS = [0, 1, 2, 3, 4, 5].map(subsets);

/** True if some monotone choice of fingers can hold all these notes at once (sorted thumb side first). */
function chordFeasible(notes: readonly PianoNote[], chord: readonly number[], hand: Hand): boolean {
  if (chord.length > 5) return false;
  return SUBSETS[chord.length].some((fs) => {
    for (let a = 0; a < fs.length; a++) for (let b = a + 1; b < fs.length; b++) if (!canHold(hand, fs[a], notes[chord[a]].midi, fs[b], notes[chord[b]].midi)) return false;
    return true;
  });
}

/**
 * Chooses which notes of a chord to keep: the best 15-semitone window, at most 5 notes, then inner notes dropped
 * until one hand can hold the rest.
 */
function playableChord(notes: readonly PianoNote[], idx: readonly number[], hand: Hand): { keep: number[]; drop: number[] } {
  const dir = hand === 'r' ? 1 : -1;
  const sorted = [...idx].sort((a, b) => notes[a].midi - notes[b].midi);
  let bestLo = 0;
  let bestHi = 0;
  for (let lo = 0; lo < sorted.length; lo++) {
    let hi = lo;
    while (hi + 1 < sorted.length && notes[sorted[hi + 1]].midi - notes[sorted[lo]].midi <= 15) hi++;
    const n = hi - lo;
    const better = n > bestHi - bestLo || (n === bestHi - bestLo && hand === 'r');
    if (better) {
      bestLo = lo;
      bestHi = hi;
    }
  }
  let keep = sorted.slice(bestLo, bestHi + 1);
  // More than five: keep the outer notes and evenly spaced inner ones.
  if (keep.length > 5) {
    const k = keep;
    keep = [0, 1, 2, 3, 4].map((i) => k[Math.round((i * (k.length - 1)) / 4)]);
  }
  keep.sort((a, b) => dir * (notes[a].midi - notes[b].midi));
  while (keep.length > 1 && !chordFeasible(notes, keep, hand)) {
    // Drop the inner note whose removal makes the chord holdable, else the inner note nearest the middle.
    const inner = keep.slice(1, -1);
    const fix = inner.find((i) => chordFeasible(notes, keep.filter((x) => x !== i), hand));
    const victim = fix ?? (inner.length > 0 ? inner[Math.floor(inner.length / 2)] : keep[0]);
    keep = keep.filter((x) => x !== victim);
  }
  const drop = idx.filter((i) => !keep.includes(i));
  return { keep, drop };
}

/**
 * Fingers one hand's notes (sorted by start; same-key overlaps already resolved). Returns a finger per note (0 for
 * dropped notes) and the (possibly shortened) end of every note.
 */
export function fingerHand(notes: readonly PianoNote[], hand: Hand): { fingers: Int8Array; ends: Float64Array; dropped: number; truncated: number } {
  const n = notes.length;
  const chords: number[][] = [];
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && notes[j].start - notes[i].start <= CHORD_S) j++;
    chords.push(Array.from({ length: j - i }, (_, k) => i + k));
    i = j;
  }
  const ends = Float64Array.from(notes, (x) => x.end);
  const dir = hand === 'r' ? 1 : -1;
  let beam: Hypothesis[] = [{ cost: 0, held: [], last: [-1, -1, -1, -1, -1, -1], prev: [], fingers: [], released: [], dropped: [], parent: null }];
  for (const chordAll of chords) {
    const t = notes[chordAll[0]].start;
    const { keep, drop } = playableChord(notes, chordAll, hand);
    // New notes in the hand's order (thumb side first): ascending pitch for the right hand, descending for the left.
    const chord = [...keep].sort((a, b) => dir * (notes[a].midi - notes[b].midi));
    const next: Hypothesis[] = [];
    for (const h of beam) {
      const held = h.held.filter((x) => ends[x.note] > t);
      // Release variants: keep all held notes; release each one alone; release all.
      const variants: number[][] = [[]];
      if (held.length > 0) {
        if (held.length > 1) for (const x of held) variants.push([x.note]);
        variants.push(held.map((x) => x.note));
      }
      for (const rel of variants) {
        const still = held.filter((x) => !rel.includes(x.note));
        const busy = new Set(still.map((x) => x.finger));
        const free = chord.length;
        if (free > 5 - busy.size) continue;
        for (const fs of SUBSETS[free]) {
          if (fs.some((f) => busy.has(f))) continue;
          // Feasibility: every pair of simultaneously held notes (new with new, new with held).
          let ok = true;
          for (let a = 0; a < free && ok; a++) {
            const pa = notes[chord[a]].midi;
            for (let b = a + 1; b < free && ok; b++) ok = canHold(hand, fs[a], pa, fs[b], notes[chord[b]].midi);
            for (const x of still) {
              if (!ok) break;
              ok = notes[x.note].midi !== pa && canHold(hand, fs[a], pa, x.finger, notes[x.note].midi);
            }
          }
          if (!ok) continue;
          let cost = h.cost + 3 * rel.length;
          for (const r of rel) cost += 4 * (ends[r] - t);
          for (let a = 0; a < free; a++) {
            const note = notes[chord[a]];
            const f = fs[a];
            if (isBlack(note.midi) && f === 1) cost += 2;
            if (isBlack(note.midi) && f === 5) cost += 1;
            if (f === 4) cost += 0.5;
            for (let b = a + 1; b < free; b++) cost += stretchCost(hand, f, note.midi, fs[b], notes[chord[b]].midi, true);
            for (const x of still) cost += stretchCost(hand, f, note.midi, x.finger, notes[x.note].midi, true);
            // Same finger again on another key, soon after: bad; nearest previous note sets the stretch cost.
            const lastNote = h.last[f];
            if (lastNote >= 0 && notes[lastNote].midi !== note.midi) {
              const gap = note.start - ends[lastNote];
              if (gap < 0.3) cost += 2 + Math.min(12, Math.abs(notes[lastNote].midi - note.midi)) * 0.5 + (gap < 0.1 ? 6 : 0);
            }
            let ref: Held | null = null;
            for (const p of h.prev) if (ref === null || Math.abs(notes[p.note].midi - note.midi) < Math.abs(notes[ref.note].midi - note.midi)) ref = p;
            if (ref !== null && ref.finger !== f) {
              cost += stretchCost(hand, ref.finger, notes[ref.note].midi, f, note.midi, false) * (note.start - notes[ref.note].start < 0.5 ? 1 : 0.3);
              if ((ref.finger === 3 && f === 4) || (ref.finger === 4 && f === 3)) cost += 1;
              // Passing the thumb under (or a finger over it) costs a little: prefer runs of fingers.
              if (pairDistance(hand, ref.finger, notes[ref.note].midi, f, note.midi) < 0) cost += 1;
            }
          }
          const last = [...h.last];
          for (let a = 0; a < free; a++) last[fs[a]] = chord[a];
          const chordHeld = chord.map((note, a) => ({ note, finger: fs[a] }));
          next.push({
            cost,
            held: [...still, ...chordHeld],
            last,
            prev: chordHeld,
            fingers: fs,
            released: rel,
            dropped: drop,
            parent: h,
          });
        }
      }
    }
    if (next.length === 0) {
      // Cannot happen (releasing everything always admits <= 5 notes within 15 semitones), kept as a guard.
      throw new Error(`fingering: no playable assignment for the chord at ${t.toFixed(3)} s`);
    }
    next.sort((a, b) => a.cost - b.cost);
    // Keep distinct hypotheses (same fingers for this chord and same held set count as one).
    const seen = new Set<string>();
    beam = [];
    for (const h of next) {
      const key = `${h.fingers.join('')}|${h.held.map((x) => `${x.note}:${x.finger}`).join(',')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      beam.push(h);
      if (beam.length >= BEAM) break;
    }
    // Store the chord's note order on the hypotheses (needed to read the path back).
    for (const h of beam) (h as Hypothesis & { chord?: number[] }).chord = chord;
  }
  const fingers = new Int8Array(n);
  let dropped = 0;
  let truncated = 0;
  const t0 = beam[0];
  const path: Hypothesis[] = [];
  for (let h: Hypothesis | null = t0; h !== null && h.parent !== null; h = h.parent) path.push(h);
  path.reverse();
  const releaseAt: number[] = [];
  for (let c = 0; c < path.length; c++) {
    const h = path[c] as Hypothesis & { chord: number[] };
    h.chord.forEach((note, a) => (fingers[note] = h.fingers[a]));
    dropped += h.dropped.length;
    const tc = notes[chords[c][0]].start;
    for (const r of h.released) {
      releaseAt[r] = tc;
    }
  }
  for (let i = 0; i < n; i++) {
    if (releaseAt[i] !== undefined && releaseAt[i] < ends[i]) {
      ends[i] = releaseAt[i];
      truncated++;
    }
  }
  return { fingers, ends, dropped, truncated };
}

/**
 * Makes notes playable and fingers them: a key struck again while sounding is released at the new onset (across
 * hands too); notes shorter than {@link MIN_NOTE_S} are lengthened up to the next strike of their key (dropped if that
 * leaves less than half of it); then each hand is fingered by {@link fingerHand}. Returns the played notes, sorted.
 */
export function fingerPiece(input: readonly PianoNote[]): { notes: FingeredNote[]; stats: PlayabilityStats } {
  const stats: PlayabilityStats = { notes: input.length, dropped: 0, truncated: 0, lengthened: 0 };
  const notes = input.map((n) => ({ ...n })).sort((a, b) => a.start - b.start || a.midi - b.midi);
  // Same key: release at the next strike; lengthen short notes up to it.
  const byKey = new Map<number, PianoNote[]>();
  for (const n of notes) {
    const l = byKey.get(n.midi) ?? [];
    l.push(n);
    byKey.set(n.midi, l);
  }
  const keep = new Set<PianoNote>();
  for (const list of byKey.values()) {
    for (let i = 0; i < list.length; i++) {
      const n = list[i];
      const nextStart = i + 1 < list.length ? list[i + 1].start : Infinity;
      if (n.end > nextStart) {
        n.end = nextStart;
        stats.truncated++;
      }
      if (n.end - n.start < MIN_NOTE_S) {
        const e = Math.min(n.start + MIN_NOTE_S, nextStart);
        if (e - n.start < MIN_NOTE_S / 2) {
          stats.dropped++;
          continue;
        }
        n.end = e;
        stats.lengthened++;
      }
      keep.add(n);
    }
  }
  const played = notes.filter((n) => keep.has(n));
  const out: FingeredNote[] = [];
  for (const hand of ['r', 'l'] as const) {
    const hn = played.filter((n) => n.hand === hand);
    const r = fingerHand(hn, hand);
    stats.dropped += r.dropped;
    stats.truncated += r.truncated;
    hn.forEach((n, i) => {
      if (r.fingers[i] > 0) out.push({ ...n, end: r.ends[i], finger: r.fingers[i] });
    });
  }
  out.sort((a, b) => a.start - b.start || a.midi - b.midi);
  return { notes: out, stats };
}
