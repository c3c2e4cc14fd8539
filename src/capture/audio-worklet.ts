/**
 * AudioWorklet processor: mixes its input to mono and posts batches of raw samples with a running sample counter, so
 * the main thread can check that no sample is dropped or repeated. Passes nothing to its output. Sample 0 of the stream
 * is the first render quantum after the main thread posts {type: 'start'} (once its source is connected).
 */
/// <reference lib="webworker" />

declare const currentFrame: number;
declare const sampleRate: number;
declare function registerProcessor(name: string, ctor: new (options: { processorOptions?: { quantaPerBatch?: number } }) => unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor();
}

const QUANTUM = 128;
/** Most recycled batch buffers kept. */
const POOL_MAX = 16;

class DuetCaptureProcessor extends AudioWorkletProcessor {
  private readonly batchSize: number;
  private batch: Float32Array;
  private fill = 0;
  /** Stream samples posted so far (start index of the next batch). */
  private posted = 0;
  private batchFrame = 0;
  private lastFrame = -1;
  private skipped = 0;

  constructor(options: { processorOptions?: { quantaPerBatch?: number } }) {
    super();
    const q = options.processorOptions?.quantaPerBatch ?? 2;
    this.batchSize = QUANTUM * q;
    this.batch = new Float32Array(this.batchSize);
    // The stream (and its counters) begins when the main thread has connected the source.
    this.port.onmessage = (ev: MessageEvent<{ type: string; buffer?: Float32Array }>) => {
      if (ev.data?.type === 'start') this.running = true;
      // Batches come back once the page has used them: reuse them instead of allocating on the audio thread.
      else if (ev.data?.type === 'recycle' && ev.data.buffer?.length === this.batchSize && this.pool.length < POOL_MAX) {
        this.pool.push(ev.data.buffer);
      }
    };
  }

  private readonly pool: Float32Array[] = [];

  private running = false;

  process(inputs: Float32Array[][]): boolean {
    if (!this.running) return true;
    if (this.lastFrame >= 0 && currentFrame - this.lastFrame !== QUANTUM) {
      this.skipped += Math.max(1, Math.round((currentFrame - this.lastFrame) / QUANTUM) - 1);
    }
    this.lastFrame = currentFrame;
    const input = inputs[0];
    const channels = input ? input.length : 0;
    const n = channels > 0 ? input[0].length : QUANTUM;
    if (this.fill === 0) this.batchFrame = currentFrame;
    const b = this.batch;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < channels; c++) s += input[c][i];
      b[this.fill + i] = channels > 0 ? s / channels : 0;
    }
    this.fill += n;
    if (this.fill >= this.batchSize) {
      const samples = this.fill === b.length ? b : b.slice(0, this.fill);
      this.port.postMessage(
        { type: 'samples', samples, start: this.posted, frame: this.batchFrame, skipped: this.skipped },
        [samples.buffer],
      );
      this.posted += this.fill;
      this.skipped = 0;
      this.fill = 0;
      this.batch = this.pool.pop() ?? new Float32Array(this.batchSize);
    }
    return true;
  }
}

registerProcessor('duet-capture', DuetCaptureProcessor);
void sampleRate;
