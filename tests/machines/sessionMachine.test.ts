import { createActor, fromPromise, SimulatedClock } from 'xstate';
import { describe, expect, it } from 'vitest';
import { sessionMachine, type RefreshInput, type Session, type SessionEmitted, type SessionGrant } from '../../src/machines/sessionMachine.js';
import type { Failure } from '../../src/machines/failure.js';
import { deferred, flush, type Deferred } from './support/deferred.js';

function grant(sessionId: string, streamTtlMs = 300_000, receivedAt = 1_000_000): SessionGrant {
  return {
    sessionId,
    receivedAt,
    tokens: {
      stream: { token: `${sessionId}-stream`, expiresAt: receivedAt + streamTtlMs },
      manage: { token: `${sessionId}-manage`, expiresAt: receivedAt + 900_000 },
    },
  };
}

const stored: Session = {
  sessionId: 's-old',
  tokens: { stream: { token: 'old-stream', expiresAt: 1 }, manage: { token: 'old-manage', expiresAt: 2 } },
};

function harness(input: { stored: Session | null; maxAttempts?: number }) {
  const clock = new SimulatedClock();
  const mints: Array<Deferred<SessionGrant>> = [];
  const refreshes: Array<{ input: RefreshInput; result: Deferred<SessionGrant> }> = [];
  const persisted: Session[] = [];
  let forgotten = 0;
  const emitted: SessionEmitted[] = [];
  const machine = sessionMachine.provide({
    actors: {
      mintSession: fromPromise<SessionGrant, void>(() => {
        const result = deferred<SessionGrant>();
        mints.push(result);
        return result.promise;
      }),
      refreshSession: fromPromise<SessionGrant, RefreshInput>(({ input: refreshInput }) => {
        const result = deferred<SessionGrant>();
        refreshes.push({ input: refreshInput, result });
        return result.promise;
      }),
    },
    actions: {
      persist: ({ context }) => {
        if (context.session) persisted.push(context.session);
      },
      forget: () => {
        forgotten += 1;
      },
    },
  });
  const actor = createActor(machine, {
    clock,
    input: { stored: input.stored, random: () => 0.5, timing: { maxAttempts: input.maxAttempts ?? 6 } },
  });
  actor.on('*', (event) => emitted.push(event as SessionEmitted));
  actor.start();
  return {
    actor,
    clock,
    mints,
    refreshes,
    persisted,
    emitted,
    forgotten: () => forgotten,
    state: () => actor.getSnapshot().value,
    context: () => actor.getSnapshot().context,
    async mint(result: SessionGrant | Failure, ok = true) {
      const pending = mints.at(-1);
      if (ok) pending?.resolve(result as SessionGrant);
      else pending?.reject(result);
      await flush();
    },
    async refresh(result: SessionGrant | Failure, ok = true) {
      const pending = refreshes.at(-1)?.result;
      if (ok) pending?.resolve(result as SessionGrant);
      else pending?.reject(result);
      await flush();
    },
  };
}

describe('sessionMachine', () => {
  it('mints a session when none is stored, stores it and reports it as new', async () => {
    const h = harness({ stored: null });
    expect(h.state()).toBe('idle');
    h.actor.send({ type: 'START' });
    expect(h.state()).toBe('minting');
    await h.mint(grant('s-1'));
    expect(h.state()).toBe('active');
    expect(h.context().session?.sessionId).toBe('s-1');
    expect(h.persisted.map((s) => s.sessionId)).toEqual(['s-1']);
    expect(h.persisted[0]).not.toHaveProperty('receivedAt');
    expect(h.emitted).toContainEqual(expect.objectContaining({ type: 'session.granted', restored: false }));
  });

  it('refreshes a stored session with its manage token and reports it as restored', async () => {
    const h = harness({ stored });
    h.actor.send({ type: 'START' });
    expect(h.state()).toBe('refreshing');
    expect(h.refreshes[0]?.input).toEqual({ manageToken: 'old-manage' });
    await h.refresh(grant('s-old'));
    expect(h.state()).toBe('active');
    expect(h.emitted).toContainEqual(expect.objectContaining({ type: 'session.granted', restored: true }));
    expect(h.mints).toHaveLength(0);
  });

  it('reports a session resumed through a host-kept handle as restored, keeps the handle out of the session, and passes it on', async () => {
    const h = harness({ stored: null });
    h.actor.send({ type: 'START' });
    await h.mint({ ...grant('s-old'), resumed: true, handle: { token: 'next-handle', expiresAt: 9 } });
    expect(h.state()).toBe('active');
    expect(h.context().restored).toBe(true);
    expect(h.persisted[0]).not.toHaveProperty('handle');
    expect(h.persisted[0]).not.toHaveProperty('resumed');
    expect(h.emitted).toContainEqual(
      expect.objectContaining({ type: 'session.granted', restored: true, handle: { token: 'next-handle', expiresAt: 9 } }),
    );
    h.actor.send({ type: 'REFRESH' });
    await h.refresh(grant('s-old'));
    const last = h.emitted.filter((e) => e.type === 'session.granted').at(-1);
    expect(last).toMatchObject({ restored: true });
    expect(last).not.toHaveProperty('handle');
  });

  it('mints a new session when the stored one is rejected, forgetting the old one', async () => {
    for (const rejection of [
      { kind: 'auth', code: 'http_401', status: 401 },
      { kind: 'fatal', code: 'http_403', status: 403 },
    ] as Failure[]) {
      const h = harness({ stored });
      h.actor.send({ type: 'START' });
      await h.refresh(rejection, false);
      expect(h.state()).toBe('minting');
      expect(h.forgotten()).toBe(1);
      expect(h.emitted).toContainEqual({ type: 'session.replaced' });
      await h.mint(grant('s-new'));
      expect(h.emitted).toContainEqual(expect.objectContaining({ type: 'session.granted', restored: false }));
    }
  });

  it('refreshes at 80% of the stream token lifetime as measured at receipt', async () => {
    const h = harness({ stored: null });
    h.actor.send({ type: 'START' });
    await h.mint(grant('s-1', 300_000));
    h.clock.increment(239_999);
    expect(h.state()).toBe('active');
    h.clock.increment(1);
    expect(h.state()).toBe('refreshing');
    expect(h.refreshes[0]?.input).toEqual({ manageToken: 's-1-manage' });
    await h.refresh(grant('s-1', 300_000));
    expect(h.context().generation).toBe(2);
    expect(h.emitted.filter((e) => e.type === 'session.granted').at(-1)).toMatchObject({ restored: false });
  });

  it('never schedules a refresh sooner than the floor, even for an already expired token', async () => {
    const h = harness({ stored: null });
    h.actor.send({ type: 'START' });
    await h.mint(grant('s-1', -5_000));
    h.clock.increment(999);
    expect(h.state()).toBe('active');
    h.clock.increment(1);
    expect(h.state()).toBe('refreshing');
  });

  it('refreshes on demand when a request was answered with 401', async () => {
    const h = harness({ stored: null });
    h.actor.send({ type: 'START' });
    await h.mint(grant('s-1'));
    h.actor.send({ type: 'REFRESH' });
    expect(h.state()).toBe('refreshing');
  });

  it('retries a failed mint with backoff, honouring Retry-After', async () => {
    const h = harness({ stored: null });
    h.actor.send({ type: 'START' });
    await h.mint({ kind: 'retryable', code: 'http_503', status: 503, retryAfterMs: 2_000 }, false);
    expect(h.state()).toBe('retrying');
    h.clock.increment(1_999);
    expect(h.state()).toBe('retrying');
    h.clock.increment(1);
    expect(h.state()).toBe('minting');
    expect(h.mints).toHaveLength(2);
  });

  it('retries a refresh that failed on the network as a refresh, not a mint', async () => {
    const h = harness({ stored });
    h.actor.send({ type: 'START' });
    await h.refresh({ kind: 'network', code: 'network' }, false);
    h.clock.increment(10_000);
    expect(h.state()).toBe('refreshing');
    expect(h.mints).toHaveLength(0);
  });

  it('fails after the allowed tries and starts over on RETRY', async () => {
    const h = harness({ stored: null, maxAttempts: 2 });
    h.actor.send({ type: 'START' });
    await h.mint({ kind: 'network', code: 'network' }, false);
    h.clock.increment(10_000);
    await h.mint({ kind: 'network', code: 'network' }, false);
    h.clock.increment(10_000);
    await h.mint({ kind: 'network', code: 'network' }, false);
    expect(h.state()).toBe('failed');
    h.actor.send({ type: 'RETRY' });
    expect(h.state()).toBe('minting');
    expect(h.context().attempts).toBe(0);
  });

  it('fails at once when the tenant is refused', async () => {
    const h = harness({ stored: null });
    h.actor.send({ type: 'START' });
    await h.mint({ kind: 'fatal', code: 'tenant_not_found', status: 404 }, false);
    expect(h.state()).toBe('failed');
    expect(h.context().failure?.code).toBe('tenant_not_found');
  });

  it('drops the session and mints a fresh one on RESET', async () => {
    const h = harness({ stored });
    h.actor.send({ type: 'START' });
    await h.refresh(grant('s-old'));
    h.actor.send({ type: 'RESET' });
    expect(h.state()).toBe('minting');
    expect(h.context().session).toBeNull();
    expect(h.forgotten()).toBe(1);
    await h.mint(grant('s-2'));
    expect(h.context()).toMatchObject({ restored: false, session: { sessionId: 's-2' } });
  });
});
