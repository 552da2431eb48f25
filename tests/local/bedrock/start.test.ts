import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { expect, it } from 'vitest';
import { postHttp1 } from './support/rawClients.js';

const ENTRY = path.resolve(import.meta.dirname, '../../../src/local/bedrock/start.ts');

it.each(['SIGTERM', 'SIGINT'] as const)('prints its URL, serves, and exits cleanly on %s', async (signal) => {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    env: { ...process.env, BEDROCK_EMULATOR_PORT: '0', BEDROCK_EMULATOR_TOKEN_DELAY_MS: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)?.[1];
  expect(url).toBeDefined();
  const response = await postHttp1(url!, '/model/m/converse', JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] }));
  expect(response.status).toBe(200);
  child.kill(signal);
  expect(await exited).toEqual([0, null]);
});
