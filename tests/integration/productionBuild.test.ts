import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const DIST = path.resolve(import.meta.dirname, '../../dist');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** What must never ship to a host page or a patient's browser. */
const FORBIDDEN: Array<[string, RegExp]> = [
  ['a localhost URL', /localhost/i],
  ['a loopback address', /127\.0\.0\.1|\[::1\]/],
  ['a debugger statement', /\bdebugger\b/],
  ['console.log', /console\.log/],
  ['a source map reference', /sourceMappingURL/],
  ['the emulator path', /\/_emulator/],
  ['the TEST_HOOKS switch', /TEST_HOOKS/],
];
// The widget's crash hook for the error-boundary suites stays in the bundle but is dormant: it
// listens only when the BFF injects `testHooks: true`, which loadConfig refuses in production
// (tests/bff/config/loadConfig.test.ts). The loader must not contain it at all.
const LOADER_ONLY: Array<[string, RegExp]> = [['test-hook code (the crash hook)', /testHooks|test-crash|TestCrash/]];

function findings(file: string, forbidden = FORBIDDEN): string[] {
  const text = readFileSync(file, 'utf8');
  return forbidden.flatMap(([what, pattern]) => {
    const match = pattern.exec(text);
    if (!match) return [];
    const around = text.slice(Math.max(0, match.index - 60), match.index + match[0].length + 60).replace(/\s+/g, ' ');
    return [`${path.relative(DIST, file)} @${match.index}: ${what}: …${around}…`];
  });
}

describe('the production build in dist/', () => {
  const files = existsSync(DIST) ? filesUnder(DIST) : [];

  it('exists, with the loader and the widget (npm test builds it first)', () => {
    expect(files.map((f) => path.relative(DIST, f))).toEqual(expect.arrayContaining(['loader/loader.js', 'widget/index.html']));
  });

  it('ships no source maps', () => {
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  });

  it('holds no localhost, loopback, debugger, console.log, emulator path or test-hook code in the loader', () => {
    expect(files.filter((f) => f.includes(`${path.sep}loader${path.sep}`)).flatMap((f) => findings(f, [...FORBIDDEN, ...LOADER_ONLY]))).toEqual([]);
  });

  it('holds no localhost, loopback, debugger, console.log, emulator path or TEST_HOOKS switch in the widget', () => {
    expect(files.filter((f) => f.includes(`${path.sep}widget${path.sep}`) && /\.(js|css|html)$/.test(f)).flatMap((f) => findings(f))).toEqual([]);
  });
});
