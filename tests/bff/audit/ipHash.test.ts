import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/bff/config/loadConfig.js';
import { hashIp, resolveIpSalt } from '../../../src/bff/audit/ipHash.js';

const SALT = 's'.repeat(32);

describe('hashIp', () => {
  it('is a keyed hash: another salt gives another value, and the address itself is not in it', () => {
    const one = hashIp(SALT, '203.0.113.7');
    expect(one).toMatch(/^[0-9a-f]{64}$/);
    expect(one).not.toContain('203.0.113.7');
    expect(hashIp('t'.repeat(32), '203.0.113.7')).not.toBe(one);
  });

  it('treats an IPv4-mapped IPv6 address as the IPv4 address it carries', () => {
    expect(hashIp(SALT, '::ffff:203.0.113.7')).toBe(hashIp(SALT, '203.0.113.7'));
    expect(hashIp(SALT, '203.0.113.8')).not.toBe(hashIp(SALT, '203.0.113.7'));
  });
});

describe('resolveIpSalt', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'picasso-salt-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('uses AUDIT_IP_SALT when set', () => {
    expect(resolveIpSalt({ env: { AUDIT_IP_SALT: SALT }, dataDir: dataDir(), production: true })).toBe(SALT);
  });

  it('refuses a short AUDIT_IP_SALT, and a production start without one', () => {
    expect(() => resolveIpSalt({ env: { AUDIT_IP_SALT: 'short' }, dataDir: dataDir(), production: false })).toThrow(ConfigError);
    expect(() => resolveIpSalt({ env: {}, dataDir: dataDir(), production: true })).toThrow(ConfigError);
  });

  it('outside production creates one salt in DATA_DIR that every later process reads back', () => {
    const dir = dataDir();
    const first = resolveIpSalt({ env: {}, dataDir: dir, production: false });
    const second = resolveIpSalt({ env: {}, dataDir: dir, production: false });
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(second).toBe(first);
    expect(readFileSync(path.join(dir, 'audit-ip-salt'), 'utf8')).toBe(first);
    expect(resolveIpSalt({ env: {}, dataDir: dataDir(), production: false })).not.toBe(first);
  });
});
