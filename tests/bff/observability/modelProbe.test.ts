import { describe, expect, it } from 'vitest';
import { bedrockOrigin, createModelProbe } from '../../../src/bff/observability/modelProbe.js';

function fakeFetch(outcomes: Array<'answer' | 'fail'>) {
  const calls: string[] = [];
  const fn = (async (input: string | URL | Request) => {
    calls.push(String(input));
    const next = outcomes.shift() ?? 'answer';
    if (next === 'fail') throw new TypeError('fetch failed');
    return new Response('not found', { status: 404 });
  }) as typeof fetch;
  return { fn, calls };
}

describe('createModelProbe', () => {
  it('counts any HTTP answer, even a 404, as reachable, without invoking a model', async () => {
    const { fn, calls } = fakeFetch(['answer']);
    await expect(createModelProbe({ origin: 'http://model.test', fetchFn: fn })()).resolves.toBeUndefined();
    expect(calls).toEqual(['http://model.test']);
  });

  it('rejects when the endpoint cannot be reached', async () => {
    const { fn } = fakeFetch(['fail']);
    await expect(createModelProbe({ origin: 'http://model.test', fetchFn: fn })()).rejects.toThrow(/unreachable/);
  });

  it('asks the endpoint at most once per cache period, and again after it', async () => {
    let now = 1_000;
    const { fn, calls } = fakeFetch(['answer', 'fail']);
    const probe = createModelProbe({ origin: 'http://model.test', fetchFn: fn, clock: () => now, cacheMs: 30_000 });
    await probe();
    now += 29_999;
    await probe();
    expect(calls).toHaveLength(1);
    now += 1;
    await expect(probe()).rejects.toThrow();
    expect(calls).toHaveLength(2);
  });

  it('shares one request between concurrent probes and reports the result on the gauge', async () => {
    const { fn, calls } = fakeFetch(['answer']);
    const values: number[] = [];
    const probe = createModelProbe({ origin: 'http://model.test', fetchFn: fn, gauge: { set: (v: number) => void values.push(v) } });
    await Promise.all([probe(), probe(), probe()]);
    expect(calls).toHaveLength(1);
    expect(values.every((v) => v === 1)).toBe(true);
  });

  it('targets the regional Bedrock runtime endpoint for aws', () => {
    expect(bedrockOrigin('eu-central-1')).toBe('https://bedrock-runtime.eu-central-1.amazonaws.com');
  });
});
