import { GetCommand, PutCommand, UpdateCommand, DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TurnEvent, TurnStatus } from '../chat/turnEvent.js';
import { TABLES, TURN_HEADER_SEQ, expiresAt, isExpired, physicalName, sessionKey, turnEventSortKey, turnEventsAfter, turnKey } from './tables.js';
import { withStorageErrors } from './storageError.js';
import { batchDelete } from './batchDelete.js';
import { BatchedPuts } from './batchedPuts.js';
import { packEvents, packedSize, unpackEvents } from './packedEvents.js';
import { OwnerLeases } from './ownerLeases.js';
import { queryItems } from './pagedReads.js';

export interface TurnRef {
  tenantId: string;
  sessionId: string;
  messageId: string;
}

export interface TurnHeader {
  status: TurnStatus;
  textHash: string;
  /** The process that runs the generation (see OwnerLeases). */
  owner: string;
  /** The claim's lease (epoch ms): until then the turn counts as running whatever its owner's record says. */
  leaseUntil: number;
  startedAt: number;
  stopRequested: boolean;
}

/**
 * How long a reply's run may wait for the runs of other replies to share its BatchWriteItem.
 * Each reply writes every 250 ms at random phases; with 100 replies streaming, 50 ms gathers
 * about 20 runs per request instead of one. Writes someone waits for go at once.
 */
const APPEND_LINGER_MS = 50;
/** DynamoDB items hold at most 400 KB (UTF-8); a longer log stays as separate run items. */
const MAX_LOG_BYTES = 300_000;
/** A header's attributes but the compact log a finished turn's header also holds, about as long as its reply. */
const HEADER_ATTRIBUTES = ['status', 'textHash', 'owner', 'leaseUntil', 'startedAt', 'stopRequested', 'expiresAt'] as const;
const HEADER_PROJECTION = {
  ProjectionExpression: HEADER_ATTRIBUTES.map((_, index) => `#h${index}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(HEADER_ATTRIBUTES.map((name, index) => [`#h${index}`, name])),
};

/** The persisted event log of every reply: claim, append, replay, finish. */
export class TurnLog {
  private readonly table: string;
  /** Compaction deletes still running, so a shutdown can wait for them. */
  private readonly background = new Set<Promise<unknown>>();
  private readonly puts: BatchedPuts;
  /** Whether the process that claimed a turn still runs, and stop requests for it. */
  readonly owners: OwnerLeases;
  /**
   * The run items this process wrote for each turn it claimed, by turn key: only the generating
   * process appends while the turn runs, so at the turn's finish these are all its runs and
   * compaction can delete them without querying for them first. The runs a takeover appends are
   * not listed: that process never finishes the turn.
   */
  private readonly runSeqs = new Map<string, number[]>();

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    prefix: string,
    private readonly clock: () => number,
  ) {
    this.table = physicalName(prefix, TABLES.turnEvents);
    this.puts = new BatchedPuts(doc, 'turn.append', { lingerMs: APPEND_LINGER_MS });
    this.owners = new OwnerLeases(doc, prefix, clock);
  }

  /** Resolves when the background work started so far has ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.background]);
  }

  private key(ref: TurnRef, seq: number) {
    return { pk: sessionKey(ref.tenantId, ref.sessionId), sk: turnEventSortKey(ref.messageId, seq) };
  }

  /** Creates the header if no one has; the winner alone may call the model for this message. */
  async claim(ref: TurnRef, header: Omit<TurnHeader, 'status' | 'stopRequested'>): Promise<'claimed' | TurnHeader> {
    try {
      await withStorageErrors('turn.claim', () =>
        this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              ...this.key(ref, TURN_HEADER_SEQ),
              ...header,
              status: 'generating',
              stopRequested: false,
              expiresAt: expiresAt(this.clock(), TABLES.turnEvents),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      this.runSeqs.set(turnKey(ref.tenantId, ref.sessionId, ref.messageId), []);
      return 'claimed';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const existing = await this.header(ref);
      if (!existing) throw error;
      return existing;
    }
  }

  async header(ref: TurnRef): Promise<TurnHeader | undefined> {
    const result = await withStorageErrors('turn.header', () =>
      this.doc.send(new GetCommand({ TableName: this.table, Key: this.key(ref, TURN_HEADER_SEQ), ...HEADER_PROJECTION, ConsistentRead: true })),
    );
    const item = result.Item;
    if (!item || isExpired(item, this.clock())) return undefined;
    return {
      status: item.status as TurnStatus,
      textHash: String(item.textHash),
      owner: String(item.owner),
      leaseUntil: Number(item.leaseUntil),
      startedAt: Number(item.startedAt),
      stopRequested: item.stopRequested === true,
    };
  }

  async release(ref: TurnRef): Promise<void> {
    this.runSeqs.delete(turnKey(ref.tenantId, ref.sessionId, ref.messageId));
    await withStorageErrors('turn.release', () =>
      this.doc.send(new DeleteCommand({ TableName: this.table, Key: this.key(ref, TURN_HEADER_SEQ) })),
    );
  }

  /**
   * Stores a run of events as one item keyed by its last seq: a reply streams many small events,
   * and one write per run (not per event), batched with the runs of other replies, is what keeps
   * storage load flat as streams add up.
   */
  async append(ref: TurnRef, events: readonly TurnEvent[], options: { urgent?: boolean } = {}): Promise<void> {
    const expires = expiresAt(this.clock(), TABLES.turnEvents);
    const runs = packedRuns(events);
    const turn = turnKey(ref.tenantId, ref.sessionId, ref.messageId);
    // Recorded before the write: a write whose answer is lost may still have landed.
    this.runSeqs.get(turn)?.push(...runs.map((run) => run.lastSeq));
    await Promise.all(
      runs.map((run) => this.puts.put(this.table, { ...this.key(ref, run.lastSeq), events: run.packed, expiresAt: expires }, options)),
    );
  }

  /**
   * Events with seq > afterSeq, in order. A finished turn keeps them in its header's compact log
   * while its run items are deleted, so an empty or gapped answer is checked against it.
   */
  async read(ref: TurnRef, afterSeq: number): Promise<TurnEvent[]> {
    const events: TurnEvent[] = [];
    const now = this.clock();
    const runs = queryItems(this.doc, 'turn.read', {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': this.key(ref, TURN_HEADER_SEQ).pk, ...betweenAfter(ref, Math.max(afterSeq, TURN_HEADER_SEQ)) },
      ConsistentRead: true,
    });
    for await (const item of runs) {
      if (isExpired(item, now) || typeof item.events !== 'string') continue;
      for (const event of unpackEvents(item.events)) if (event.seq > afterSeq) events.push(event);
    }
    const contiguous = events.every((event, index) => event.seq === afterSeq + 1 + index);
    if (events.length > 0 && contiguous) return events;
    const compacted = await this.compactLog(ref);
    return compacted ? compacted.filter((event) => event.seq > afterSeq) : contiguous ? events : [];
  }

  private async compactLog(ref: TurnRef): Promise<TurnEvent[] | undefined> {
    const result = await withStorageErrors('turn.header', () =>
      this.doc.send(
        new GetCommand({ TableName: this.table, Key: this.key(ref, TURN_HEADER_SEQ), ProjectionExpression: 'compactLog, expiresAt', ConsistentRead: true }),
      ),
    );
    const item = result.Item;
    if (!item || isExpired(item, this.clock()) || typeof item.compactLog !== 'string') return undefined;
    return unpackEvents(item.compactLog);
  }

  /**
   * Closes a turn. With its whole event log the turn is also compacted: the log is stored in the
   * header and the run items are deleted afterwards, so a finished turn is one item (a replay
   * reads one item, and a session's turns are as many items as it has turns). The events after
   * this process's last run need not have been appended: the compact log stores them, or, for a
   * log too long to compact, they are appended here first.
   */
  async finish(ref: TurnRef, status: TurnStatus, events?: readonly TurnEvent[]): Promise<void> {
    const log = events && packEvents(events);
    const compact = log !== undefined && Buffer.byteLength(log) <= MAX_LOG_BYTES;
    const turn = turnKey(ref.tenantId, ref.sessionId, ref.messageId);
    const appended = this.runSeqs.get(turn);
    if (events !== undefined && !compact && appended !== undefined) {
      const last = Math.max(TURN_HEADER_SEQ, ...appended);
      const tail = events.filter((event) => event.seq > last);
      if (tail.length > 0) await this.append(ref, tail, { urgent: true });
    }
    const stored = await this.updateStoredHeader(
      ref,
      'turn.finish',
      compact ? 'SET #status = :status, leaseUntil = :zero, compactLog = :log' : 'SET #status = :status, leaseUntil = :zero',
      { ':status': status, ':zero': 0, ...(compact ? { ':log': log } : {}) },
      { '#status': 'status' },
    );
    // Reached only when the update did not throw; after a throw the runs stay listed for the later retry.
    this.runSeqs.delete(turn);
    if (!stored) return;
    if (compact && events !== undefined && events.length > 0) {
      // Best effort: leftovers are harmless to reads (they prefer the compact log), expire with the
      // turn, and a clear finds them in the session's partition like every other item.
      const runs = appended ? Promise.resolve(appended.map((seq) => ({ table: this.table, key: this.key(ref, seq) }))) : this.runKeys(ref);
      const deletion = runs.then((keys) => batchDelete(this.doc, keys, { concurrency: 2 })).catch(() => undefined);
      this.background.add(deletion);
      void deletion.finally(() => this.background.delete(deletion));
    }
  }

  /**
   * Applies an update to a turn's header only while the header is stored: a clear may have
   * removed the turn meanwhile, and an update must not bring it back. Resolves false then.
   */
  private async updateStoredHeader(
    ref: TurnRef,
    operation: string,
    expression: string,
    values: Record<string, unknown>,
    names?: Record<string, string>,
  ): Promise<boolean> {
    try {
      await withStorageErrors(operation, () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: this.key(ref, TURN_HEADER_SEQ),
            UpdateExpression: expression,
            ConditionExpression: 'attribute_exists(pk)',
            ...(names ? { ExpressionAttributeNames: names } : {}),
            ExpressionAttributeValues: values,
          }),
        ),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return false;
    }
  }

  private async runKeys(ref: TurnRef): Promise<Array<{ table: string; key: Record<string, unknown> }>> {
    const keys: Array<{ table: string; key: Record<string, unknown> }> = [];
    const runs = queryItems(this.doc, 'turn.runs', {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': this.key(ref, TURN_HEADER_SEQ).pk, ...betweenAfter(ref, TURN_HEADER_SEQ) },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
    });
    for await (const item of runs) keys.push({ table: this.table, key: { pk: item.pk, sk: item.sk } });
    return keys;
  }

  async requestStop(ref: TurnRef): Promise<void> {
    await this.updateStoredHeader(ref, 'turn.stop', 'SET stopRequested = :yes', { ':yes': true });
  }

  /**
   * Closes, as interrupted unless told otherwise, a turn that `owner` no longer runs: it died, or
   * it could not close the turn itself. The claim's lease must have lapsed too, and the condition
   * makes one process win when several tail the same turn.
   */
  async takeOver(ref: TurnRef, owner: string, now: number, status: Exclude<TurnStatus, 'generating'> = 'interrupted'): Promise<boolean> {
    try {
      await withStorageErrors('turn.takeover', () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: this.key(ref, TURN_HEADER_SEQ),
            UpdateExpression: 'SET #status = :status',
            ConditionExpression: '#status = :generating AND leaseUntil < :now AND #owner = :owner',
            ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
            ExpressionAttributeValues: { ':status': status, ':generating': 'generating', ':now': now, ':owner': owner },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

/** Consecutive events cut into runs whose packed form fits one item, each with its last seq. */
function packedRuns(events: readonly TurnEvent[]): Array<{ lastSeq: number; packed: string }> {
  if (events.length === 0) return [];
  // An append is almost always a few hundred bytes: one run, packed once, nothing measured.
  const whole = packEvents(events);
  if (Buffer.byteLength(whole) <= MAX_LOG_BYTES) return [{ lastSeq: events.at(-1)!.seq, packed: whole }];
  const runs: TurnEvent[][] = [];
  let run: TurnEvent[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = packedSize(event);
    if (run.length > 0 && bytes + size > MAX_LOG_BYTES) {
      runs.push(run);
      run = [];
      bytes = 0;
    }
    run.push(event);
    bytes += size;
  }
  if (run.length > 0) runs.push(run);
  return runs.map((cut) => ({ lastSeq: cut.at(-1)!.seq, packed: packEvents(cut) }));
}

function betweenAfter(ref: TurnRef, afterSeq: number): { ':from': string; ':to': string } {
  const [from, to] = turnEventsAfter(ref.messageId, afterSeq);
  return { ':from': from, ':to': to };
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
