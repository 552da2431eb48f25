import path from 'node:path';
import type { JWK } from 'jose';
import { ConfigError } from '../config/loadConfig.js';
import { loadConfiguredKeys } from './configuredKeys.js';
import { listKeyFiles, prepareKeyDirectory, publishKeyFile, readKeyFile, removeKeyFile } from './keyDirectory.js';
import { listedRing, scheduledRing, type KeyRing, type ScheduledKey } from './keyRing.js';
import { generateSigningJwk, importSigningKey } from './signingKey.js';
import { KEY_RETENTION_MS, TOKEN_ALG } from './tokenPolicy.js';

export interface KeyStore {
  signer(): { kid: string; key: CryptoKey; alg: 'ES256' };
  verifierFor(kid: string): CryptoKey | undefined;
  /** Public halves of every key that still verifies; never a private parameter. */
  jwks(): { keys: JWK[] };
  rotate(): Promise<void>;
  close(): void;
}

export interface KeyStoreOptions {
  dataDir: string;
  production: boolean;
  /** SIGNING_KEYS: JSON array of private ES256 JWKs with kid; the first signs. */
  signingKeysJson?: string;
  /** Epoch milliseconds. */
  clock?: () => number;
  reloadIntervalMs?: number;
  /**
   * How long a key made by rotate() is published before it signs. Defaults to two reload
   * intervals, so every process sharing the directory can verify its tokens before the first one
   * is minted.
   */
  activationDelayMs?: number;
  /** A reload that failed keeps the previous keys; this hears about it. */
  onReloadError?: (error: unknown) => void;
}

const DEFAULT_RELOAD_INTERVAL_MS = 10_000;
const PUBLISH_ATTEMPTS = 5;

export async function createKeyStore(options: KeyStoreOptions): Promise<KeyStore> {
  if (options.signingKeysJson !== undefined && options.signingKeysJson.trim() !== '') {
    return configuredKeyStore(listedRing(await loadConfiguredKeys(options.signingKeysJson)), options.clock ?? Date.now);
  }
  if (options.production) {
    throw new ConfigError(
      'SIGNING_KEYS is required when NODE_ENV=production: a JSON array of private ES256 JWKs, each with a "kid"; the first one signs',
    );
  }
  return DirectoryKeyStore.open(options);
}

function signerOf(ring: KeyRing, now: number): ReturnType<KeyStore['signer']> {
  const key = ring.signerAt(now);
  return { kid: key.kid, key: key.signingKey, alg: TOKEN_ALG };
}

function configuredKeyStore(ring: KeyRing, clock: () => number): KeyStore {
  return {
    signer: () => signerOf(ring, clock()),
    verifierFor: (kid) => ring.verifierAt(kid, clock()),
    jwks: () => ({ keys: ring.publicKeysAt(clock()) }),
    rotate: () =>
      Promise.reject(new Error('signing keys come from SIGNING_KEYS; rotate by changing that configuration')),
    close: () => undefined,
  };
}

/** Development keys under DATA_DIR/keys, generated on first use and rotated on request. */
class DirectoryKeyStore implements KeyStore {
  private readonly cache = new Map<number, ScheduledKey>();
  private readonly reported = new Set<number>();
  private ring: KeyRing = scheduledRing([], KEY_RETENTION_MS);
  private highestOrder = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly dir: string,
    private readonly clock: () => number,
    private readonly activationDelayMs: number,
    private readonly onReloadError: (error: unknown) => void,
  ) {}

  static async open(options: KeyStoreOptions): Promise<DirectoryKeyStore> {
    const intervalMs = options.reloadIntervalMs ?? DEFAULT_RELOAD_INTERVAL_MS;
    const store = new DirectoryKeyStore(
      path.join(options.dataDir, 'keys'),
      options.clock ?? Date.now,
      options.activationDelayMs ?? 2 * intervalMs,
      options.onReloadError ?? (() => undefined),
    );
    await prepareKeyDirectory(store.dir);
    await store.exclusive(() => store.ensureKey());
    store.timer = setInterval(() => {
      store.exclusive(() => store.reload()).catch(store.onReloadError);
    }, intervalMs);
    store.timer.unref();
    return store;
  }

  signer(): ReturnType<KeyStore['signer']> {
    return signerOf(this.ring, this.clock());
  }

  verifierFor(kid: string): CryptoKey | undefined {
    return this.ring.verifierAt(kid, this.clock());
  }

  jwks(): { keys: JWK[] } {
    return { keys: this.ring.publicKeysAt(this.clock()) };
  }

  rotate(): Promise<void> {
    return this.exclusive(async () => {
      await this.reload();
      await this.publishNewKey(this.clock() + this.activationDelayMs);
    });
  }

  close(): void {
    clearInterval(this.timer);
  }

  /** Reloads and rotations never interleave within one process. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async ensureKey(): Promise<void> {
    await this.reload();
    for (let attempt = 0; this.cache.size === 0; attempt += 1) {
      if (attempt === PUBLISH_ATTEMPTS) throw new Error(`no usable signing key in ${this.dir}`);
      await this.tryPublish(this.clock());
    }
  }

  private async publishNewKey(activateAt: number): Promise<void> {
    for (let attempt = 0; attempt < PUBLISH_ATTEMPTS; attempt += 1) {
      if (await this.tryPublish(activateAt)) return;
    }
    throw new Error(`could not add a signing key in ${this.dir}: other processes kept taking the next order`);
  }

  /**
   * Adds a key at the next free order, then rereads the directory. Losing the race for that order
   * (false) means another process published first; its key is now loaded.
   */
  private async tryPublish(activateAt: number): Promise<boolean> {
    const { kid, jwk } = await generateSigningJwk();
    const record = { order: this.highestOrder + 1, kid, createdAt: this.clock(), activateAt, jwk };
    const published = await publishKeyFile(this.dir, record);
    await this.reload();
    return published;
  }

  private async reload(): Promise<void> {
    const files = await listKeyFiles(this.dir);
    const present = new Set(files.map((file) => file.order));
    for (const order of this.cache.keys()) if (!present.has(order)) this.cache.delete(order);
    for (const { order } of files) {
      this.highestOrder = Math.max(this.highestOrder, order);
      if (!this.cache.has(order)) await this.load(order);
    }
    this.ring = scheduledRing([...this.cache.values()], KEY_RETENTION_MS);
    await this.removeExpired();
  }

  private async load(order: number): Promise<void> {
    try {
      const record = await readKeyFile(this.dir, order);
      if (record === undefined) return;
      const key = await importSigningKey(record.kid, record.jwk);
      this.cache.set(order, { ...key, order, activateAt: record.activateAt });
    } catch (error) {
      // A damaged file is skipped (newer keys still work); it is reported once, not every reload.
      if (!this.reported.has(order)) this.onReloadError(error);
      this.reported.add(order);
    }
  }

  /** Private keys that can no longer verify anything are deleted; a full extra retention is kept. */
  private async removeExpired(): Promise<void> {
    for (const order of this.ring.expiredAt(this.clock(), KEY_RETENTION_MS)) {
      await removeKeyFile(this.dir, order);
    }
  }
}
