import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Config, Endpoint } from './config.js';
import { tenantsFileSchema, type Tenant } from './tenant.js';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const port = (name: string) =>
  z.coerce.number({ error: `${name} must be a port number` }).int().min(0).max(65535);

const ttl = (name: string) =>
  z.coerce.number({ error: `${name} must be a number of seconds` }).int().min(1, `${name} must be 1..900`).max(900, `${name} must be 1..900`);

// The contract asks for a heartbeat at least every 15 s; shorter suits proxies with short idle timeouts.
const heartbeatSeconds = z.coerce
  .number({ error: 'SSE_HEARTBEAT_S must be whole seconds, 1..15' })
  .int('SSE_HEARTBEAT_S must be whole seconds, 1..15')
  .min(1, 'SSE_HEARTBEAT_S must be 1..15')
  .max(15, 'SSE_HEARTBEAT_S must be 1..15');

// Behind a load balancer the BFF must keep an idle connection open longer than the balancer does
// (an ALB's idle timeout is 60 s by default); otherwise the balancer can send a request on a
// connection the BFF is closing and answer the client 502.
const keepAliveSeconds = z.coerce
  .number({ error: 'KEEPALIVE_TIMEOUT_S must be whole seconds, 1..3600' })
  .int('KEEPALIVE_TIMEOUT_S must be whole seconds, 1..3600')
  .min(1, 'KEEPALIVE_TIMEOUT_S must be 1..3600')
  .max(3600, 'KEEPALIVE_TIMEOUT_S must be 1..3600');

function parseEndpoint(name: string, raw: string): Endpoint {
  if (raw === 'embedded') return { kind: 'embedded' };
  if (raw === 'aws') return { kind: 'aws' };
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return { kind: 'url', url: url.origin };
  } catch {
    // fall through to the error below
  }
  throw new ConfigError(`${name} must be "embedded", "aws" or an http(s) URL, got "${raw}"`);
}

function pick<T>(name: string, schema: z.ZodType<T>, raw: string | undefined): T {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(`${name}: ${issue?.message ?? 'invalid value'} (got "${raw}")`);
  }
  return result.data;
}

export function loadTenants(file: string): Tenant[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`TENANTS_FILE: cannot read ${file}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`TENANTS_FILE: ${file} is not valid JSON`);
  }
  const parsed = tenantsFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`TENANTS_FILE: ${file}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`);
  }
  const seen = new Set<string>();
  for (const tenant of parsed.data.tenants) {
    for (const key of [`id:${tenant.id}`, `key:${tenant.embedKey}`]) {
      if (seen.has(key)) throw new ConfigError(`TENANTS_FILE: duplicate tenant ${key}`);
      seen.add(key);
    }
  }
  return parsed.data.tenants;
}

/**
 * Reads and validates every setting once, at start. Any bad value throws one ConfigError naming
 * the variable, so a misconfigured process stops before it accepts a request.
 */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const production = env.NODE_ENV === 'production';
  const required = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') throw new ConfigError(`${name} is required when NODE_ENV=production`);
    return value;
  };
  const setting = (name: string, fallback: string): string => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    return production ? required(name) : fallback;
  };

  const portNumber = pick('PORT', port('PORT'), env.PORT ?? '3000');
  const publicOrigin = parseEndpoint('PUBLIC_ORIGIN', setting('PUBLIC_ORIGIN', `http://localhost:${portNumber}`));
  if (publicOrigin.kind !== 'url') throw new ConfigError('PUBLIC_ORIGIN must be an http(s) origin');
  const dynamodbEndpoint = parseEndpoint('DYNAMODB_ENDPOINT', setting('DYNAMODB_ENDPOINT', 'embedded'));
  const bedrockEndpoint = parseEndpoint('BEDROCK_ENDPOINT', setting('BEDROCK_ENDPOINT', 'embedded'));
  if (production) {
    if (dynamodbEndpoint.kind === 'embedded') throw new ConfigError('DYNAMODB_ENDPOINT=embedded is not allowed when NODE_ENV=production');
    if (bedrockEndpoint.kind === 'embedded') throw new ConfigError('BEDROCK_ENDPOINT=embedded is not allowed when NODE_ENV=production');
    if (!publicOrigin.url.startsWith('https://')) throw new ConfigError('PUBLIC_ORIGIN must be https when NODE_ENV=production');
  }

  const tenantsFile = path.resolve(cwd, setting('TENANTS_FILE', 'config/tenants.json'));
  const logLevel = pick(
    'LOG_LEVEL',
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'LOG_LEVEL must be fatal|error|warn|info|debug|trace|silent' }),
    env.LOG_LEVEL ?? 'info',
  );
  if (production && (logLevel === 'debug' || logLevel === 'trace')) {
    throw new ConfigError('LOG_LEVEL=debug/trace is not allowed when NODE_ENV=production');
  }

  const testHooks = pick('TEST_HOOKS', z.enum(['0', '1'], { error: 'TEST_HOOKS must be 0 or 1' }), env.TEST_HOOKS || '0') === '1';
  if (production && testHooks) throw new ConfigError('TEST_HOOKS=1 is not allowed when NODE_ENV=production');

  return {
    production,
    testHooks,
    port: portNumber,
    publicOrigin: publicOrigin.url,
    tenantsFile,
    tenants: loadTenants(tenantsFile),
    dynamodbEndpoint,
    bedrockEndpoint,
    bedrockModelId: pick('BEDROCK_MODEL_ID', z.string().min(1).max(200), setting('BEDROCK_MODEL_ID', 'picasso.demo-model-v1')),
    awsRegion: pick('AWS_REGION', z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'AWS_REGION must look like us-east-1'), setting('AWS_REGION', 'us-east-1')),
    tablePrefix: pick('TABLE_PREFIX', z.string().regex(/^[A-Za-z0-9_.-]{0,200}$/, 'TABLE_PREFIX may hold letters, digits, _ . -'), env.TABLE_PREFIX ?? 'picasso-'),
    dataDir: path.resolve(cwd, env.DATA_DIR && env.DATA_DIR !== '' ? env.DATA_DIR : '.data'),
    tokenTtlStreamS: pick('TOKEN_TTL_STREAM_S', ttl('TOKEN_TTL_STREAM_S'), env.TOKEN_TTL_STREAM_S ?? '300'),
    tokenTtlManageS: pick('TOKEN_TTL_MANAGE_S', ttl('TOKEN_TTL_MANAGE_S'), env.TOKEN_TTL_MANAGE_S ?? '900'),
    heartbeatMs: 1000 * pick('SSE_HEARTBEAT_S', heartbeatSeconds, env.SSE_HEARTBEAT_S || '15'),
    keepAliveMs: 1000 * pick('KEEPALIVE_TIMEOUT_S', keepAliveSeconds, env.KEEPALIVE_TIMEOUT_S || '65'),
    demoHostPort: production ? 0 : pick('DEMO_HOST_PORT', port('DEMO_HOST_PORT'), env.DEMO_HOST_PORT ?? String(portNumber + 1)),
    logLevel,
  };
}
