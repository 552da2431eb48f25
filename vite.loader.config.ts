import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Builds loader.js: one self-contained, minified IIFE with no hash, no chunks
 * and no CSS file. It declares no global of its own (the entry exports nothing);
 * the only global it touches is window.Picasso.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist/loader', import.meta.url)),
    emptyOutDir: true,
    target: 'es2018',
    minify: true,
    sourcemap: false,
    copyPublicDir: false,
    modulePreload: false,
    reportCompressedSize: true,
    rolldownOptions: {
      input: fileURLToPath(new URL('./src/widget/loader/entry.ts', import.meta.url)),
      output: {
        format: 'iife',
        entryFileNames: 'loader.js',
      },
    },
  },
});
