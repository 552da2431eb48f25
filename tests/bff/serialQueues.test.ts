import { describe, expect, it } from 'vitest';
import { SerialQueues } from '../../src/bff/serialQueues.js';
import { deferred } from '../machines/support/deferred.js';

const turnOfLoop = () => new Promise((resolve) => setImmediate(resolve));

describe('serial queues', () => {
  it('runs the tasks of one key one after another, in the order they were queued', async () => {
    const queues = new SerialQueues();
    const log: string[] = [];
    const first = deferred<void>();
    const a = queues.run('k', async () => {
      log.push('a starts');
      await first.promise;
      log.push('a ends');
      return 'a';
    });
    const b = queues.run('k', async () => {
      log.push('b starts');
      return 'b';
    });
    await turnOfLoop();
    expect(log).toEqual(['a starts']);
    first.resolve();
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
    expect(log).toEqual(['a starts', 'a ends', 'b starts']);
  });

  it('runs the tasks of different keys at once', async () => {
    const queues = new SerialQueues();
    const held = deferred<void>();
    const started: string[] = [];
    void queues.run('k1', async () => {
      started.push('k1');
      await held.promise;
    });
    const other = queues.run('k2', async () => {
      started.push('k2');
      return 2;
    });
    expect(await other).toBe(2);
    expect(started).toEqual(['k1', 'k2']);
    held.resolve();
    await queues.settled();
  });

  it('gives each caller its own task failure, and runs the tasks queued after a failed one', async () => {
    const queues = new SerialQueues();
    const failing = queues.run('k', () => Promise.reject(new Error('no')));
    const next = queues.run('k', async () => 'ran');
    await expect(failing).rejects.toThrow('no');
    expect(await next).toBe('ran');
  });

  it('is idle for a key once the tasks queued under it so far have ended, whatever other keys do', async () => {
    const queues = new SerialQueues();
    const mine = deferred<void>();
    const others = deferred<void>();
    let idle = false;
    void queues.run('mine', () => mine.promise);
    void queues.run('other', () => others.promise);
    const waiting = queues.idle('mine').then(() => (idle = true));
    await turnOfLoop();
    expect(idle).toBe(false);
    mine.resolve();
    await waiting;
    expect(idle).toBe(true);
    await queues.idle('never used');
    others.resolve();
    await queues.settled();
  });

  it('is idle for a key whose task failed', async () => {
    const queues = new SerialQueues();
    const task = deferred<void>();
    const failed = queues.run('k', () => task.promise);
    failed.catch(() => undefined);
    const idle = queues.idle('k');
    task.reject(new Error('lost'));
    await expect(idle).resolves.toBeUndefined();
  });

  it('settles only when no task is left, tasks queued while it waits included', async () => {
    const queues = new SerialQueues();
    const first = deferred<void>();
    const second = deferred<void>();
    let settled = false;
    void queues.run('k', async () => {
      await first.promise;
      // Queued by a running task, as a shutdown may meet work that queues more work.
      void queues.run('later', () => second.promise);
    });
    const waiting = queues.settled().then(() => (settled = true));
    first.resolve();
    await turnOfLoop();
    expect(settled).toBe(false);
    second.resolve();
    await waiting;
    expect(settled).toBe(true);
  });
});
