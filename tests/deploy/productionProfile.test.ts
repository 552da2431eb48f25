import { spawn } from 'node:child_process';
import path from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Outcome {
  code: number | null;
  stderr: string;
}

/** Starts the real entry point with only the given environment and waits for it to give up. */
function start(env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/bff/start.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/** The one message the process owes the operator; runtime warnings from libraries are not ours. */
function picassoLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('picasso:'));
}

describe('NODE_ENV=production refuses an unsafe or incomplete profile with one clear message', () => {
  let complete: Record<string, string>;
  beforeAll(async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    complete = {
      NODE_ENV: 'production',
      PORT: '0',
      PUBLIC_ORIGIN: 'https://bff.example',
      TENANTS_FILE: path.join(ROOT, 'tests/fixtures/tenants.json'),
      // A closed loopback port: nothing may be reached before the profile is accepted.
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
      BEDROCK_ENDPOINT: 'http://127.0.0.1:9',
      BEDROCK_MODEL_ID: 'anthropic.claude-test',
      AWS_REGION: 'eu-west-1',
      DATA_DIR: path.join(ROOT, '.data-never-created'),
      SIGNING_KEYS: JSON.stringify([{ ...(await exportJWK(privateKey)), kid: 'k1' }]),
      AUDIT_IP_SALT: 'a-production-salt-of-enough-length-0123456789',
    };
  });

  const without = (name: string) => Object.fromEntries(Object.entries(complete).filter(([key]) => key !== name));

  const cases: Array<[string, () => Record<string, string>, RegExp]> = [
    ['the embedded DynamoDB', () => ({ ...complete, DYNAMODB_ENDPOINT: 'embedded' }), /DYNAMODB_ENDPOINT=embedded is not allowed/],
    ['the embedded Bedrock emulator', () => ({ ...complete, BEDROCK_ENDPOINT: 'embedded' }), /BEDROCK_ENDPOINT=embedded is not allowed/],
    ['a missing DYNAMODB_ENDPOINT (no embedded default)', () => without('DYNAMODB_ENDPOINT'), /DYNAMODB_ENDPOINT is required/],
    ['a missing BEDROCK_ENDPOINT', () => without('BEDROCK_ENDPOINT'), /BEDROCK_ENDPOINT is required/],
    ['a missing PUBLIC_ORIGIN', () => without('PUBLIC_ORIGIN'), /PUBLIC_ORIGIN is required/],
    ['a plain-http PUBLIC_ORIGIN', () => ({ ...complete, PUBLIC_ORIGIN: 'http://bff.example' }), /PUBLIC_ORIGIN must be https/],
    ['a missing BEDROCK_MODEL_ID', () => without('BEDROCK_MODEL_ID'), /BEDROCK_MODEL_ID is required/],
    ['debug logging', () => ({ ...complete, LOG_LEVEL: 'debug' }), /LOG_LEVEL=debug\/trace is not allowed/],
    ['dev signing keys from DATA_DIR (no SIGNING_KEYS)', () => without('SIGNING_KEYS'), /SIGNING_KEYS is required/],
    ['a missing AUDIT_IP_SALT', () => without('AUDIT_IP_SALT'), /AUDIT_IP_SALT is required/],
  ];

  for (const [what, env, message] of cases) {
    it(`refuses ${what}: exit 78 and a single configuration error line`, async () => {
      const outcome = await start(env());
      expect(outcome.code).toBe(78);
      const lines = picassoLines(outcome.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^picasso: configuration error: /);
      expect(lines[0]).toMatch(message);
      expect(outcome.stderr).not.toMatch(/^\s+at /m);
    }, 40_000);
  }
});
