import http from 'node:http';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy, type FaultProxyOptions } from './faultProxy.js';
import { ManualClock } from './manualClock.js';
import { rawReadsViaProxy, startTestOrigin, streamViaProxy, viaProxy, waitFor, type TestOrigin } from './testOrigin.js';

let origin: TestOrigin;
let proxy: FaultProxy;
const bff = () => `http://bff.test:${origin.port}`;
const host = () => `http://host.test:${origin.port}`;

async function useProxy(options: FaultProxyOptions = {}) {
  await proxy?.close();
  proxy = await startFaultProxy(options);
}

beforeEach(async () => {
  origin = await startTestOrigin();
  proxy = await startFaultProxy();
});

afterEach(async () => {
  await proxy.close();
  await origin.close();
});

function tunnel(target: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: proxy.port, method: 'CONNECT', path: target, agent: false });
    req.on('connect', (res, socket) => (res.statusCode === 200 ? resolve(socket) : reject(new Error(`CONNECT ${res.statusCode}`))));
    req.on('response', (res) => reject(new Error(`CONNECT answered ${res.statusCode}`)));
    req.on('error', reject);
    req.end();
  });
}

describe('fault proxy forwarding', () => {
  it('forwards an absolute-URI request for a .test host to loopback and closes the connection after it', async () => {
    const response = await viaProxy(proxy.port, `${bff()}/hello?x=1`);
    expect(response.status).toBe(200);
    expect(response.body).toBe(`hello bff.test:${origin.port}`);
    expect(response.headers.connection).toBe('close');
    expect(origin.seen[0]).toMatchObject({ method: 'GET', url: '/hello?x=1' });
    expect(origin.seen[0]?.headers['proxy-connection']).toBeUndefined();
  });

  it('carries a request body and counts requests by method, host and path', async () => {
    const response = await viaProxy(proxy.port, `${bff()}/echo`, { method: 'POST', body: '{"a":1}' });
    await viaProxy(proxy.port, `${bff()}/echo`, { method: 'POST', body: 'second' });
    await viaProxy(proxy.port, `${host()}/echo`);
    expect(response.body).toBe('echo:{"a":1}');
    expect(proxy.count({ method: 'POST', path: '/echo' })).toBe(2);
    expect(proxy.count({ host: 'bff.test' })).toBe(2);
    expect(proxy.count({ host: 'host.test', method: 'GET' })).toBe(1);
    proxy.resetCounters();
    expect(proxy.count()).toBe(0);
  });

  it('opens a CONNECT tunnel that carries bytes both ways', async () => {
    const socket = await tunnel(`bff.test:${origin.port}`);
    socket.write(`GET /hello HTTP/1.1\r\nHost: bff.test\r\nConnection: close\r\n\r\n`);
    let text = '';
    for await (const chunk of socket) text += String(chunk);
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(text).toMatch(/hello bff\.test$/);
    expect(proxy.count({ method: 'CONNECT', host: 'bff.test' })).toBe(1);
  });

  it('refuses hosts that are neither test hosts nor pass-through hosts and forwards nothing', async () => {
    const response = await viaProxy(proxy.port, `http://example.org:${origin.port}/hello`);
    expect(response.status).toBe(403);
    await expect(tunnel(`example.org:443`)).rejects.toThrow(/403/);
    expect(origin.seen).toEqual([]);
  });

  it('forwards a pass-through host through normal name resolution', async () => {
    await useProxy({ passthroughHosts: ['localhost'] });
    const response = await viaProxy(proxy.port, `http://localhost:${origin.port}/hello`);
    expect(response.body).toBe(`hello localhost:${origin.port}`);
  });

  it('answers 400 to a request that is not addressed to a proxy', async () => {
    const response = await viaProxy(proxy.port, '/hello');
    expect(response.status).toBe(400);
  });

  it('resets the browser side and records the request as unreachable when the origin is down', async () => {
    const closedPort = origin.port;
    await origin.close();
    await expect(viaProxy(proxy.port, `http://bff.test:${closedPort}/hello`)).rejects.toThrow();
    await waitFor(() => proxy.count({ outcome: 'unreachable' }) === 1, 'unreachable record');
    expect(proxy.count()).toBe(0);
  });
});

describe('fault proxy faults', () => {
  it('cut() resets an open stream on both sides', async () => {
    const opened = origin.nextStream();
    const stream = await streamViaProxy(proxy.port, `${bff()}/stream`);
    const upstream = await opened;
    await upstream.send('1');
    await waitFor(() => stream.chunks.join('').includes('data: 1'), 'first event');
    expect(proxy.cut()).toBe(1);
    expect(await stream.ended).toBe('error');
    await upstream.closed;
    expect(proxy.openConnections()).toBe(0);
  });

  it('block(ms) refuses new connections until the outage ends on the proxy clock', async () => {
    const clock = new ManualClock();
    await useProxy({ clock });
    proxy.block(5_000);
    await expect(viaProxy(proxy.port, `${bff()}/hello`)).rejects.toThrow();
    expect(proxy.count({ outcome: 'refused' })).toBe(1);
    expect(origin.seen).toEqual([]);
    clock.advance(5_000);
    expect((await viaProxy(proxy.port, `${bff()}/hello`)).status).toBe(200);
    expect(proxy.faults().block).toBeNull();
  });

  it("block('until-restore') cuts open streams and refuses new requests until restore()", async () => {
    const opened = origin.nextStream();
    const stream = await streamViaProxy(proxy.port, `${bff()}/stream`);
    await opened;
    proxy.block('until-restore');
    expect(await stream.ended).toBe('error');
    await expect(viaProxy(proxy.port, `${bff()}/hello`)).rejects.toThrow();
    proxy.restore();
    expect((await viaProxy(proxy.port, `${bff()}/hello`)).status).toBe(200);
  });

  it('stall() keeps the connection open but moves no byte until restore(), then delivers everything in order', async () => {
    const opened = origin.nextStream();
    const stream = await streamViaProxy(proxy.port, `${bff()}/stream`);
    const upstream = await opened;
    await upstream.send('1');
    await waitFor(() => stream.chunks.join('').includes('data: 1'), 'first event');
    proxy.stall();
    await upstream.send('2');
    await upstream.send('3');
    upstream.end();
    // Absence can only be shown by waiting: long enough for loopback bytes to have arrived.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(stream.chunks.join('')).toBe('data: 1\n\n');
    expect(proxy.openConnections()).toBe(1);
    proxy.restore();
    expect(await stream.ended).toBe('end');
    expect(stream.chunks.join('')).toBe('data: 1\n\ndata: 2\n\ndata: 3\n\n');
  });

  it('throttle() delivers a body intact but in small paced pieces', async () => {
    proxy.throttle({ bytesPerSecond: 20_000, latencyMs: 20 });
    const response = await viaProxy(proxy.port, `${bff()}/bytes/4000`);
    expect(response.body).toBe('b'.repeat(4000));
    // 20 kB/s leaves in 1 kB slices, so 4 kB and the head cannot come in fewer than 5 reads.
    expect(response.reads).toBeGreaterThanOrEqual(4);
  });

  it('coalesce() merges separately written events into fewer reads on the browser side', async () => {
    proxy.coalesce(300);
    const opened = origin.nextStream();
    const reads = rawReadsViaProxy(proxy.port, `${bff()}/stream`);
    const upstream = await opened;
    for (const n of [1, 2, 3, 4, 5]) {
      await upstream.send(String(n));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    upstream.end();
    const received = await reads;
    for (const n of [1, 2, 3, 4, 5]) expect(received.join('')).toContain(`data: ${n}\n\n`);
    // Head, five events and the last chunk were written apart; they arrive within one or two ticks.
    expect(received.length).toBeLessThanOrEqual(2);
  });

  it('coalesce() leaves requests going to the origin undelayed', async () => {
    proxy.coalesce(60_000);
    const opened = origin.nextStream();
    void streamViaProxy(proxy.port, `${bff()}/stream`).catch(() => undefined);
    await opened;
    expect(origin.seen.map((request) => request.url)).toEqual(['/stream']);
  });

  it('applies a fault only to the hosts in its scope', async () => {
    const opened = origin.nextStream();
    const stream = await streamViaProxy(proxy.port, `${bff()}/stream`);
    const upstream = await opened;
    proxy.stall({ hosts: ['bff.test'] });
    await upstream.send('held');
    const other = await viaProxy(proxy.port, `${host()}/hello`);
    expect(other.body).toBe(`hello host.test:${origin.port}`);
    expect(stream.chunks.join('')).toBe('');
    await waitFor(() => proxy.openConnections() === 1, 'the finished host.test connection to close');
    expect(proxy.openConnections({ hosts: ['host.test'] })).toBe(0);
    expect(proxy.cut({ hosts: ['*.test'] })).toBe(1);
    expect(await stream.ended).toBe('error');
  });

  it('rejects nonsensical fault settings', () => {
    expect(() => proxy.throttle({ bytesPerSecond: 0, latencyMs: 0 })).toThrow(RangeError);
    expect(() => proxy.block(-1)).toThrow(RangeError);
    expect(() => proxy.coalesce(0)).toThrow(RangeError);
  });
});
