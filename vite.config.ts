import { fileURLToPath } from 'node:url';
import solid from 'vite-plugin-solid';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));
const appRoot = fileURLToPath(new URL('./src/widget/app', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/widget', import.meta.url));

/**
 * XState's default actor logger is `console.log.bind(console)`, a reference the minifier's
 * dropConsole cannot remove; the widget never logs, so production builds get a no-op instead.
 */
function silenceLibraryLoggers(): Plugin {
  return {
    name: 'picasso-silence-library-loggers',
    apply: 'build',
    transform(code, id) {
      if (!id.includes('/node_modules/xstate/') || !code.includes('console.log.bind(console)')) return null;
      return { code: code.replaceAll('console.log.bind(console)', '(() => {})'), map: null };
    },
  };
}

/**
 * Builds the iframe app served by the BFF at /widget/, and configures vitest for the
 * whole repository. Vitest runs in node; solid-js is resolved to its browser build
 * (not its server build) so reactive code under test behaves as in the iframe.
 */
export default defineConfig(({ mode }) => {
  // Vitest runs in mode 'test'; a build started from inside a test still gets the app's root.
  const isTest = mode === 'test';
  return {
    root: isTest ? repoRoot : appRoot,
    base: '/widget/',
    publicDir: false,
    plugins: [solid({ ssr: false }), silenceLibraryLoggers()],
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2020',
      minify: true,
      sourcemap: false,
      cssCodeSplit: false,
      modulePreload: { polyfill: false },
      reportCompressedSize: true,
      assetsDir: 'assets',
      // Production carries no console output: libraries' debug logging goes with it.
      rolldownOptions: { output: { minify: { compress: { dropConsole: true, dropDebugger: true } } } },
    },
    test: {
      root: repoRoot,
      environment: 'node',
      // Front-end code resolves packages as a browser would (solid-js's browser build); the BFF
      // and local stack resolve them as Node does (the AWS SDK's Node build).
      projects: [
        {
          extends: true,
          test: {
            name: 'front-end',
            include: ['tests/widget/**/*.test.{ts,tsx}', 'tests/machines/**/*.test.{ts,tsx}'],
            server: { deps: { inline: [/solid-js/] } },
          },
          resolve: { conditions: ['browser', 'development', 'import', 'module', 'default'] },
        },
        {
          // Not extended: the Solid plugin would add the browser condition to every import.
          root: repoRoot,
          test: {
            name: 'back-end',
            environment: 'node',
            include: ['tests/**/*.test.{ts,tsx}'],
            exclude: ['tests/widget/**', 'tests/machines/**', 'tests/e2e/**', '**/node_modules/**', 'dist/**'],
          },
        },
      ],
    },
  };
});
