import { describe, expect, it } from 'vitest';
import { notInstalledMessage, PianistModelMissingError, pianistModelInstalled, unwiredPianistDeps } from './pianist-models';

/** A fetch answering from a table of URL -> [status, body]; anything else is a 404. */
function fakeFetch(files: Record<string, [number, string]>): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    const [status, body] = files[String(input)] ?? [404, 'not found'];
    return new Response(body, { status });
  }) as typeof fetch;
}

describe('pianist model folders', () => {
  it('names each missing folder and what it is for', () => {
    expect(notInstalledMessage([])).toBe('');
    const one = notInstalledMessage(['audio2body']);
    expect(one).toMatch(/^pianist model not installed: models\/audio2body-piano\/ \(sound → hands and body, needed by Listen\) is missing/);
    const both = notInstalledMessage(['audio2body', 'body2music']);
    expect(both).toContain('models/body2music-piano/ (hands → piano, needed by Watch) are missing');
  });

  it('counts a folder as installed only when its config.json is a JSON object', async () => {
    const f = fakeFetch({
      '/m/a/config.json': [200, '{"kind":"audio2body"}'],
      '/m/html/config.json': [200, '<!doctype html><html></html>'],
      '/m/arr/config.json': [200, '[1]'],
    });
    expect(await pianistModelInstalled('/m/a/', f)).toBe(true);
    expect(await pianistModelInstalled('/m/a', f)).toBe(true);
    expect(await pianistModelInstalled('/m/html/', f)).toBe(false);
    expect(await pianistModelInstalled('/m/arr/', f)).toBe(false);
    expect(await pianistModelInstalled('/m/none/', f)).toBe(false);
    const failing = (async () => {
      throw new TypeError('network down');
    }) as typeof fetch;
    expect(await pianistModelInstalled('/m/a/', failing)).toBe(false);
  });

  it('unwired deps reject with PianistModelMissingError when absent, and name the missing loader when present', async () => {
    const absent = unwiredPianistDeps(fakeFetch({}));
    await expect(absent.loadListenModel()).rejects.toBeInstanceOf(PianistModelMissingError);
    await expect(absent.createWatch({ kind: 'camera' }, () => undefined)).rejects.toThrow(/body2music-piano/);
    expect(await absent.isInstalled('audio2body')).toBe(false);
    const present = unwiredPianistDeps(fakeFetch({ '/models/audio2body-piano/config.json': [200, '{}'] }));
    expect(await present.isInstalled('audio2body')).toBe(true);
    const err = await present.loadListenModel().catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(PianistModelMissingError);
    expect(String(err)).toMatch(/no loader for it yet/);
  });
});
