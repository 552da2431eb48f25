import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLoader, type BuiltLoader } from './builtLoader.js';
import { loaderBehaviour } from './loaderBehaviour.js';

const loaderDir = fileURLToPath(new URL('../../../src/widget/loader/', import.meta.url));
let built: BuiltLoader;

beforeAll(async () => {
  built = await buildLoader();
}, 60_000);

describe('loader.js as built', () => {
  it('is one file named loader.js with no other chunk and no CSS', () => {
    expect(built.fileName).toBe('loader.js');
    expect(built.chunkCount).toBe(1);
    expect(built.assetCount).toBe(0);
  });

  it('is made only of modules from src/widget/loader: no widget, Solid or XState code', () => {
    expect(built.moduleIds.length).toBeGreaterThan(0);
    for (const id of built.moduleIds) expect(id.startsWith(loaderDir), id).toBe(true);
    expect(built.code).not.toMatch(/solid-js|xstate|fetch-event-source|\$\$typeof|createMachine/);
  });

  it('imports nothing at run time', () => {
    expect(built.code).not.toMatch(/\bimport\s*[({"'`]|\brequire\s*\(/);
  });

  it('declares no global of its own', () => {
    const context: Record<string, unknown> = { URL };
    const before = new Set(Object.keys(context));
    context.window = { Picasso: { loaded: 1 }, location: { href: 'https://host.example/' } };
    context.document = {};
    runInNewContext(built.code, context);
    expect(Object.keys(context).filter((key) => !before.has(key))).toEqual(['window', 'document']);
  });

  it('fits the 2,048-byte gzip budget', () => {
    expect(gzipSync(built.code, { level: 9 }).length).toBeLessThanOrEqual(2048);
  });

  it('never writes a style attribute or a <style> element', () => {
    const source = readFileSync(`${loaderDir}createLoader.ts`, 'utf8');
    expect(source).not.toMatch(/setAttribute\(\s*['"]style['"]|createElement\(\s*['"]style['"]|innerHTML|cssText/);
  });
});

describe('loader.js as built, behaviour', () => {
  loaderBehaviour((win, doc) => runInNewContext(built.code, { window: win, document: doc, URL }));
});
