import { createPublicKey } from 'node:crypto';
import { exportJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otherPurpose, TOKEN_TYP, type TokenPurpose } from '../../src/bff/auth/tokenPolicy.js';
import { attackerKeyPair, forgeToken, genuineClaims, genuineHeader, tamperClaims, unsecuredToken, type ForgeOptions } from '../support/forgeToken.js';
import { createSession } from '../support/sseClient.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { ACME_KEY, bearer, countingServer, expectRefused, modelCalls, storedConversationItems, type Refusal } from './support/attackKit.js';
import { drain, TOKEN_ROUTES, type TokenRoute } from './support/tokenRoutes.js';

let stack: TestStack;
let sessionId: string;
let attacker: { privateKey: CryptoKey; publicJwk: JWK };

beforeAll(async () => {
  stack = await startTestStack();
  const session = await createSession(stack.url, ACME_KEY);
  expect(session.status).toBe(201);
  sessionId = session.body.sessionId;
  const pair = await attackerKeyPair();
  attacker = { privateKey: pair.privateKey, publicJwk: await exportJWK(pair.publicKey) };
});
afterAll(async () => stack?.close());

const subject = (purpose: TokenPurpose) => ({ issuer: stack.config.publicOrigin, tenantId: 'acme', sessionId, purpose });
const realSigner = () => stack.runtime.keys.signer();
/** A token signed with the stack's own key, with only the given properties changed. */
const withRealKey = (purpose: TokenPurpose, options: ForgeOptions = {}) => forgeToken(realSigner(), subject(purpose), options);
const nowS = () => Math.floor(Date.now() / 1000);

/** Sends `tokenFor(route)` as a Bearer token to every token route and proves each one refused it. */
async function expectRefusedEverywhere(tokenFor: (route: TokenRoute) => Promise<string>, refusal: Refusal): Promise<void> {
  const stored = await storedConversationItems(stack);
  const calls = modelCalls(stack);
  for (const route of TOKEN_ROUTES) {
    const response = await route.call(stack.url, bearer(await tokenFor(route)));
    await expectRefused(response, refusal, route.name);
  }
  expect(modelCalls(stack), 'model invocations').toBe(calls);
  expect(await storedConversationItems(stack), 'stored conversation items').toBe(stored);
}

function publicKeyOfSigner(): JWK {
  const jwk = stack.runtime.keys.jwks().keys.find((key) => key.kid === realSigner().kid);
  if (!jwk) throw new Error('the signing key is not published');
  return jwk;
}

describe('forged and broken purpose tokens are refused on every token route', () => {
  it('control: a token built by the forging helper with nothing changed is accepted everywhere', async () => {
    for (const route of TOKEN_ROUTES) {
      const response = await route.call(stack.url, bearer(await withRealKey(route.purpose)));
      await drain(response);
      expect(response.status, route.name).toBe(route.acceptedStatus);
    }
  });

  it('refuses alg "none" with an empty signature', async () => {
    await expectRefusedEverywhere(
      async (route) => unsecuredToken({ ...genuineHeader(realSigner().kid, route.purpose), alg: 'none' }, genuineClaims(subject(route.purpose))),
      'invalid',
    );
  });

  it('refuses HS256 tokens keyed with the public key (JWK JSON, x||y, SPKI DER, PEM)', async () => {
    const jwk = publicKeyOfSigner();
    const publicKey = createPublicKey({ key: jwk as Parameters<typeof createPublicKey>[0] & object, format: 'jwk' });
    const decode = (part: string | undefined) => Buffer.from(part ?? '', 'base64url');
    const secrets: Uint8Array[] = [
      new TextEncoder().encode(JSON.stringify(jwk)),
      Buffer.concat([decode(jwk.x), decode(jwk.y)]),
      publicKey.export({ type: 'spki', format: 'der' }),
      new TextEncoder().encode(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    ];
    for (const secret of secrets) {
      await expectRefusedEverywhere(
        (route) => forgeToken({ kid: realSigner().kid, key: secret }, subject(route.purpose), { header: { alg: 'HS256' } }),
        'invalid',
      );
    }
  });

  it('refuses a genuine token whose tid (or sub) was changed after signing', async () => {
    await expectRefusedEverywhere(async (route) => tamperClaims(await withRealKey(route.purpose), { tid: 'bayside' }), 'invalid');
    await expectRefusedEverywhere(async (route) => tamperClaims(await withRealKey(route.purpose), { sub: crypto.randomUUID() }), 'invalid');
  });

  it('refuses an expired token signed with the real key', async () => {
    // Issued 11 minutes ago with the usual 5-minute lifetime: younger than the 15-minute max age.
    await expectRefusedEverywhere((route) => withRealKey(route.purpose, { nowMs: Date.now() - 660_000 }), 'invalid');
  });

  it('refuses a token whose nbf is in the future', async () => {
    await expectRefusedEverywhere((route) => withRealKey(route.purpose, { claims: { nbf: nowS() + 120 } }), 'invalid');
  });

  it('refuses a token issued in the future or older than the maximum token age', async () => {
    await expectRefusedEverywhere((route) => withRealKey(route.purpose, { claims: { iat: nowS() + 3600 } }), 'invalid');
    await expectRefusedEverywhere(
      (route) => withRealKey(route.purpose, { claims: { iat: nowS() - 1000, nbf: nowS() - 1000, exp: nowS() + 60 } }),
      'invalid',
    );
  });

  for (const claim of ['exp', 'jti', 'tid', 'sub', 'pur', 'iat', 'nbf']) {
    it(`refuses a token without ${claim}`, async () => {
      await expectRefusedEverywhere((route) => withRealKey(route.purpose, { claims: { [claim]: undefined } }), 'invalid');
    });
  }

  it('refuses empty or non-string tid, sub and jti', async () => {
    for (const claims of [{ tid: '' }, { sub: '' }, { jti: '' }, { tid: ['acme'] }, { tid: 42 }]) {
      await expectRefusedEverywhere((route) => withRealKey(route.purpose, { claims }), 'invalid');
    }
  });

  it('refuses a token of another issuer or audience', async () => {
    await expectRefusedEverywhere((route) => withRealKey(route.purpose, { claims: { iss: 'https://evil.example' } }), 'invalid');
    await expectRefusedEverywhere((route) => withRealKey(route.purpose, { claims: { aud: stack.config.publicOrigin } }), 'invalid');
  });

  it('refuses a token whose typ and pur name different purposes', async () => {
    await expectRefusedEverywhere(
      (route) => withRealKey(route.purpose, { header: { typ: TOKEN_TYP[otherPurpose(route.purpose)] } }),
      'invalid',
    );
    await expectRefusedEverywhere((route) => withRealKey(route.purpose, { claims: { pur: otherPurpose(route.purpose) } }), 'invalid');
  });

  it('refuses a genuine token of the other purpose with 403 insufficient_scope', async () => {
    await expectRefusedEverywhere((route) => withRealKey(otherPurpose(route.purpose)), 'wrong_purpose');
  });

  it('refuses an unknown kid, a missing kid and path-like or prototype kids', async () => {
    for (const kid of ['no-such-key', '../../etc/passwd', '/dev/null', 'file:///dev/null', '__proto__', 'constructor']) {
      await expectRefusedEverywhere((route) => withRealKey(route.purpose, { header: { kid } }), 'invalid');
    }
    await expectRefusedEverywhere((route) => withRealKey(route.purpose, { header: { kid: undefined } }), 'invalid');
  });

  it('refuses a token signed by a different ES256 key that carries the real kid', async () => {
    await expectRefusedEverywhere(
      (route) => forgeToken({ kid: realSigner().kid, key: attacker.privateKey }, subject(route.purpose)),
      'invalid',
    );
  });

  it('refuses jku and x5u headers and never fetches the URL they name', async () => {
    const jwks = await countingServer(JSON.stringify({ keys: [{ ...attacker.publicJwk, kid: 'attacker', alg: 'ES256', use: 'sig' }] }));
    try {
      for (const param of ['jku', 'x5u']) {
        for (const kid of ['attacker', realSigner().kid]) {
          await expectRefusedEverywhere(
            (route) => forgeToken({ kid, key: attacker.privateKey }, subject(route.purpose), { header: { [param]: `${jwks.url}/keys.json` } }),
            'invalid',
          );
        }
        // The same header on a token signed with the real key: refused for the header alone.
        await expectRefusedEverywhere((route) => withRealKey(route.purpose, { header: { [param]: `${jwks.url}/keys.json` } }), 'invalid');
      }
      expect(jwks.requests()).toBe(0);
    } finally {
      await jwks.close();
    }
  });

  it('refuses an embedded jwk or x5c header carrying the signer\'s own key', async () => {
    const fakeCertificate = Buffer.from('not really a certificate').toString('base64');
    for (const header of [{ jwk: attacker.publicJwk }, { x5c: [fakeCertificate] }]) {
      await expectRefusedEverywhere(
        (route) => forgeToken({ kid: realSigner().kid, key: attacker.privateKey }, subject(route.purpose), { header }),
        'invalid',
      );
      await expectRefusedEverywhere((route) => withRealKey(route.purpose, { header }), 'invalid');
    }
  });

  it('refuses garbage and over-long tokens with 401, not 5xx', async () => {
    const padded = (route: TokenRoute) => withRealKey(route.purpose, { claims: { pad: 'x'.repeat(4000) } });
    const garbage = ['not-a-token', 'a.b.c', 'a.b', 'a.b.c.d', '...', 'eyJhbGciOiJFUzI1NiJ9.e30.', 'x'.repeat(5000), `${'a'.repeat(2000)}.${'b'.repeat(2000)}.${'c'.repeat(1000)}`];
    for (const token of garbage) await expectRefusedEverywhere(async () => token, 'invalid');
    // Validly signed by the real key, yet longer than any token the service mints.
    const long = await padded(TOKEN_ROUTES[0]!);
    expect(long.length).toBeGreaterThan(4096);
    await expectRefusedEverywhere(padded, 'invalid');
  });
});
