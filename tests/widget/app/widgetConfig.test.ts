import { describe, expect, it } from 'vitest';
import { resolveHostOrigin } from '../../../src/widget/app/config/hostOrigin.js';
import { parseWidgetConfig } from '../../../src/widget/app/config/widgetConfig.js';

const valid = {
  v: 1,
  embedKey: 'pk_acme_demo_7f3c9a',
  tenantName: 'Acme Health',
  theme: { accent: '#0b6e4f', title: 'Acme', greeting: 'Hi' },
  allowedOrigins: ['https://host.example'],
  apiBase: '',
  heartbeatMs: 5000,
  testHooks: false,
};

describe('parseWidgetConfig', () => {
  it('reads the config the BFF injects', () => {
    expect(parseWidgetConfig(JSON.stringify(valid))).toEqual(valid);
  });

  it('refuses the unreplaced placeholder, bad JSON and other versions', () => {
    expect(parseWidgetConfig('__PICASSO_CONFIG__')).toBeNull();
    expect(parseWidgetConfig('')).toBeNull();
    expect(parseWidgetConfig(null)).toBeNull();
    expect(parseWidgetConfig(JSON.stringify({ ...valid, v: 2 }))).toBeNull();
    expect(parseWidgetConfig(JSON.stringify({ ...valid, embedKey: 5 }))).toBeNull();
  });

  it('drops an accent that is not a plain hex colour, so no CSS can be injected', () => {
    const config = parseWidgetConfig(JSON.stringify({ ...valid, theme: { accent: 'red; background: url(x)' } }));
    expect(config?.theme).toEqual({});
  });

  it('tolerates missing optional fields and strips a trailing slash from apiBase', () => {
    const config = parseWidgetConfig(JSON.stringify({ v: 1, embedKey: 'pk_x', apiBase: 'https://bff.example/' }));
    expect(config).toEqual({ v: 1, embedKey: 'pk_x', tenantName: '', theme: {}, allowedOrigins: [], apiBase: 'https://bff.example', heartbeatMs: 15_000, testHooks: false });
  });

  it('takes the heartbeat interval only within the 1..15 s the BFF can send, else the 15 s of the contract', () => {
    const heartbeat = (value: unknown) => parseWidgetConfig(JSON.stringify({ v: 1, embedKey: 'pk_x', heartbeatMs: value }))?.heartbeatMs;
    expect(heartbeat(1000)).toBe(1000);
    expect(heartbeat(15_000)).toBe(15_000);
    expect(heartbeat(999)).toBe(15_000);
    expect(heartbeat(60_000)).toBe(15_000);
    expect(heartbeat(2500.5)).toBe(15_000);
    expect(heartbeat('5000')).toBe(15_000);
  });

  it('turns test hooks on only for a literal true', () => {
    expect(parseWidgetConfig(JSON.stringify({ v: 1, embedKey: 'pk_x', testHooks: true }))?.testHooks).toBe(true);
    expect(parseWidgetConfig(JSON.stringify({ v: 1, embedKey: 'pk_x', testHooks: 'true' }))?.testHooks).toBe(false);
    expect(parseWidgetConfig(JSON.stringify({ v: 1, embedKey: 'pk_x', testHooks: 1 }))?.testHooks).toBe(false);
  });
});

describe('resolveHostOrigin', () => {
  const allowed = ['https://host.example', 'http://127.0.0.1:3001'];

  it('trusts a host that is exactly one of the allowed origins', () => {
    expect(resolveHostOrigin('?tenant=pk&host=https%3A%2F%2Fhost.example', allowed, null)).toBe('https://host.example');
  });

  it('refuses a host that is not listed, or only resembles a listed one', () => {
    expect(resolveHostOrigin('?host=https%3A%2F%2Fevil.example', allowed, null)).toBeNull();
    expect(resolveHostOrigin('?host=https%3A%2F%2Fhost.example%2F', allowed, null)).toBeNull();
    expect(resolveHostOrigin('?host=https%3A%2F%2Fhost.example.evil.example', allowed, null)).toBeNull();
    expect(resolveHostOrigin('?tenant=pk', allowed, null)).toBeNull();
  });

  it('refuses a host the browser says is not the real embedder', () => {
    expect(resolveHostOrigin('?host=https%3A%2F%2Fhost.example', allowed, ['https://evil.example'])).toBeNull();
    expect(resolveHostOrigin('?host=https%3A%2F%2Fhost.example', allowed, ['https://host.example'])).toBe('https://host.example');
  });
});
