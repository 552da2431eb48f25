import { describe, expect, it } from 'vitest';
import { createEffect, createRoot, createSignal } from 'solid-js';
import { isServer } from 'solid-js/web';

describe('Solid under vitest', () => {
  it('runs the browser build, where effects re-run on change', async () => {
    expect(isServer).toBe(false);
    const seen: number[] = [];
    const set = createRoot(() => {
      const [count, setCount] = createSignal(0);
      createEffect(() => seen.push(count()));
      return setCount;
    });
    await Promise.resolve();
    set(1);
    await Promise.resolve();
    expect(seen).toEqual([0, 1]);
  });
});
