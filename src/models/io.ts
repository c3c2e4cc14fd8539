/**
 * Loading model folders (config.json, model.json, weights) from a URL in the browser, or from a plain folder path
 * (or file:// URL) in Node, with no DOM use.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * True in Node. Not `typeof window`: Node scripts that render with Tone.js put `window` on globalThis (see
 * training/pianist/render.ts), and a model loaded after that must still read its folder from disk.
 */
function inNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

function isNodePath(url: string): boolean {
  return url.startsWith('file://') || url.startsWith('/') || /^[A-Za-z]:\\/.test(url) || url.startsWith('.');
}

function join(base: string, name: string): string {
  return base.endsWith('/') ? base + name : `${base}/${name}`;
}

async function readBytes(url: string): Promise<ArrayBuffer> {
  if (inNode() && isNodePath(url)) {
    const fs = await import(/* @vite-ignore */ 'node:fs/promises');
    const path = url.startsWith('file://') ? new URL(url).pathname : url;
    const b = await fs.readFile(path);
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load ${url}: HTTP ${res.status}`);
  return res.arrayBuffer();
}

/** Reads and parses a JSON file of a model folder; errors name the file. */
export async function loadJson<T>(folder: string, name: string): Promise<T> {
  const url = join(folder, name);
  const bytes = await readBytes(url);
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch (e) {
    throw new Error(`${url} is not valid JSON (${(e as Error).message})`);
  }
}

/** Loads `folder/model.json` and its weights as a tfjs layers model. */
export async function loadLayersModel(folder: string): Promise<tf.LayersModel> {
  const modelJson = await loadJson<{ modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] }>(folder, 'model.json');
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const group of modelJson.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) buffers.push(await readBytes(join(folder, p)));
  }
  const total = buffers.reduce((s, b) => s + b.byteLength, 0);
  const weightData = new Uint8Array(total);
  let o = 0;
  for (const b of buffers) {
    weightData.set(new Uint8Array(b), o);
    o += b.byteLength;
  }
  const expected = specs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (expected !== total) throw new Error(`${folder}: weights are ${total} bytes, model.json expects ${expected} (corrupt model?)`);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: specs, weightData: weightData.buffer }));
}

/**
 * Reads and checks `folder/config.json`, then loads the network, with errors that name the model and the folder.
 * `check` validates the parsed config (throwing a readable Error); the network is disposed if anything fails later.
 */
export async function loadModelFolder<C>(folder: string, name: string, check: (raw: unknown, where: string) => C): Promise<{ config: C; net: tf.LayersModel }> {
  const where = `at ${folder}`;
  let raw: unknown;
  try {
    raw = await loadJson<unknown>(folder, 'config.json');
  } catch (e) {
    throw new Error(`${name} model ${where}: cannot read config.json (${(e as Error).message})`);
  }
  const config = check(raw, where);
  try {
    return { config, net: await loadLayersModel(folder) };
  } catch (e) {
    throw new Error(`${name} model ${where}: cannot load model.json / weights (${(e as Error).message})`);
  }
}
