/** Builds the Watch pipeline from the pose stage and body2music model. */
import type { Synth } from '../synth/types';
import type { WatchParts } from './watch';

export async function createWatchParts(
  _input: { kind: 'camera' } | { kind: 'file'; url: string },
  _synth: Synth,
  _preview: HTMLVideoElement,
  _modelUrl: string,
): Promise<WatchParts> {
  throw new Error('Watch mode is not available yet in this build (the camera pose pipeline has not landed).');
}
