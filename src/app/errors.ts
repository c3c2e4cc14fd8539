/** A model (or the pose detector) could not be loaded; `which` names it for the status line. */
export class ModelLoadError extends Error {
  constructor(readonly which: 'audio2body' | 'body2music' | 'pose', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelLoadError';
  }
}
