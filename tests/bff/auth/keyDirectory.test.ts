import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listKeyFiles, prepareKeyDirectory, publishKeyFile, readKeyFile } from '../../../src/bff/auth/keyDirectory.js';
import { generateSigningJwk } from '../../../src/bff/auth/signingKey.js';
import { tempDataDir } from './keyTestKit.js';

const removals: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const remove of removals.splice(0)) await remove();
});

async function keyDir(): Promise<string> {
  const data = await tempDataDir();
  removals.push(data.remove);
  const dir = path.join(data.dir, 'keys');
  await prepareKeyDirectory(dir);
  return dir;
}

async function record(order: number) {
  const { kid, jwk } = await generateSigningJwk();
  return { order, kid, createdAt: 1, activateAt: 2, jwk };
}

describe('key directory', () => {
  it('lets exactly one of several writers claim an order, and keeps the winner intact', async () => {
    const dir = await keyDir();
    const candidates = await Promise.all([1, 2, 3, 4, 5].map(() => record(1)));
    const outcomes = await Promise.all(candidates.map((candidate) => publishKeyFile(dir, candidate)));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const winner = candidates[outcomes.indexOf(true)];
    const stored = await readKeyFile(dir, 1);
    expect(stored?.kid).toBe(winner?.kid);
    expect(stored?.jwk).toEqual(winner?.jwk);
  });

  it('writes a record that reads back the same and lists by order', async () => {
    const dir = await keyDir();
    const written = await record(7);
    expect(await publishKeyFile(dir, written)).toBe(true);
    expect(await readKeyFile(dir, 7)).toEqual(written);
    expect(await listKeyFiles(dir)).toEqual([{ order: 7, name: 'key-0000000007.jwk.json' }]);
    expect(JSON.parse(await readFile(path.join(dir, 'key-0000000007.jwk.json'), 'utf8'))).not.toHaveProperty('order');
  });

  it('reads a key that another process removed meanwhile as absent', async () => {
    const dir = await keyDir();
    await expect(readKeyFile(dir, 3)).resolves.toBeUndefined();
  });
});
