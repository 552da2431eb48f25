import { execFile } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../src/bff/config/loadConfig.js';
import { createKeyStore, type KeyStore } from '../../../src/bff/auth/keyStore.js';
import { mintSessionTokens } from '../../../src/bff/auth/mintTokens.js';
import { KEY_RETENTION_MS } from '../../../src/bff/auth/tokenPolicy.js';
import { verifyToken } from '../../../src/bff/auth/verifyToken.js';
import { devKeyStore, ISSUER, manualClock, T0, tempDataDir } from './keyTestKit.js';

const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function dataDir(): Promise<string> {
  const data = await tempDataDir();
  cleanups.push(data.remove);
  return data.dir;
}

function track(store: KeyStore): KeyStore {
  cleanups.push(() => store.close());
  return store;
}

const keyFiles = async (dir: string) => (await readdir(path.join(dir, 'keys'))).sort();

async function privateJwk(kid: string): Promise<Record<string, unknown>> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid };
}

const mint = (keys: KeyStore, now: number) =>
  mintSessionTokens(keys, { tenantId: 'acme', sessionId: 's-1' }, { issuer: ISSUER, streamTtlS: 300, manageTtlS: 900, now });

describe('development keys on disk', () => {
  it('creates the key directory 0700 and the key file 0600', async () => {
    const dir = await dataDir();
    track(await devKeyStore(dir));
    expect((await stat(path.join(dir, 'keys'))).mode & 0o777).toBe(0o700);
    const files = await keyFiles(dir);
    expect(files).toHaveLength(1);
    expect((await stat(path.join(dir, 'keys', files[0] ?? ''))).mode & 0o777).toBe(0o600);
  });

  it('tightens an existing key directory that others could read', async () => {
    const dir = await dataDir();
    await mkdir(path.join(dir, 'keys'), { mode: 0o755 });
    await chmod(path.join(dir, 'keys'), 0o755);
    track(await devKeyStore(dir));
    expect((await stat(path.join(dir, 'keys'))).mode & 0o777).toBe(0o700);
  });

  it('reuses the keys of an earlier process instead of generating new ones', async () => {
    const dir = await dataDir();
    const first = track(await devKeyStore(dir));
    const second = track(await devKeyStore(dir));
    expect(second.signer().kid).toBe(first.signer().kid);
    expect(await keyFiles(dir)).toHaveLength(1);
  });

  it('gives processes starting together on an empty directory one shared key', async () => {
    const dir = await dataDir();
    const stores = (await Promise.all([1, 2, 3, 4].map(() => devKeyStore(dir)))).map(track);
    expect(new Set(stores.map((store) => store.signer().kid)).size).toBe(1);
    expect(await keyFiles(dir)).toHaveLength(1);
  });

  it('gives separate processes racing on an empty directory one shared key', async () => {
    const dir = await dataDir();
    const script = path.join(import.meta.dirname, 'fixtures', 'printSignerKid.ts');
    const startAt = String(Date.now() + 1_500);
    const run = () =>
      new Promise<string>((resolve, reject) => {
        execFile(process.execPath, ['--import', 'tsx', script, dir, startAt], { timeout: 20_000 }, (error, stdout) =>
          error ? reject(error) : resolve(stdout.trim()),
        );
      });
    const kids = await Promise.all([run(), run(), run()]);
    expect(kids[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(kids).size).toBe(1);
    expect(await keyFiles(dir)).toHaveLength(1);
  }, 30_000);

  it('leaves no temporary files behind', async () => {
    const dir = await dataDir();
    const keys = track(await devKeyStore(dir, { activationDelayMs: 0 }));
    await keys.rotate();
    expect((await keyFiles(dir)).every((name) => /^key-\d{10}\.jwk\.json$/.test(name))).toBe(true);
  });

  it('publishes only public key parameters', async () => {
    const dir = await dataDir();
    const keys = track(await devKeyStore(dir, { activationDelayMs: 0 }));
    await keys.rotate();
    const published = JSON.stringify(keys.jwks());
    expect(keys.jwks().keys).toHaveLength(2);
    for (const jwk of keys.jwks().keys) {
      expect(Object.keys(jwk).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    }
    for (const file of await keyFiles(dir)) {
      const record = JSON.parse(await readFile(path.join(dir, 'keys', file), 'utf8')) as { jwk: { d: string } };
      expect(published).not.toContain(record.jwk.d);
    }
    expect(published).not.toMatch(/"d"/);
  });

  it('skips a damaged key file, reports it, and keeps signing with a good key', async () => {
    const dir = await dataDir();
    const keysDir = path.join(dir, 'keys');
    await mkdir(keysDir, { recursive: true });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(keysDir, 'key-0000000001.jwk.json'), '{"kid":', { mode: 0o600 });
    const onReloadError = vi.fn();
    const keys = track(await devKeyStore(dir, { onReloadError }));
    expect(onReloadError).toHaveBeenCalledTimes(1);
    expect(await keyFiles(dir)).toEqual(['key-0000000001.jwk.json', 'key-0000000002.jwk.json']);
    const tokens = await mint(keys, Date.now());
    await expect(verifyToken(keys, tokens.stream.token, 'stream', { issuer: ISSUER, now: Date.now() })).resolves.toBeDefined();
  });
});

describe('rotation', () => {
  it('publishes a rotated key first and signs with it only after the activation delay', async () => {
    const dir = await dataDir();
    const clock = manualClock();
    const keys = track(await devKeyStore(dir, { clock: clock.now, reloadIntervalMs: 60_000 }));
    const oldKid = keys.signer().kid;
    await keys.rotate();
    const kids = keys.jwks().keys.map((jwk) => jwk.kid);
    expect(kids).toHaveLength(2);
    const newKid = kids.find((kid) => kid !== oldKid);
    expect(keys.signer().kid).toBe(oldKid);
    clock.advance(2 * 60_000 - 1);
    expect(keys.signer().kid).toBe(oldKid);
    clock.advance(1);
    expect(keys.signer().kid).toBe(newKid);
  });

  it('keeps verifying tokens of the old key until the retention after it stopped signing, then not', async () => {
    const dir = await dataDir();
    const clock = manualClock();
    const keys = track(await devKeyStore(dir, { clock: clock.now, activationDelayMs: 0 }));
    const oldKid = keys.signer().kid;
    const before = await mint(keys, clock.now());
    await keys.rotate();
    expect(keys.signer().kid).not.toBe(oldKid);
    const rotatedAt = clock.now();

    clock.advance(600_000);
    await expect(verifyToken(keys, before.manage.token, 'manage', { issuer: ISSUER, now: clock.now() })).resolves.toMatchObject({
      tenantId: 'acme',
    });
    clock.set(rotatedAt + KEY_RETENTION_MS - 1);
    expect(keys.verifierFor(oldKid)).toBeDefined();
    clock.set(rotatedAt + KEY_RETENTION_MS);
    expect(keys.verifierFor(oldKid)).toBeUndefined();
    expect(keys.jwks().keys.map((jwk) => jwk.kid)).not.toContain(oldKid);
    await expect(verifyToken(keys, before.manage.token, 'manage', { issuer: ISSUER, now: clock.now() })).rejects.toMatchObject({
      code: 'invalid_token',
      reason: 'unknown_kid',
    });
  });

  it('lets another process on the same directory verify, then sign with, a rotated key after its reload', async () => {
    const dir = await dataDir();
    const clock = manualClock(Date.now());
    const rotating = track(await devKeyStore(dir, { clock: clock.now, reloadIntervalMs: 60_000, activationDelayMs: 60_000 }));
    const other = track(await devKeyStore(dir, { clock: clock.now, reloadIntervalMs: 20 }));
    const oldKid = rotating.signer().kid;
    await rotating.rotate();
    const newKid = rotating.jwks().keys.map((jwk) => jwk.kid).find((kid) => kid !== oldKid) ?? '';
    expect(other.verifierFor(newKid)).toBeUndefined();

    await vi.waitFor(() => expect(other.verifierFor(newKid)).toBeDefined(), { timeout: 2_000, interval: 10 });
    expect(other.signer().kid).toBe(oldKid);
    clock.advance(60_000);
    expect(other.signer().kid).toBe(newKid);
    const minted = await mint(rotating, clock.now());
    await expect(verifyToken(other, minted.stream.token, 'stream', { issuer: ISSUER, now: clock.now() })).resolves.toBeDefined();
  });

  it('deletes a key file once the key can verify nothing, never the newest', async () => {
    const dir = await dataDir();
    const clock = manualClock();
    const keys = track(await devKeyStore(dir, { clock: clock.now, activationDelayMs: 0 }));
    await keys.rotate();
    expect(await keyFiles(dir)).toHaveLength(2);
    clock.advance(2 * KEY_RETENTION_MS);
    await keys.rotate();
    expect(await keyFiles(dir)).toEqual(['key-0000000002.jwk.json', 'key-0000000003.jwk.json']);
    clock.advance(100 * KEY_RETENTION_MS);
    await keys.rotate();
    expect(await keyFiles(dir)).toEqual(['key-0000000003.jwk.json', 'key-0000000004.jwk.json']);
  });
});

describe('configured keys (production)', () => {
  it('refuses to start in production without SIGNING_KEYS, naming the variable', async () => {
    const dir = await dataDir();
    const attempt = createKeyStore({ dataDir: dir, production: true });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(createKeyStore({ dataDir: dir, production: true, signingKeysJson: ' ' })).rejects.toThrow(/SIGNING_KEYS is required/);
    await expect(readdir(dir)).resolves.toEqual([]);
  });

  it('signs with the first configured key and verifies with every one', async () => {
    const first = await privateJwk('2030-01');
    const second = await privateJwk('2029-12');
    const dir = await dataDir();
    const keys = track(await createKeyStore({ dataDir: dir, production: true, signingKeysJson: JSON.stringify([first, second]) }));
    expect(keys.signer().kid).toBe('2030-01');
    expect(keys.verifierFor('2029-12')).toBeDefined();
    expect(keys.verifierFor('2031-01')).toBeUndefined();
    expect(keys.jwks().keys.map((jwk) => jwk.kid)).toEqual(['2030-01', '2029-12']);
    expect(JSON.stringify(keys.jwks())).not.toContain(String(first.d));
    await expect(keys.rotate()).rejects.toThrow(/SIGNING_KEYS/);
    await expect(readdir(dir)).resolves.toEqual([]);
  });

  it.each([
    ['not JSON', () => Promise.resolve('{not json'), /not valid JSON/],
    ['an empty array', () => Promise.resolve('[]'), /non-empty/],
    ['a key without kid', async () => JSON.stringify([{ ...(await privateJwk('x')), kid: undefined }]), /kid/],
    ['a kid shaped like a path', async () => JSON.stringify([await privateJwk('../k')]), /kid/],
    ['a duplicate kid', async () => JSON.stringify([await privateJwk('a'), await privateJwk('a')]), /twice/],
    ['a public key only', async () => JSON.stringify([{ ...(await privateJwk('a')), d: undefined }]), /private EC P-256/],
    ['a symmetric key', () => Promise.resolve(JSON.stringify([{ kty: 'oct', k: 'c2VjcmV0', kid: 'a' }])), /private EC P-256/],
    ['a key for another alg', async () => JSON.stringify([{ ...(await privateJwk('a')), alg: 'ES384' }]), /alg/],
    [
      'halves from different keys',
      async () => JSON.stringify([{ ...(await privateJwk('a')), d: (await privateJwk('b')).d }]),
      /not a usable/,
    ],
  ])('rejects SIGNING_KEYS with %s, without echoing key material', async (_label, build, message) => {
    const json = await build();
    const error: unknown = await createKeyStore({ dataDir: await dataDir(), production: true, signingKeysJson: json }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    for (const secret of json.match(/"d":"([^"]+)"/g) ?? []) expect((error as Error).message).not.toContain(secret.slice(5, -1));
  });
});
