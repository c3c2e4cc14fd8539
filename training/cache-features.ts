/** Precomputes (caches) the audio features of every dance: `npx tsx training/cache-features.ts [--data DIR]`. */
import { DEFAULT_DANCE_DIR, listDances, loadDances, parseArgs } from './lib/dance-data';

const args = parseArgs(process.argv.slice(2));
const dataDir = args.data ?? DEFAULT_DANCE_DIR;
const names = listDances(dataDir);
const t0 = performance.now();
const dances = await loadDances(dataDir, names, true);
console.log(JSON.stringify({ dances: dances.length, frames: dances.reduce((s, d) => s + d.numFrames, 0), seconds: (performance.now() - t0) / 1000 }));
