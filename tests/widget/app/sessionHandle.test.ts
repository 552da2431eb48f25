import { describe, expect, it } from 'vitest';
import { makeSessionHandleSource, takeSessionHandle } from '../../../src/widget/app/storage/sessionHandle.js';

const handle = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJzIn0.c2ln-_';

/** A window whose URL is `url`, recording every history.replaceState. */
function windowAt(url: string) {
  const parsed = new URL(url);
  const replaced: string[] = [];
  return {
    replaced,
    win: {
      location: { hash: parsed.hash, pathname: parsed.pathname, search: parsed.search },
      history: { state: null, replaceState: (_state: unknown, _title: string, next: string) => void replaced.push(next) },
    } as unknown as Window,
  };
}

describe('takeSessionHandle', () => {
  it('reads the handle from the fragment and removes the fragment from the URL at once', () => {
    const { win, replaced } = windowAt(`https://bff.example/widget/?tenant=pk_a&host=x#handle=${handle}`);
    expect(takeSessionHandle(win)).toBe(handle);
    expect(replaced).toEqual(['/widget/?tenant=pk_a&host=x']);
  });

  it('refuses anything that is not a compact token, and still clears the fragment', () => {
    for (const bad of ['x', 'a.b', 'a.b.c.d', 'a.b.c<script>', `${'a'.repeat(4096)}.b.c`, '']) {
      const { win, replaced } = windowAt(`https://bff.example/widget/#handle=${encodeURIComponent(bad)}`);
      expect(takeSessionHandle(win), bad.slice(0, 20)).toBeNull();
      expect(replaced).toEqual(['/widget/']);
    }
  });

  it('finds nothing without a fragment, or without a location (not in a browser), and touches no history then', () => {
    const { win, replaced } = windowAt('https://bff.example/widget/?tenant=pk_a');
    expect(takeSessionHandle(win)).toBeNull();
    expect(replaced).toEqual([]);
    expect(takeSessionHandle({})).toBeNull();
  });

  it('never takes the handle from the query string', () => {
    const { win } = windowAt(`https://bff.example/widget/?handle=${handle}`);
    expect(takeSessionHandle(win)).toBeNull();
  });
});

describe('makeSessionHandleSource', () => {
  it('offers the handle until it is dropped, then never again', () => {
    const source = makeSessionHandleSource(handle);
    expect(source.current()).toBe(handle);
    expect(source.current()).toBe(handle);
    source.drop();
    expect(source.current()).toBeNull();
  });
});
