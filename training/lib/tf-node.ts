/**
 * tfjs in Node for training and evaluation: the wasm backend (tfjs-node cannot install here), and saving layers models
 * as model.json + weights.bin into a folder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let ready: Promise<void> | null = null;

/** Selects the wasm backend (or `backend`, e.g. 'cpu') once per process. */
export function initTfNode(backend: 'wasm' | 'cpu' = 'wasm'): Promise<void> {
  ready ??= (async () => {
    if (backend === 'wasm') {
      const require = createRequire(import.meta.url);
      const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
      setWasmPaths(dist + '/');
    }
    await tf.setBackend(backend);
    await tf.ready();
  })();
  return ready;
}

/** Writes a layers model as `dir/model.json` + `dir/weights.bin` (the format tf.loadLayersModel reads). */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData as ArrayBuffer;
      writeFileSync(join(dir, 'weights.bin'), Buffer.from(weightData));
      const modelJson = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      };
      writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}
