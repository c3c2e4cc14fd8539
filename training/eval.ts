/**
 * Evaluates the shipped models on a folder in the Dance with Melody format and writes one JSON report.
 *
 *   npm run eval -- --data DIR --out FILE [--dances heldout|all|NAME,NAME] [--models DIR]
 *
 * On our own training folder the default is the held-out dances; on any other folder, all of its dances.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_DANCE_DIR, HELD_OUT, ROOT, listDances, parseArgs } from './lib/dance-data';
import { evalAudio2Body } from './lib/eval-audio2body';
import { evalBody2Music } from './lib/eval-body2music';
import { evalAudio2BodyPianoIfPresent } from './lib/eval-audio2body-piano';
import { evalBody2MusicPiano } from './lib/eval-body2music-piano';
import { initTfNode } from './lib/tf-node';

const args = parseArgs(process.argv.slice(2));
const dataDir = resolve(args.data ?? DEFAULT_DANCE_DIR);
const out = resolve(args.out ?? join(ROOT, 'eval-report.json'));
const modelsDir = resolve(args.models ?? join(ROOT, 'models'));
const pianistDir = resolve(args['pianist-data'] ?? join(ROOT, '.cache', 'pianist'));
const all = listDances(dataDir);
if (all.length === 0) {
  console.error(`no dances (DANCE_<style>_<n>/ with skeletons.json) in ${dataDir}`);
  process.exit(2);
}
const which = args.dances ?? (all.some((n) => HELD_OUT.includes(n)) ? 'heldout' : 'all');
const names = which === 'all' ? all : which === 'heldout' ? all.filter((n) => HELD_OUT.includes(n)) : which.split(',');
for (const n of names) if (!all.includes(n)) throw new Error(`dance ${n} is not in ${dataDir} (valid: ${all.join(', ')})`);

await initTfNode();
const t0 = performance.now();
const report = {
  data: dataDir,
  dances: names,
  date: new Date().toISOString(),
  audio2body: await evalAudio2Body({ dataDir, names, modelDir: join(modelsDir, 'audio2body-dance') }),
  body2music: await evalBody2Music({ dataDir, names, modelDir: join(modelsDir, 'body2music-dance') }),
  // Sound -> pianist on the pianist dataset's held-out pieces (--pianist-data, default .cache/pianist), when both exist.
  audio2bodyPiano: await evalAudio2BodyPianoIfPresent({ dataDir: args['pianist-data'], modelDir: join(modelsDir, 'audio2body-piano') }),
  // Pianist models on the pianist dataset's held-out pieces (--pianist-data, default .cache/pianist), when both exist.
  body2musicPiano: existsSync(join(pianistDir, 'manifest.json')) && existsSync(join(modelsDir, 'body2music-piano', 'config.json')) ? evalBody2MusicPiano({ datasetDir: pianistDir, modelDir: join(modelsDir, 'body2music-piano') }) : null,
  seconds: 0,
};
report.seconds = (performance.now() - t0) / 1000;
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
console.log(JSON.stringify({ out, audio2body: report.audio2body, body2music: report.body2music, audio2bodyPiano: report.audio2bodyPiano && { ...report.audio2bodyPiano, perExcerpt: undefined } }, null, 2));
