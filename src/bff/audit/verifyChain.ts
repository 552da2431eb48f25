import { entryHash } from './auditChain.js';
import { GENESIS_HASH, storedAuditEntrySchema } from './auditEntry.js';

export type ChainVerdict =
  | { ok: true; entries: number; head?: { seq: number; hash: string } }
  | { ok: false; entries: number; brokenAt: number; problem: string };

export interface VerifyOptions {
  /**
   * A seq and hash taken from an earlier verify or export. A chain only proves what lies before
   * its head; the anchor also catches entries deleted from the end.
   */
  anchor?: { seq: number; hash: string };
}

/**
 * Walks a chain in seq order and names the first seq that does not hold: a gap (a deleted entry),
 * an entry whose content no longer matches its hash (edited), or one that does not link to its
 * predecessor (reordered, or edited with a recomputed hash).
 */
export async function verifyChain(
  partition: string,
  items: AsyncIterable<Record<string, unknown>>,
  options: VerifyOptions = {},
): Promise<ChainVerdict> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let entries = 0;
  let anchorSeen = false;
  const broken = (brokenAt: number, problem: string): ChainVerdict => ({ ok: false, entries, brokenAt, problem });

  for await (const item of items) {
    const seq = typeof item.seq === 'number' ? item.seq : Number.NaN;
    if (seq !== expectedSeq) {
      return broken(expectedSeq, seq > expectedSeq ? `entry ${expectedSeq} is missing (next stored is ${seq})` : `unexpected seq ${String(item.seq)}`);
    }
    const parsed = storedAuditEntrySchema.safeParse(item);
    if (!parsed.success) return broken(seq, 'entry does not have the audit entry shape');
    const entry = parsed.data;
    if (entry.pk !== partition) return broken(seq, 'entry belongs to another chain');
    if (entryHash(item) !== entry.hash) return broken(seq, 'entry content does not match its hash');
    if (entry.prevHash !== prevHash) return broken(seq, `entry does not link to entry ${seq - 1}`);
    if (options.anchor?.seq === seq) {
      if (options.anchor.hash !== entry.hash) return broken(seq, 'entry differs from the anchor');
      anchorSeen = true;
    }
    prevHash = entry.hash;
    expectedSeq = seq + 1;
    entries++;
  }
  if (options.anchor && !anchorSeen) return broken(expectedSeq, `anchored entry ${options.anchor.seq} is missing`);
  return entries === 0 ? { ok: true, entries } : { ok: true, entries, head: { seq: expectedSeq - 1, hash: prevHash } };
}
