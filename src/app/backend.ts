/** tfjs backend for the sequence models: wasm (a small LSTM step is ~0.2 ms there, 6-7 ms on webgl). */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let ready: Promise<string> | null = null;

/** Selects the wasm backend with its files served from /tfjs-wasm/ (falls back to cpu). Resolves to the backend name. */
export function initTfBackend(wasmPath = '/tfjs-wasm/'): Promise<string> {
  ready ??= (async () => {
    setWasmPaths(wasmPath);
    try {
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return tf.getBackend();
      }
    } catch (e) {
      console.warn('tfjs wasm backend failed, using cpu', e);
    }
    await tf.setBackend('cpu');
    await tf.ready();
    return tf.getBackend();
  })();
  return ready;
}
