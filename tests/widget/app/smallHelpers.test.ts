import { describe, expect, it } from 'vitest';
import type { ConnectionStateName } from '../../../src/machines/connectionTypes.js';
import { connectionLabel } from '../../../src/widget/app/chat/connectionLabel.js';
import { newMessageId } from '../../../src/widget/app/chat/newMessageId.js';

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newMessageId', () => {
  it('uses randomUUID where the context is secure', () => {
    expect(newMessageId(globalThis.crypto)).toMatch(uuidV4);
  });

  it('builds a v4 UUID from random bytes where randomUUID is missing', () => {
    const insecure = { getRandomValues: (bytes: Uint8Array) => globalThis.crypto.getRandomValues(bytes) } as unknown as Crypto;
    const ids = new Set(Array.from({ length: 50 }, () => newMessageId(insecure)));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(uuidV4);
  });
});

describe('connectionLabel', () => {
  const states: ConnectionStateName[] = [
    'idle', 'authorizing', 'ready', 'connecting', 'streaming', 'stalled', 'reconnecting', 'offline', 'suspended', 'failed', 'closed',
  ];

  it('has words for every connection state', () => {
    for (const state of states) expect(connectionLabel(state).text.length).toBeGreaterThan(0);
  });

  it('reassures while streaming and warns when offline or failed', () => {
    expect(connectionLabel('streaming').tone).toBe('ok');
    expect(connectionLabel('offline').tone).toBe('problem');
    expect(connectionLabel('failed').tone).toBe('problem');
  });
});
