/**
 * MIDI -> notes per hand, and the piece list of the classical-piano MIDI collection.
 *
 * Hand assignment: tracks named for a hand ("Piano right", "Left", "rechts", ...) go to that hand; notes of other
 * tracks (fugue voices, "Theme", single-track files) are split by pitch with hysteresis ({@link splitByPitch}).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { HIGHEST_MIDI, LOWEST_MIDI } from '../../src/features/piano/keyboard';

export type Hand = 'r' | 'l';

/** One note as performed: times in seconds from the start of the excerpt. */
export interface PianoNote {
  /** MIDI pitch 21..108. */
  midi: number;
  /** Onset, s. */
  start: number;
  /** Release (key up), s; > start. */
  end: number;
  /** MIDI velocity 1..127. */
  velocity: number;
  hand: Hand;
}

/** One row of metadata.csv. */
export interface PieceInfo {
  /** Stable id: `<composer>/<file name without .mid>`. */
  id: string;
  composer: string;
  title: string;
  /** Absolute path of the .mid file. */
  path: string;
  /** Duration from metadata.csv, s. */
  duration: number;
}

/** Reads metadata.csv of a classical-piano folder (file names matched case-insensitively, missing files skipped). */
export function listPieces(dir: string): PieceInfo[] {
  const rows = readFileSync(join(dir, 'metadata.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
  const out: PieceInfo[] = [];
  for (const row of rows) {
    const f = row.split(',');
    if (f.length < 5) continue;
    const rel = f[f.length - 2];
    const duration = Number(f[f.length - 1]);
    const folder = join(dir, dirname(rel));
    if (!existsSync(folder)) continue;
    const want = basename(rel).toLowerCase();
    const real = readdirSync(folder).find((n) => n.toLowerCase() === want);
    if (real === undefined) continue;
    out.push({
      id: `${f[0]}/${real.replace(/\.midi?$/i, '')}`,
      composer: f[0],
      title: f.slice(1, f.length - 3).join(','),
      path: join(folder, real),
      duration,
    });
  }
  out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out;
}

/** Hand named by a track name, or null. */
export function handOfTrackName(name: string): Hand | null {
  const n = name.toLowerCase();
  if (/\b(right|rechts|rh|treble)\b|\bright/.test(n)) return 'r';
  if (/\b(left|links|lh|bass)\b|\bleft/.test(n)) return 'l';
  return null;
}

/** Notes grouped as onsets within this many seconds count as one chord for the pitch split. */
const GROUP_S = 0.03;
/** Hysteresis of the pitch split, semitones: a chord keeps the previous boundary unless this much better. */
const SPLIT_HYSTERESIS = 2;
/** Span above which one hand's share of a chord is penalized, semitones. */
const SPLIT_MAX_SPAN = 14;

/**
 * Splits notes without a hand by pitch, with hysteresis. Chords (onsets within 30 ms) are cut at one pitch boundary
 * (all left notes below all right notes), chosen to minimize the distance of each note to its hand's running centre
 * (exponential average over chords) plus a penalty for a hand spanning more than 14 semitones; the previous
 * boundary is kept unless another is better by 2 semitones per note. `rCentre`/`lCentre` start the running centres.
 */
export function splitByPitch(notes: readonly Omit<PianoNote, 'hand'>[], rCentre = 67, lCentre = 50): PianoNote[] {
  const sorted = [...notes].sort((a, b) => a.start - b.start || a.midi - b.midi);
  const out: PianoNote[] = [];
  let rC = rCentre;
  let lC = lCentre;
  let boundary = (rC + lC) / 2;
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j].start - sorted[i].start <= GROUP_S) j++;
    const group = sorted.slice(i, j).sort((a, b) => a.midi - b.midi);
    let best = -1;
    let bestCost = Infinity;
    for (let cut = 0; cut <= group.length; cut++) {
      // notes [0, cut) to the left hand
      let cost = 0;
      for (let k = 0; k < group.length; k++) cost += Math.abs(group[k].midi - (k < cut ? lC : rC));
      if (cut > 0 && group[cut - 1].midi - group[0].midi > SPLIT_MAX_SPAN) cost += 10 * (group[cut - 1].midi - group[0].midi - SPLIT_MAX_SPAN);
      if (cut < group.length && group[group.length - 1].midi - group[cut].midi > SPLIT_MAX_SPAN) cost += 10 * (group[group.length - 1].midi - group[cut].midi - SPLIT_MAX_SPAN);
      if (cut > 5 || group.length - cut > 5) cost += 100;
      // hysteresis: notes put on the other side of the previous boundary cost extra
      for (let k = 0; k < group.length; k++) {
        const left = k < cut;
        if (left !== group[k].midi < boundary) cost += SPLIT_HYSTERESIS;
      }
      if (cost < bestCost) {
        bestCost = cost;
        best = cut;
      }
    }
    let lSum = 0;
    let rSum = 0;
    for (let k = 0; k < group.length; k++) {
      const hand: Hand = k < best ? 'l' : 'r';
      out.push({ ...group[k], hand });
      if (hand === 'l') lSum += group[k].midi;
      else rSum += group[k].midi;
    }
    if (best > 0) lC = 0.7 * lC + 0.3 * (lSum / best);
    if (best < group.length) rC = 0.7 * rC + 0.3 * (rSum / (group.length - best));
    if (rC < lC + 7) {
      const m = (rC + lC) / 2;
      rC = m + 3.5;
      lC = m - 3.5;
    }
    if (best > 0 && best < group.length) boundary = (group[best - 1].midi + group[best].midi) / 2;
    else boundary = (rC + lC) / 2;
    i = j;
  }
  return out;
}

/** What {@link readPianoMidi} returns. */
export interface MidiPiece {
  notes: PianoNote[];
  /** End of the last note, s. */
  duration: number;
  /** How hands were assigned: 'tracks' (all notes from named tracks), 'mixed' or 'pitch'. */
  handSource: 'tracks' | 'mixed' | 'pitch';
}

/** Reads a MIDI file (any number of tracks) into notes per hand, sorted by start then pitch. Pedal is ignored. */
export async function readPianoMidi(path: string): Promise<MidiPiece> {
  const { Midi } = await import('@tonejs/midi');
  const midi = new Midi(readFileSync(path));
  const named: PianoNote[] = [];
  const unnamed: Omit<PianoNote, 'hand'>[] = [];
  for (const t of midi.tracks) {
    if (t.notes.length === 0) continue;
    const hand = handOfTrackName(t.name);
    for (const n of t.notes) {
      if (n.midi < LOWEST_MIDI || n.midi > HIGHEST_MIDI || !(n.duration > 0)) continue;
      const note = { midi: n.midi, start: n.time, end: n.time + n.duration, velocity: Math.max(1, Math.min(127, Math.round(n.velocity * 127))) };
      if (hand) named.push({ ...note, hand });
      else unnamed.push(note);
    }
  }
  let notes: PianoNote[];
  let handSource: MidiPiece['handSource'];
  if (unnamed.length === 0) {
    notes = named;
    handSource = 'tracks';
  } else if (named.length === 0) {
    notes = splitByPitch(unnamed);
    handSource = 'pitch';
  } else {
    const mean = (h: Hand, d: number): number => {
      const ns = named.filter((n) => n.hand === h);
      return ns.length ? ns.reduce((s, n) => s + n.midi, 0) / ns.length : d;
    };
    notes = named.concat(splitByPitch(unnamed, mean('r', 67), mean('l', 50)));
    handSource = 'mixed';
  }
  notes.sort((a, b) => a.start - b.start || a.midi - b.midi);
  const duration = notes.reduce((m, n) => Math.max(m, n.end), 0);
  return { notes, duration, handSource };
}

/**
 * The notes of an excerpt [from, from + seconds), shifted to start at 0: notes starting inside it, cut at its end.
 */
export function excerpt(notes: readonly PianoNote[], from: number, seconds: number): PianoNote[] {
  const to = from + seconds;
  const out: PianoNote[] = [];
  for (const n of notes) {
    if (n.start < from || n.start >= to) continue;
    out.push({ ...n, start: n.start - from, end: Math.min(n.end, to) - from });
  }
  return out;
}
