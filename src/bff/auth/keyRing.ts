import type { JWK } from 'jose';
import type { SigningKey } from './signingKey.js';

/** A key with its place in the rotation: higher order is newer; it signs from activateAt on. */
export interface ScheduledKey extends SigningKey {
  order: number;
  activateAt: number;
}

/** An immutable snapshot of the keys a process knows, answering "who signs / who verifies at t". */
export interface KeyRing {
  signerAt(now: number): SigningKey;
  verifierAt(kid: string, now: number): CryptoKey | undefined;
  publicKeysAt(now: number): JWK[];
  /** Orders of keys that verify nothing any more and whose files may be removed. */
  expiredAt(now: number, graceMs: number): number[];
}

interface Entry {
  key: ScheduledKey;
  /** Exclusive end of the verification window; Infinity while no newer key exists. */
  verifyUntil: number;
}

/**
 * Keys rotate on a schedule: the newest active key signs; an older key stopped signing when the
 * first newer key activated and keeps verifying for retentionMs after that. The window is fixed by
 * activation times alone, so every process reading the same keys computes the same answer.
 */
export function scheduledRing(keys: readonly ScheduledKey[], retentionMs: number): KeyRing {
  const newestFirst = [...keys].sort((a, b) => b.order - a.order);
  const entries: Entry[] = [];
  let nextActivation = Number.POSITIVE_INFINITY;
  for (const key of newestFirst) {
    entries.push({ key, verifyUntil: nextActivation + retentionMs });
    nextActivation = Math.min(nextActivation, key.activateAt);
  }
  const byKid = new Map(entries.map((entry) => [entry.key.kid, entry]));
  const live = (now: number) => entries.filter((entry) => now < entry.verifyUntil);

  return {
    signerAt(now) {
      const active = entries.find((entry) => entry.key.activateAt <= now);
      if (active) return active.key;
      // Nothing has activated yet (a clock set back): sign with the key due first.
      const first = [...entries].sort((a, b) => a.key.activateAt - b.key.activateAt)[0];
      if (!first) throw new Error('the key ring is empty');
      return first.key;
    },
    verifierAt(kid, now) {
      const entry = byKid.get(kid);
      return entry !== undefined && now < entry.verifyUntil ? entry.key.verifyKey : undefined;
    },
    publicKeysAt(now) {
      return live(now).map((entry) => ({ ...entry.key.publicJwk }));
    },
    expiredAt(now, graceMs) {
      return entries.filter((entry) => now >= entry.verifyUntil + graceMs).map((entry) => entry.key.order);
    },
  };
}

/** Keys from configuration: the first signs, every listed key verifies until it is removed. */
export function listedRing(keys: readonly SigningKey[]): KeyRing {
  const signer = keys[0];
  if (!signer) throw new Error('the key ring is empty');
  const byKid = new Map(keys.map((key) => [key.kid, key]));
  return {
    signerAt: () => signer,
    verifierAt: (kid) => byKid.get(kid)?.verifyKey,
    publicKeysAt: () => keys.map((key) => ({ ...key.publicJwk })),
    expiredAt: () => [],
  };
}
