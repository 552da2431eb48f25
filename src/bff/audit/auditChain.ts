import { canonicalJson, sha256Hex } from './canonicalJson.js';
import { GENESIS_HASH, type StoredAuditEntry } from './auditEntry.js';

export type UnhashedEntry = Omit<StoredAuditEntry, 'seq' | 'prevHash' | 'hash'>;

export interface ChainHead {
  seq: number;
  hash: string;
}

/** The hash an entry must carry: SHA-256 of the canonical JSON of every attribute but `hash`. */
export function entryHash(item: Record<string, unknown>): string {
  const { hash: _ignored, ...rest } = item;
  return sha256Hex(canonicalJson(rest));
}

/** Links an entry after `head` (or starts the chain). */
export function linkEntry(head: ChainHead | undefined, entry: UnhashedEntry): StoredAuditEntry {
  const linked = { ...entry, seq: (head?.seq ?? 0) + 1, prevHash: head?.hash ?? GENESIS_HASH };
  return { ...linked, hash: entryHash(linked) };
}
