import { createPublicKey } from 'node:crypto';
import { exportJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otherPurpose, TOKEN_TYP, type TokenPurpose } from '../../src/bff/auth/tokenPolicy.js';
import { attackerKeyPair, forgeToken, genuineClaims, genuineHeader, tamperClaims, unsecuredToken, type ForgeOptions } from '../support/forgeToken.js';
import { createSession } from '../support/sseClient.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { ACME_KEY, bearer, countingServer, expectRefused, modelCalls, settleStorage, storedConversationItems, type Refusal } from './support/attackKit.js';
import { drain, TOKEN_ROUTES, type TokenRoute } from './support/tokenRoutes.js';

let stack: TestStack;
let sessionId: string;
let attacker: { privateKey: CryptoKey; publicJwk: JWK };

beforeAll(async () => {
  stack = await startTestStack({ tokenDelayMs: 0 });
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

type TokenFor = (route: TokenRoute) => Promise<string>;

/**
 * Sends each variant's token as a Bearer token to every token route and proves each one refused
 * it, without invoking the model or changing what is stored.
 */
async function expectRefusedEverywhere(refusal: Refusal, ...variants: TokenFor[]): Promise<void> {
  const stored = await storedConversationItems(stack);
  const calls = modelCalls(stack);
  for (const [index, tokenFor] of variants.entries()) {
    for (const route of TOKEN_ROUTES) {
      const response = await route.call(stack.url, bearer(await tokenFor(route)));
      await expectRefused(response, refusal, `variant ${index}: ${route.name}`);
    }
  }
  expect(modelCalls(stack), 'model invocations').toBe(calls);
  expect(await storedConversationItems(stack), 'stored conversation items').toBe(stored);
}

function publicKeyOfSigner(): JWK {
  const jwk = stack.runtime.keys.jwks().keys.find((key) => key.kid === realSigner().kid);
  if (!jwk) throw new Error('the signing key is not published');
  return jwk;
}

describe('forged and broken purpose tokens are refused on every token route', { timeout: 20_000 }, () => {
  it('control: a token built by the forging helper with nothing changed is accepted everywhere', async () => {
    for (const route of TOKEN_ROUTES) {
      const response = await route.call(stack.url, bearer(await withRealKey(route.purpose)));
      await drain(response);
      expect(response.status, route.name).toBe(route.acceptedStatus);
    }
    await settleStorage(stack);
  });

  it('refuses alg "none" with an empty signature', async () => {
    await expectRefusedEverywhere('invalid', async (route) =>
      unsecuredToken({ ...genuineHeader(realSigner().kid, route.purpose), alg: 'none' }, genuineClaims(subject(route.purpose))),
    );
  });

  it('refuses HS256 tokens keyed with the public key (JWK JSON, x||y, SPKI DER, PEM)', async () => {
    const jwk = publicKeyOfSigner();
    const publicKey = createPublicKey({ key: { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });
    const decode = (part: string | undefined) => Buffer.from(part ?? '', 'base64url');
    const secrets: Uint8Array[] = [
      new TextEncoder().encode(JSON.stringify(jwk)),
      Buffer.concat([decode(jwk.x), decode(jwk.y)]),
      publicKey.export({ type: 'spki', format: 'der' }),
      new TextEncoder().encode(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    ];
    await expectRefusedEverywhere(
      'invalid',
      ...secrets.map((secret): TokenFor => (route) => forgeToken({ kid: realSigner().kid, key: secret }, subject(route.purpose), { header: { alg: 'HS256' } })),
    );
  });

  it('refuses a genuine token whose tid (or sub) was changed after signing', async () => {
    await expectRefusedEverywhere(
      'invalid',
      async (route) => tamperClaims(await withRealKey(route.purpose), { tid: 'bayside' }),
      async (route) => tamperClaims(await withRealKey(route.purpose), { sub: crypto.randomUUID() }),
    );
  });

  it('refuses an expired token signed with the real key', async () => {
    // Issued 11 minutes ago with the usual 5-minute lifetime: younger than the 15-minute max age.
    await expectRefusedEverywhere('invalid', (route) => withRealKey(route.purpose, { nowMs: Date.now() - 660_000 }));
  });

  it('refuses a token whose nbf is in the future', async () => {
    await expectRefusedEverywhere('invalid', (route) => withRealKey(route.purpose, { claims: { nbf: nowS() + 120 } }));
  });

  it('refuses a token issued in the future or older than the maximum token age', async () => {
    await expectRefusedEverywhere(
      'invalid',
      (route) => withRealKey(route.purpose, { claims: { iat: nowS() + 3600 } }),
      (route) => withRealKey(route.purpose, { claims: { iat: nowS() - 1000, nbf: nowS() - 1000, exp: nowS() + 60 } }),
    );
  });

  for (const claim of ['exp', 'jti', 'tid', 'sub', 'pur', 'iat', 'nbf']) {
    it(`refuses a token without ${claim}`, async () => {
      await expectRefusedEverywhere('invalid', (route) => withRealKey(route.purpose, { claims: { [claim]: undefined } }));
    });
  }

  it('refuses empty or non-string tid, sub and jti', async () => {
    const variants = [{ tid: '' }, { sub: '' }, { jti: '' }, { tid: ['acme'] }, { tid: 42 }];
    await expectRefusedEverywhere('invalid', ...variants.map((claims): TokenFor => (route) => withRealKey(route.purpose, { claims })));
  });

  it('refuses a token of another issuer or audience', async () => {
    await expectRefusedEverywhere(
      'invalid',
      (route) => withRealKey(route.purpose, { claims: { iss: 'https://evil.example' } }),
      (route) => withRealKey(route.purpose, { claims: { aud: stack.config.publicOrigin } }),
    );
  });

  it('refuses a token whose typ and pur name different purposes', async () => {
    await expectRefusedEverywhere(
      'invalid',
      (route) => withRealKey(route.purpose, { header: { typ: TOKEN_TYP[otherPurpose(route.purpose)] } }),
      (route) => withRealKey(route.purpose, { claims: { pur: otherPurpose(route.purpose) } }),
    );
  });

  it('refuses a genuine token of the other purpose with 403 insufficient_scope', async () => {
    await expectRefusedEverywhere('wrong_purpose', (route) => withRealKey(otherPurpose(route.purpose)));
  });

  it('refuses an unknown kid, a missing kid and path-like or prototype kids', async () => {
    const kids = ['no-such-key', '../../etc/passwd', '/dev/null', 'file:///dev/null', '__proto__', 'constructor', undefined];
    await expectRefusedEverywhere('invalid', ...kids.map((kid): TokenFor => (route) => withRealKey(route.purpose, { header: { kid } })));
  });

  it('refuses a token signed by a different ES256 key that carries the real kid', async () => {
    await expectRefusedEverywhere('invalid', (route) => forgeToken({ kid: realSigner().kid, key: attacker.privateKey }, subject(route.purpose)));
  });

  it('refuses jku and x5u headers and never fetches the URL they name', async () => {
    const jwks = await countingServer(JSON.stringify({ keys: [{ ...attacker.publicJwk, kid: 'attacker', alg: 'ES256', use: 'sig' }] }));
    try {
      const variants = ['jku', 'x5u'].flatMap((param): TokenFor[] => {
        const header = { [param]: `${jwks.url}/keys.json` };
        return [
          (route) => forgeToken({ kid: 'attacker', key: attacker.privateKey }, subject(route.purpose), { header }),
          (route) => forgeToken({ kid: realSigner().kid, key: attacker.privateKey }, subject(route.purpose), { header }),
          // Signed with the real key: refused for the header alone.
          (route) => withRealKey(route.purpose, { header }),
        ];
      });
      await expectRefusedEverywhere('invalid', ...variants);
      expect(jwks.requests()).toBe(0);
    } finally {
      await jwks.close();
    }
  });

  it('refuses an embedded jwk or x5c header carrying the signer\'s own key', async () => {
    const fakeCertificate = Buffer.from('not really a certificate').toString('base64');
    const variants = [{ jwk: attacker.publicJwk }, { x5c: [fakeCertificate] }].flatMap((header): TokenFor[] => [
      (route) => forgeToken({ kid: realSigner().kid, key: attacker.privateKey }, subject(route.purpose), { header }),
      (route) => withRealKey(route.purpose, { header }),
    ]);
    await expectRefusedEverywhere('invalid', ...variants);
  });

  it('refuses garbage and over-long tokens with 401, not 5xx', async () => {
    const padded: TokenFor = (route) => withRealKey(route.purpose, { claims: { pad: 'x'.repeat(4000) } });
    const garbage = ['not-a-token', 'a.b.c', 'a.b', 'a.b.c.d', '...', 'eyJhbGciOiJFUzI1NiJ9.e30.', 'x'.repeat(5000), `${'a'.repeat(2000)}.${'b'.repeat(2000)}.${'c'.repeat(1000)}`];
    // The padded token is validly signed by the real key, yet longer than any token the service mints.
    expect((await padded(TOKEN_ROUTES[0]!)).length).toBeGreaterThan(4096);
    await expectRefusedEverywhere('invalid', ...garbage.map((token): TokenFor => async () => token), padded);
  });
});
