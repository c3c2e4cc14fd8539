/** Seeded synthetic piano material for the pianist's unit tests. */
import { createRng } from '../../src/features/piano/random';
import type { PianoNote } from './midi';

/** Random two-handed material: melodies, held notes, chords, leaps (seeded). */
export function randomNotes(seed: number, seconds: number): PianoNote[] {
  const r = createRng(seed);
  const out: PianoNote[] = [];
  for (const hand of ['r', 'l'] as const) {
    let t = 0;
    let centre = hand === 'r' ? 70 : 48;
    while (t < seconds) {
      if (r() < 0.08) centre = Math.max(hand === 'r' ? 60 : 28, Math.min(hand === 'r' ? 100 : 64, centre + Math.round((r() - 0.5) * 30)));
      const chord = r() < 0.25 ? 1 + Math.floor(r() * 4) : 1;
      const dur = 0.05 + r() * 0.6;
      const used = new Set<number>();
      for (let c = 0; c < chord; c++) {
        const midi = centre + Math.round((r() - 0.5) * 12);
        if (used.has(midi)) continue;
        used.add(midi);
        out.push({ midi, start: t + r() * 0.02, end: t + dur * (0.7 + 0.5 * r()), velocity: 30 + Math.floor(r() * 90), hand });
      }
      t += 0.08 + r() * 0.4;
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
