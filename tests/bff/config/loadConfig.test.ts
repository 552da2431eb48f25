import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/bff/config/loadConfig.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const load = (env: Record<string, string>) => loadConfig({ TENANTS_FILE: 'tests/fixtures/tenants.json', ...env }, ROOT);

const production = {
  NODE_ENV: 'production',
  PORT: '8080',
  PUBLIC_ORIGIN: 'https://chat.example',
  TENANTS_FILE: 'tests/fixtures/tenants.json',
  DYNAMODB_ENDPOINT: 'aws',
  BEDROCK_ENDPOINT: 'aws',
  BEDROCK_MODEL_ID: 'anthropic.claude-3-haiku-20240307-v1:0',
  AWS_REGION: 'eu-west-1',
};

describe('loadConfig', () => {
  it('applies the documented defaults outside production', () => {
    const config = load({});
    expect(config).toMatchObject({
      production: false,
      port: 3000,
      publicOrigin: 'http://localhost:3000',
      dynamodbEndpoint: { kind: 'embedded' },
      bedrockEndpoint: { kind: 'embedded' },
      awsRegion: 'us-east-1',
      tablePrefix: 'picasso-',
      tokenTtlStreamS: 300,
      tokenTtlManageS: 900,
      demoHostPort: 3001,
      heartbeatMs: 15_000,
      keepAliveMs: 65_000,
    });
    expect(config.dataDir).toBe(path.join(ROOT, '.data'));
    expect(config.tenants.map((t) => t.id)).toEqual(['acme', 'bayside', 'closed']);
  });

  it('reads the SSE heartbeat interval in seconds', () => {
    expect(load({ SSE_HEARTBEAT_S: '3' }).heartbeatMs).toBe(3000);
  });

  it('reads the idle time of client connections in seconds', () => {
    expect(load({ KEEPALIVE_TIMEOUT_S: '120' }).keepAliveMs).toBe(120_000);
  });

  it('reads URL endpoints as their origin', () => {
    const config = load({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000', BEDROCK_ENDPOINT: 'http://127.0.0.1:4010/' });
    expect(config.dynamodbEndpoint).toEqual({ kind: 'url', url: 'http://127.0.0.1:8000' });
    expect(config.bedrockEndpoint).toEqual({ kind: 'url', url: 'http://127.0.0.1:4010' });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ TOKEN_TTL_STREAM_S: '0' }, /TOKEN_TTL_STREAM_S must be 1..900/],
    [{ TOKEN_TTL_MANAGE_S: '901' }, /TOKEN_TTL_MANAGE_S must be 1..900/],
    [{ DYNAMODB_ENDPOINT: 'local' }, /DYNAMODB_ENDPOINT/],
    [{ BEDROCK_ENDPOINT: 'ftp://x' }, /BEDROCK_ENDPOINT/],
    [{ AWS_REGION: 'mars' }, /AWS_REGION/],
    [{ TENANTS_FILE: 'nope.json' }, /TENANTS_FILE/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ DEMO_HOST_PORT: '-1' }, /DEMO_HOST_PORT/],
    [{ SSE_HEARTBEAT_S: '0' }, /SSE_HEARTBEAT_S must be 1..15/],
    [{ SSE_HEARTBEAT_S: '16' }, /SSE_HEARTBEAT_S must be 1..15/],
    [{ SSE_HEARTBEAT_S: '2.5' }, /SSE_HEARTBEAT_S must be whole seconds/],
    [{ KEEPALIVE_TIMEOUT_S: '0' }, /KEEPALIVE_TIMEOUT_S must be 1..3600/],
    [{ KEEPALIVE_TIMEOUT_S: 'long' }, /KEEPALIVE_TIMEOUT_S must be whole seconds/],
  ])('stops with one message naming the variable for %j', (env, message) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(message);
  });

  it('accepts a complete production configuration and serves no demo page', () => {
    const config = loadConfig(production, ROOT);
    expect(config.production).toBe(true);
    expect(config.demoHostPort).toBe(0);
  });

  it.each(['PUBLIC_ORIGIN', 'DYNAMODB_ENDPOINT', 'BEDROCK_ENDPOINT', 'BEDROCK_MODEL_ID', 'AWS_REGION', 'TENANTS_FILE'])(
    'refuses production without %s',
    (name) => {
      const env: Record<string, string> = { ...production };
      delete env[name];
      expect(() => loadConfig(env, ROOT)).toThrow(new RegExp(`${name} is required`));
    },
  );

  it('refuses embedded parts, plain http and debug logging in production', () => {
    expect(() => loadConfig({ ...production, DYNAMODB_ENDPOINT: 'embedded' }, ROOT)).toThrow(/not allowed/);
    expect(() => loadConfig({ ...production, BEDROCK_ENDPOINT: 'embedded' }, ROOT)).toThrow(/not allowed/);
    expect(() => loadConfig({ ...production, PUBLIC_ORIGIN: 'http://chat.example' }, ROOT)).toThrow(/https/);
    expect(() => loadConfig({ ...production, LOG_LEVEL: 'debug' }, ROOT)).toThrow(/LOG_LEVEL/);
  });

  it('enables widget test hooks only with TEST_HOOKS=1, off by default', () => {
    expect(load({}).testHooks).toBe(false);
    expect(load({ TEST_HOOKS: '0' }).testHooks).toBe(false);
    expect(load({ TEST_HOOKS: '1' }).testHooks).toBe(true);
    expect(() => load({ TEST_HOOKS: 'yes' })).toThrow(ConfigError);
  });

  it('refuses TEST_HOOKS=1 in production and leaves the hooks off there otherwise', () => {
    expect(() => loadConfig({ ...production, TEST_HOOKS: '1' }, ROOT)).toThrow(/TEST_HOOKS=1 is not allowed/);
    expect(loadConfig({ ...production, TEST_HOOKS: '0' }, ROOT).testHooks).toBe(false);
  });
});
