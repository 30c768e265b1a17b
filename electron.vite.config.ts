import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

// electron-vite's defaults are src/main, src/preload, src/renderer; this project's layout is
// src-main and src-renderer, so every process gets its entry points spelled out.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        input: {
          index: resolve('src-main/electron/main.ts'),
          // The runner's training worker, loaded by path at run time (runner/worker-entry.ts finds
          // out/main/worker.js beside the bundle).
          worker: resolve('src-main/runner/worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require only 'electron': zod and the protocol are bundled in.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('src-main/electron/preload.ts') },
        // A sandboxed preload cannot be an ES module; the package is "type": "module", so the
        // preload is emitted as CommonJS with an explicit .cjs extension.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src-renderer'),
    // Relative asset URLs: the same build is served from app://precond/ and from browser mode's /<token>/.
    base: './',
    plugins: [vue()],
    build: {
      outDir: resolve('out/renderer'),
      rolldownOptions: {
        input: { index: resolve('src-renderer/index.html') },
      },
    },
  },
});
