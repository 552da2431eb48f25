import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const stages = instructions.filter((line) => line.startsWith('FROM '));
const finalStage = instructions.slice(instructions.lastIndexOf(stages.at(-1)!));
const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());

describe('the Dockerfile', () => {
  it('is multi-stage on node:20-slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage).toMatch(/^FROM node:20-slim\b/);
  });

  it('installs only production dependencies into the final image', () => {
    expect(instructions.some((line) => /npm ci\b.*--omit=dev/.test(line))).toBe(true);
    expect(finalStage.some((line) => /^RUN npm (ci|install)\b/.test(line))).toBe(false);
    expect(finalStage.filter((line) => line.includes('node_modules')).every((line) => line.includes('--from=deps'))).toBe(true);
  });

  it('runs as a non-root user in production mode with a health check on /healthz', () => {
    const user = finalStage.filter((line) => line.startsWith('USER '));
    expect(user).toHaveLength(1);
    expect(user[0]).not.toMatch(/^USER (root|0)(:|$)/);
    expect(finalStage.some((line) => line.includes('NODE_ENV=production'))).toBe(true);
    expect(finalStage.find((line) => line.startsWith('HEALTHCHECK'))).toMatch(/\/healthz/);
  });

  it('starts the server as PID 1 child without npm or npx wrappers, so SIGTERM reaches it', () => {
    const cmd = finalStage.find((line) => line.startsWith('CMD '));
    expect(cmd).toMatch(/^CMD \["node", "--import", "tsx", "src\/bff\/start\.ts"\]$/);
  });

  it('copies no local stack, tests or benchmarks into the final image', () => {
    const copies = finalStage.filter((line) => line.startsWith('COPY '));
    expect(copies.filter((line) => /\b(src\/local|src\/widget|tests|bench)\b/.test(line))).toEqual([]);
  });
});

describe('.dockerignore', () => {
  it('keeps local data, secrets, dependencies and test output out of the build context', () => {
    expect(ignored).toEqual(expect.arrayContaining(['.git', '.data', 'node_modules', '.env', '.env.*', 'test-results', 'tests']));
  });
});
