import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/bff/observability/metrics.js';
import { timeStateOperations } from '../../../src/bff/observability/timeStateOperations.js';

describe('timeStateOperations', () => {
  const metrics = createMetrics();
  let ticks = 0n;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const app = express();
    // Each reading of the clock advances 50 ms: arrival to finish is one step.
    app.use(timeStateOperations(metrics, () => (ticks += 50_000_000n)));
    app.get('/v1/state', (_req, res) => void res.json({}));
    app.post('/v1/state/clear', (_req, res) => void res.status(503).json({}));
    app.get('/other', (_req, res) => void res.json({}));
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  const observed = async () => (await metrics.stateOperation.get()).values.filter((v) => v.metricName === 'picasso_state_operation_seconds_count');

  it('observes retrieve and clear with their outcome, and nothing else', async () => {
    await (await fetch(`${url}/v1/state`)).text();
    await (await fetch(`${url}/v1/state/clear`, { method: 'POST' })).text();
    await (await fetch(`${url}/other`)).text();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const counts = (await observed()).map((v) => ({ ...v.labels, count: v.value }));
    expect(counts).toEqual(
      expect.arrayContaining([
        { operation: 'retrieve', outcome: 'ok', count: 1 },
        { operation: 'clear', outcome: 'failed', count: 1 },
      ]),
    );
    expect(counts).toHaveLength(2);
    const sums = (await metrics.stateOperation.get()).values.filter((v) => v.metricName === 'picasso_state_operation_seconds_sum');
    for (const sum of sums) expect(sum.value).toBeCloseTo(0.05, 5);
  });
});
