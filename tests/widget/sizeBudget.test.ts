import { describe, expect, it } from 'vitest';
import { FIRST_LOAD_BUDGET_B, LOADER_BUDGET_B, firstLoadFiles, runSizeBench } from '../../bench/size.js';

// Reads dist/ as `npm run build` (the first step of `npm test`) left it.
describe('size budgets of the built front end (gzip -9)', () => {
  const result = runSizeBench();

  it(`keeps loader.js within ${LOADER_BUDGET_B} B`, () => {
    expect(result.loader.gzipB).toBeGreaterThan(0);
    expect(result.loader.gzipB).toBeLessThanOrEqual(LOADER_BUDGET_B);
  });

  it(`keeps everything the iframe loads first within ${FIRST_LOAD_BUDGET_B} B`, () => {
    // The document, at least one script and one stylesheet: a measurement that missed them would pass for nothing.
    expect(result.firstLoad.some((f) => f.file.endsWith('.js'))).toBe(true);
    expect(result.firstLoad.some((f) => f.file.endsWith('.css'))).toBe(true);
    expect(result.firstLoadGzipB).toBeLessThanOrEqual(FIRST_LOAD_BUDGET_B);
  });

  it('counts scripts, module preloads and stylesheets referenced by index.html, once each', () => {
    const html =
      '<script type="module" src="/widget/assets/a.js"></script><link rel="modulepreload" href="/widget/assets/b.js">' +
      '<link rel="stylesheet" href="/widget/assets/c.css"><script type="module" src="/widget/assets/a.js"></script>';
    expect(firstLoadFiles(html)).toEqual(['widget/assets/a.js', 'widget/assets/b.js', 'widget/assets/c.css']);
  });
});
