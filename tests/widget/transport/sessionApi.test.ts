import { afterEach, describe, expect, it } from 'vitest';
import { makeSessionHandleSource } from '../../../src/widget/app/storage/sessionHandle.js';
import { fetchSessionHandle, mintSession, type SessionHttpDeps } from '../../../src/widget/transport/sessionApi.js';
import { json, startServer, type TestServer } from '../support/httpServer.js';

const tokens = (id: string) => ({
  stream: { token: `${id}-stream`, expiresAt: 2_000_000 },
  manage: { token: `${id}-manage`, expiresAt: 2_900_000 },
});

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A BFF whose resume endpoint answers `resumeStatus` (0: drops the connection). */
async function bff(resumeStatus: number) {
  server = await startServer((req, res) => {
    if (req.url === '/v1/sessions/resume') {
      if (resumeStatus === 0) return void res.destroy();
      if (resumeStatus !== 200) return json(res, resumeStatus, { error: { code: 'refused', message: 'x' } });
      return json(res, 200, { sessionId: 's-old', tokens: tokens('old'), handle: { token: 'next.han.dle', expiresAt: 2_900_000 } });
    }
    if (req.url === '/v1/sessions') return json(res, 201, { sessionId: 's-new', tokens: tokens('new') });
    if (req.url === '/v1/sessions/handle') return json(res, 200, { handle: { token: 'fresh.han.dle', expiresAt: 2_900_000 } });
    return json(res, 404, { error: { code: 'not_found', message: 'x' } });
  });
  return server;
}

const deps = (origin: string, handle: string | null) => {
  const sessionHandle = makeSessionHandleSource(handle);
  const http: SessionHttpDeps = { apiBase: origin, fetch: globalThis.fetch, now: () => 1_000_000, sessionHandle };
  return { http, sessionHandle };
};

describe('mintSession with a session handle from an earlier page', () => {
  it('resumes that session (Bearer handle, own tenant in the body), marks it resumed, and uses the handle only once', async () => {
    const stub = await bff(200);
    const { http, sessionHandle } = deps(stub.origin, 'old.han.dle');
    const grant = await mintSession(http, 'pk_acme');
    expect(grant).toMatchObject({ sessionId: 's-old', resumed: true, handle: { token: 'next.han.dle' }, receivedAt: 1_000_000 });
    const resume = stub.requests.find((r) => r.url === '/v1/sessions/resume');
    expect(resume?.headers.authorization).toBe('Bearer old.han.dle');
    expect(JSON.parse(resume?.body ?? '{}')).toEqual({ tenant: 'pk_acme' });
    expect(sessionHandle.current()).toBeNull();
    expect((await mintSession(http, 'pk_acme')).sessionId).toBe('s-new');
  });

  it.each([401, 403, 404])('mints a new session when the server refuses the handle (%i), and forgets the handle', async (status) => {
    const stub = await bff(status);
    const { http, sessionHandle } = deps(stub.origin, 'old.han.dle');
    const grant = await mintSession(http, 'pk_acme');
    expect(grant.sessionId).toBe('s-new');
    expect(grant.resumed).toBeUndefined();
    expect(sessionHandle.current()).toBeNull();
  });

  it.each([0, 503])('keeps the handle for the next try when the network or the server fails (%i)', async (status) => {
    const stub = await bff(status);
    const { http, sessionHandle } = deps(stub.origin, 'old.han.dle');
    await expect(mintSession(http, 'pk_acme')).rejects.toMatchObject({ kind: status === 0 ? 'network' : 'retryable' });
    expect(sessionHandle.current()).toBe('old.han.dle');
    expect(stub.requests.map((r) => r.url)).toEqual(['/v1/sessions/resume']);
  });

  it('mints as before without a handle', async () => {
    const stub = await bff(200);
    const grant = await mintSession(deps(stub.origin, null).http, 'pk_acme');
    expect(grant.sessionId).toBe('s-new');
    expect(stub.requests.map((r) => r.url)).toEqual(['/v1/sessions']);
  });
});

describe('fetchSessionHandle', () => {
  it('asks for a handle with the manage token', async () => {
    const stub = await bff(200);
    expect(await fetchSessionHandle(deps(stub.origin, null).http, 'mt')).toEqual({ token: 'fresh.han.dle', expiresAt: 2_900_000 });
    expect(stub.requests[0]).toMatchObject({ method: 'POST', url: '/v1/sessions/handle', headers: { authorization: 'Bearer mt' } });
  });
});
