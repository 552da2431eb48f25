import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { keepDetectorsCompiled, type CompiledDetectors } from '../../../src/bff/privacy/keepCompiled.js';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
const observed = () => new Promise((resolve) => setTimeout(resolve, 20));

let keeper: CompiledDetectors | undefined;
afterEach(() => keeper?.stop());

describe('keepDetectorsCompiled', () => {
  it('runs the detectors after each full collection, and no more once stopped', async () => {
    keeper = keepDetectorsCompiled();
    expect(keeper.runs()).toBe(0);
    collect();
    await observed();
    collect();
    await observed();
    const runs = keeper.runs();
    expect(runs).toBeGreaterThanOrEqual(2);

    keeper.stop();
    collect();
    await observed();
    expect(keeper.runs()).toBe(runs);
  });
});
