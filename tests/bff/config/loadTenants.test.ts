import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadTenants } from '../../../src/bff/config/loadConfig.js';
import { TenantDirectory } from '../../../src/bff/config/tenantDirectory.js';

const dir = mkdtempSync(path.join(tmpdir(), 'picasso-tenants-'));
function file(content: unknown): string {
  const target = path.join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(target, typeof content === 'string' ? content : JSON.stringify(content));
  return target;
}
const tenant = { id: 'acme', embedKey: 'pk_acme_12345678', allowedOrigins: ['https://acme.example'] };

describe('loadTenants', () => {
  it('loads a valid file and defaults enabled to true', () => {
    expect(loadTenants(file({ tenants: [tenant] }))).toEqual([{ ...tenant, enabled: true }]);
  });

  it.each([
    ['not JSON', '{tenants'],
    ['no tenants', { tenants: [] }],
    ['an origin with a path', { tenants: [{ ...tenant, allowedOrigins: ['https://acme.example/app'] }] }],
    ['an origin with a trailing slash', { tenants: [{ ...tenant, allowedOrigins: ['https://acme.example/'] }] }],
    ['a wildcard origin', { tenants: [{ ...tenant, allowedOrigins: ['https://*.acme.example'] }] }],
    ['the null origin', { tenants: [{ ...tenant, allowedOrigins: ['null'] }] }],
    ['a missing embed key', { tenants: [{ id: 'acme', allowedOrigins: ['https://acme.example'] }] }],
    ['a duplicate id', { tenants: [tenant, { ...tenant, embedKey: 'pk_other_12345678' }] }],
    ['a duplicate embed key', { tenants: [tenant, { ...tenant, id: 'other' }] }],
  ])('rejects %s with a ConfigError naming TENANTS_FILE', (_name, content) => {
    expect(() => loadTenants(file(content))).toThrow(ConfigError);
    expect(() => loadTenants(file(content))).toThrow(/TENANTS_FILE/);
  });
});

describe('TenantDirectory', () => {
  const directory = new TenantDirectory([
    { ...tenant, enabled: true },
    { id: 'off', embedKey: 'pk_off_12345678', allowedOrigins: ['https://off.example'], enabled: false },
  ]);

  it('finds enabled tenants by embed key and by id', () => {
    expect(directory.byEmbedKey('pk_acme_12345678')?.id).toBe('acme');
    expect(directory.get('acme')?.embedKey).toBe('pk_acme_12345678');
  });

  it('hides disabled and unknown tenants', () => {
    expect(directory.byEmbedKey('pk_off_12345678')).toBeUndefined();
    expect(directory.get('off')).toBeUndefined();
    expect(directory.byEmbedKey('acme')).toBeUndefined();
  });
});
