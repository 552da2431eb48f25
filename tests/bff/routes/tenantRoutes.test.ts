import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantDirectory } from '../../../src/bff/config/tenantDirectory.js';
import type { Tenant } from '../../../src/bff/config/tenant.js';
import { tenantRoutes } from '../../../src/bff/routes/tenantRoutes.js';
import { startTestStack, type TestStack } from '../../support/testStack.js';
import { serve, type TestServer } from '../http/testServer.js';

const tenants: Tenant[] = [
  { id: 'acme', embedKey: 'pk_acme_unit_111111', allowedOrigins: ['https://acme.example', 'http://localhost:3001'], enabled: true },
  { id: 'bayside', embedKey: 'pk_bayside_unit_2222', allowedOrigins: ['https://bayside.example'], enabled: true },
  { id: 'closed', embedKey: 'pk_closed_unit_33333', allowedOrigins: ['https://closed.example'], enabled: false },
];

let server: TestServer;
beforeAll(async () => {
  server = await serve((app) => app.use(tenantRoutes({ tenants: new TenantDirectory(tenants) })));
});
afterAll(async () => server.close());

const status = (embedKey: string, origin?: string) =>
  fetch(`${server.url}/v1/tenants/${encodeURIComponent(embedKey)}`, { headers: origin === undefined ? {} : { origin } });

async function expectRefusal(response: Response, httpStatus: number, code: string): Promise<void> {
  expect(response.status).toBe(httpStatus);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
}

describe('GET /v1/tenants/:embedKey', () => {
  it("answers an enabled tenant asked from one of its own origins with an empty script, cacheable for a minute per Origin", async () => {
    for (const origin of ['https://acme.example', 'HTTP://LOCALHOST:3001']) {
      const response = await status('pk_acme_unit_111111', origin);
      expect(response.status, origin).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(response.headers.get('cache-control')).toBe('public, max-age=60');
      expect(response.headers.get('vary')).toMatch(/Origin/);
      const body = await response.text();
      // As a script it must run and do nothing: it is only a yes.
      expect(() => new Function(body)()).not.toThrow();
      expect(body.replace(/\/\/.*$/gm, '').trim()).toBe('');
    }
  });

  it('answers without Origin (not a cross-origin page) for the tenant alone', async () => {
    expect((await status('pk_acme_unit_111111')).status).toBe(200);
  });

  it('answers an unknown or disabled tenant 404 tenant_not_found', async () => {
    await expectRefusal(await status('pk_nobody_unit_0000', 'https://acme.example'), 404, 'tenant_not_found');
    await expectRefusal(await status('pk_closed_unit_33333', 'https://closed.example'), 404, 'tenant_not_found');
    await expectRefusal(await status('pk_closed_unit_33333'), 404, 'tenant_not_found');
    await expectRefusal(await status('../../loader.js'), 404, 'tenant_not_found');
    await expectRefusal(await status('x'.repeat(5000)), 404, 'tenant_not_found');
  });

  it("answers a page of another tenant, a look-alike or an opaque origin 403 origin_not_allowed", async () => {
    for (const origin of ['https://bayside.example', 'https://acme.example.evil.com', 'http://acme.example', 'null']) {
      await expectRefusal(await status('pk_acme_unit_111111', origin), 403, 'origin_not_allowed');
    }
  });
});

describe('GET /v1/tenants/:embedKey in the app (CORS, as the loader\'s <script crossorigin> needs it)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ tokenDelayMs: 0 });
  }, 20_000);
  afterAll(async () => stack?.close());

  it("lets the tenant's page read the answer, and gives another site's page nothing it could read", async () => {
    const allowed = await fetch(`${stack.url}/v1/tenants/pk_acme_test_111111`, { headers: { origin: 'http://host.test' } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://host.test');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const elsewhere = await fetch(`${stack.url}/v1/tenants/pk_acme_test_111111`, { headers: { origin: 'https://evil.example' } });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    const disabled = await fetch(`${stack.url}/v1/tenants/pk_closed_test_333333`, { headers: { origin: 'https://closed.example' } });
    expect(disabled.status).toBe(404);
  });
});
