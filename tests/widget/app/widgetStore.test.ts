import { describe, expect, it } from 'vitest';
import { makeWidgetStore, pendingKey, sessionKey } from '../../../src/widget/app/storage/widgetStore.js';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

const session = {
  sessionId: 's-1',
  tokens: { stream: { token: 'a', expiresAt: 1 }, manage: { token: 'b', expiresAt: 2 } },
};

describe('makeWidgetStore', () => {
  it('keeps the session under picasso:session:<embedKey>', () => {
    const storage = new MemoryStorage();
    const store = makeWidgetStore(() => storage as unknown as Storage, 'pk_acme');
    store.saveSession(session);
    expect(sessionKey('pk_acme')).toBe('picasso:session:pk_acme');
    expect(JSON.parse(storage.items.get('picasso:session:pk_acme') ?? '')).toEqual(session);
    expect(makeWidgetStore(() => storage as unknown as Storage, 'pk_acme').loadSession()).toEqual(session);
    store.clearSession();
    expect(storage.items.has('picasso:session:pk_acme')).toBe(false);
  });

  it('keeps tenants apart', () => {
    const storage = new MemoryStorage();
    makeWidgetStore(() => storage as unknown as Storage, 'pk_a').saveSession(session);
    expect(makeWidgetStore(() => storage as unknown as Storage, 'pk_b').loadSession()).toBeNull();
  });

  it('keeps unfinished turns and drops the key once none are left', () => {
    const storage = new MemoryStorage();
    const store = makeWidgetStore(() => storage as unknown as Storage, 'pk_acme');
    store.savePending({ turns: [{ messageId: 'm', text: 't' }], headReachedServer: true });
    expect(store.loadPending()).toEqual({ turns: [{ messageId: 'm', text: 't' }], headReachedServer: true });
    store.savePending({ turns: [], headReachedServer: false });
    expect(storage.items.has(pendingKey('pk_acme'))).toBe(false);
    expect(store.loadPending()).toEqual({ turns: [], headReachedServer: false });
  });

  it('says it is persistent when the storage works, and leaves no trace of finding out', () => {
    const storage = new MemoryStorage();
    expect(makeWidgetStore(() => storage as unknown as Storage, 'pk_acme').persistent).toBe(true);
    expect(storage.items.size).toBe(0);
  });

  it('says it is not persistent when storage is blocked, missing or refuses writes, so the session must travel by handle', () => {
    const refusing = new MemoryStorage();
    refusing.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    const blocked = () => {
      throw new DOMException('blocked', 'SecurityError');
    };
    expect(makeWidgetStore(blocked, 'pk_acme').persistent).toBe(false);
    expect(makeWidgetStore(() => null, 'pk_acme').persistent).toBe(false);
    expect(makeWidgetStore(() => refusing as unknown as Storage, 'pk_acme').persistent).toBe(false);
  });

  it('falls back to memory when storage is blocked, for this page only', () => {
    const blocked = () => {
      throw new DOMException('blocked', 'SecurityError');
    };
    const store = makeWidgetStore(blocked, 'pk_acme');
    expect(store.loadSession()).toBeNull();
    store.saveSession(session);
    store.savePending({ turns: [{ messageId: 'm', text: 't' }], headReachedServer: true });
    expect(store.loadSession()).toEqual(session);
    expect(store.loadPending().turns).toEqual([{ messageId: 'm', text: 't' }]);
    // A reload starts from nothing: unsent texts never leave the iframe's memory.
    const reloaded = makeWidgetStore(blocked, 'pk_acme');
    expect(reloaded.loadSession()).toBeNull();
    expect(reloaded.loadPending()).toEqual({ turns: [], headReachedServer: false });
  });

  it('falls back to memory when storage refuses to write', () => {
    const storage = new MemoryStorage();
    storage.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    const store = makeWidgetStore(() => storage as unknown as Storage, 'pk_acme');
    store.saveSession(session);
    expect(store.loadSession()).toEqual(session);
  });

  it('ignores stored values of the wrong shape', () => {
    const storage = new MemoryStorage();
    storage.setItem('picasso:session:pk_acme', JSON.stringify({ sessionId: 's', tokens: { stream: { token: 1 } } }));
    storage.setItem('picasso:pending:pk_acme', '{broken');
    const store = makeWidgetStore(() => storage as unknown as Storage, 'pk_acme');
    expect(store.loadSession()).toBeNull();
    expect(store.loadPending()).toEqual({ turns: [], headReachedServer: false });
  });
});
