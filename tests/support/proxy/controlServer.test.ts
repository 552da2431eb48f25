import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startControlServer, type ControlServer } from './controlServer.js';
import { startFaultProxy, type FaultProxy } from './faultProxy.js';
import { startTestOrigin, viaProxy, type TestOrigin } from './testOrigin.js';

let origin: TestOrigin;
let proxy: FaultProxy;
let control: ControlServer;

beforeEach(async () => {
  origin = await startTestOrigin();
  proxy = await startFaultProxy();
  control = await startControlServer(proxy);
});

afterEach(async () => {
  await control.close();
  await proxy.close();
  await origin.close();
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${control.url}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('fault proxy control endpoint', () => {
  it('sets a scoped stall and a throttle, reports them, and lifts them on restore', async () => {
    expect((await call('POST', '/faults/stall', { hosts: ['bff.test'] })).status).toBe(200);
    const throttled = await call('POST', '/faults/throttle', { bytesPerSecond: 50_000, latencyMs: 400 });
    expect(throttled.json).toMatchObject({ faults: { stall: { hosts: ['bff.test'] }, throttle: { bytesPerSecond: 50_000, latencyMs: 400, hosts: null } } });
    expect(proxy.faults().stall).toEqual({ hosts: ['bff.test'] });
    const restored = await call('POST', '/faults/restore');
    expect(restored.json).toEqual({ faults: { block: null, stall: null, throttle: null, coalesce: null } });
  });

  it('still answers while the proxy blocks every host, so the outage can be lifted remotely', async () => {
    await call('POST', '/faults/block', { duration: 'until-restore' });
    await expect(viaProxy(proxy.port, `http://bff.test:${origin.port}/hello`)).rejects.toThrow();
    expect((await call('GET', '/faults')).json).toMatchObject({ faults: { block: { until: 'restore', hosts: null } } });
    await call('POST', '/faults/restore');
    expect((await viaProxy(proxy.port, `http://bff.test:${origin.port}/hello`)).status).toBe(200);
  });

  it('counts requests by method and path, and resets the counters', async () => {
    await viaProxy(proxy.port, `http://bff.test:${origin.port}/echo`, { method: 'POST', body: 'x' });
    await viaProxy(proxy.port, `http://bff.test:${origin.port}/hello`);
    const counted = await call('GET', '/requests?method=POST&path=/echo');
    expect(counted.json.count).toBe(1);
    expect(counted.json.requests).toMatchObject([{ method: 'POST', host: 'bff.test', path: '/echo', outcome: 'forwarded' }]);
    await call('POST', '/requests/reset');
    expect((await call('GET', '/requests')).json.count).toBe(0);
  });

  it('cuts open connections on request and says how many', async () => {
    expect((await call('POST', '/faults/cut', {})).json).toEqual({ cut: 0 });
  });

  it('answers bad input with a 4xx JSON error code and changes nothing', async () => {
    const bad = await call('POST', '/faults/throttle', { bytesPerSecond: 0, latencyMs: 10 });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { code: 'bad_request' } });
    expect((await call('POST', '/faults/block', { duration: 'forever' })).status).toBe(400);
    expect((await call('POST', '/faults/stall', { hosts: 'bff.test' })).status).toBe(400);
    expect((await call('GET', '/faults/stall')).json).toMatchObject({ error: { code: 'method_not_allowed' } });
    expect((await call('GET', '/nowhere')).status).toBe(404);
    const raw = await fetch(`${control.url}/faults/stall`, { method: 'POST', body: '{not json' });
    expect(raw.status).toBe(400);
    expect(proxy.faults()).toEqual({ block: null, stall: null, throttle: null, coalesce: null });
  });
});
