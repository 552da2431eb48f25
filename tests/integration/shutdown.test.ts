import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedReply } from '../../src/local/bedrock/responder.js';
import { startBedrockEmulator, type BedrockEmulator } from '../../src/local/bedrock/server.js';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../src/local/dynamo.js';
import { requestAgainAfterIdle } from '../support/idleConnection.js';
import { chat, createSession, type SseEvent } from '../support/sseClient.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ACME = 'pk_acme_test_111111';

interface Bff {
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
}

/**
 * One BFF process as production runs it (`start.ts`). Node loads tsx itself rather than through
 * the tsx/npx wrappers, so SIGTERM and SIGKILL reach the server process, not a parent shim.
 */
async function startBff(env: Record<string, string>): Promise<Bff> {
  const { NODE_ENV: _inherited, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bff/start.ts'], {
    cwd: ROOT,
    env: { ...inherited, ...env, PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`BFF did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /"port":(\d+)[^\n]*"msg":"listening"/.exec(output)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${port}`);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`BFF exited with ${code}:\n${output}`)));
  });
  return { url, child, exited, output: () => output };
}

const terminal = (events: SseEvent[]) => events.filter((e) => e.event === 'done' || e.event === 'error');

describe('BFF processes as production runs them, sharing one storage and one model', () => {
  let dataDir: string;
  let dynamo: EmbeddedDynamo;
  let emulator: BedrockEmulator;
  let env: Record<string, string>;
  const running: Bff[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'picasso-shutdown-'));
    dynamo = await startEmbeddedDynamo({ dataDir, inMemory: true });
    emulator = await startBedrockEmulator({ port: 0, tokenDelayMs: 2 });
    env = {
      DATA_DIR: dataDir,
      DYNAMODB_ENDPOINT: dynamo.url,
      BEDROCK_ENDPOINT: emulator.url,
      TENANTS_FILE: path.join(ROOT, 'tests/fixtures/tenants.json'),
      PUBLIC_ORIGIN: 'http://bff.test',
      DEMO_HOST_PORT: '0',
      TABLE_PREFIX: 'shutdown-',
    };
  }, 60_000);

  afterAll(async () => {
    for (const bff of running) if (bff.child.exitCode === null && bff.child.signalCode === null) bff.child.kill('SIGKILL');
    await Promise.all(running.map((bff) => bff.exited));
    await emulator?.close();
    await dynamo?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function bff(): Promise<Bff> {
    const started = await startBff(env);
    running.push(started);
    return started;
  }

  // A load balancer reuses its idle connections to the BFF for up to its own idle timeout (60 s by
  // default on an ALB); Node alone closes them after 5 s, and a request sent on one as it closes fails.
  it('keeps an idle client connection open past the 5 s Node would close it at', async () => {
    const bff = await startBff(env);
    running.push(bff);
    try {
      const outcome = await requestAgainAfterIdle(Number(new URL(bff.url).port), 'GET /healthz HTTP/1.1\r\nHost: bff.test\r\n\r\n', 6_000);
      expect(outcome.received).toMatch(/keep-alive: timeout=65/i);
      expect(outcome.closedWhileIdle).toBe(false);
      expect(outcome.received.split('HTTP/1.1 200').length - 1).toBe(2);
    } finally {
      bff.child.kill('SIGTERM');
      await bff.exited;
    }
  }, 60_000);

  it('SIGTERM lets the running reply finish and persist while the client resumes on another process, exactly once', async () => {
    const first = await bff();
    const second = await bff();
    const { body: session } = await createSession(first.url, ACME);
    const text = `Tell me about flu shots ${randomUUID().slice(0, 8)} [fault:slow=40]`;
    const messageId = randomUUID();

    const before = await chat(first.url, { token: session.tokens.stream.token, messageId, text, dropAfterEvents: 5 });
    expect(terminal(before.events)).toEqual([]);
    first.child.kill('SIGTERM');
    const after = await chat(second.url, { token: session.tokens.stream.token, messageId, text, lastEventId: before.events.at(-1)!.id! });

    expect(before.text + after.text).toBe(expectedReply(text));
    expect(terminal(after.events).map((e) => e.event)).toEqual(['done']);
    expect(emulator.invocations().filter((i) => i.operation === 'converse-stream' && i.lastUserText === text)).toHaveLength(1);
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/"drained":true/);

    const state = await fetch(`${second.url}/v1/state`, { headers: { authorization: `Bearer ${session.tokens.manage.token}` } });
    const stored = (await state.json()) as { messages: Array<{ role: string; text: string; status?: string }>; summary: string | null; facts: unknown[] };
    expect(stored.messages.filter((m) => m.role === 'assistant').map((m) => m.text)).toEqual([expectedReply(text)]);
    // The turn's summary and facts were made after its reply, and stored before the process exited.
    expect(stored.summary).toEqual(expect.any(String));
    expect(stored.facts.length).toBeGreaterThan(0);
  }, 60_000);

  it('after kill -9 and a restart, a resumed client still gets a terminal event and the stored part of the reply', async () => {
    const doomed = await bff();
    const { body: session } = await createSession(doomed.url, ACME);
    const text = `Tell me about flu shots ${randomUUID().slice(0, 8)} [fault:slow=150]`;
    const messageId = randomUUID();

    const before = await chat(doomed.url, { token: session.tokens.stream.token, messageId, text, dropAfterEvents: 3 });
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    const restarted = await bff();
    const after = await chat(restarted.url, { token: session.tokens.stream.token, messageId, text, lastEventId: before.events.at(-1)!.id! });

    // Nobody finishes a dead process's generation: once its lease runs out the turn ends as
    // interrupted, holding exactly what the dead process had stored.
    const ends = terminal(after.events);
    expect(ends).toHaveLength(1);
    expect(ends[0]!.event).toBe('error');
    expect(JSON.parse(ends[0]!.data)).toMatchObject({ code: 'generation_interrupted', retryable: true });
    const received = before.text + after.text;
    expect(received.length).toBeGreaterThanOrEqual(before.text.length);
    expect(expectedReply(text).startsWith(received)).toBe(true);
    expect(received.length).toBeLessThan(expectedReply(text).length);

    const state = await fetch(`${restarted.url}/v1/state`, { headers: { authorization: `Bearer ${session.tokens.manage.token}` } });
    const stored = (await state.json()) as { messages: Array<{ role: string; text: string; status?: string }> };
    const reply = stored.messages.filter((m) => m.role === 'assistant');
    expect(reply).toEqual([expect.objectContaining({ status: 'interrupted' })]);
    // Events are sent before they are stored: the stored part is what the client saw, or less.
    expect(received.startsWith(reply[0]!.text)).toBe(true);
  }, 60_000);
});
