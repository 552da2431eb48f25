import { readFileSync } from 'node:fs';
import { test as base, expect } from './support/fixtures.js';
import { UnsupportedByEngine } from './support/e2eBrowser.js';
import { probeReply, startProbeSite, type ProbeSite } from './support/probeSite.js';

/**
 * Proves the scenario driver and the fault proxy on each engine against a two-origin probe
 * page, so a failing product scenario is never a broken harness in disguise.
 */
const test = base.extend<{}, { probe: ProbeSite }>({
  probe: [
    async ({}, use) => {
      const probe = await startProbeSite();
      await use(probe);
      await probe.close();
    },
    { scope: 'worker' },
  ],
});

function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

test.describe('scenario driver and fault proxy', () => {
  test('reaches named hosts through the proxy, enters a cross-origin iframe and reads a streamed reply', async ({ browserUnderTest: browser, probe, faultProxy }) => {
    await browser.open(probe.hostUrl);
    await browser.click('picasso-launcher');
    await browser.frame();
    expect(await browser.evaluate(() => location.origin)).toBe(`http://bff.test:${probe.port}`);
    await browser.fill('picasso-composer-input', 'hello there');
    await browser.click('picasso-send');
    await browser.waitForTestId('picasso-message', { attr: 'data-status', value: 'complete', count: 2 });
    expect(await browser.textsOf('picasso-message')).toEqual(['hello there', probeReply('hello there')]);
    expect(await browser.attr('picasso-message', 'data-role')).toBe('user');
    expect(faultProxy.count({ method: 'POST', host: 'bff.test', path: '/stream' })).toBe(1);
    await browser.mainFrame();
    expect(await browser.evaluate(() => location.host)).toBe(`host.test:${probe.port}`);
  });

  test('a stalled link holds a reply mid-stream without failing it, and restore lets it finish', async ({ browserUnderTest: browser, probe, faultProxy }) => {
    await browser.open(probe.hostUrl);
    await browser.click('picasso-launcher');
    await browser.frame();
    await browser.fill('picasso-composer-input', 'slowly please');
    await browser.click('picasso-send');
    await expect.poll(async () => (await browser.textsOf('picasso-message'))[1] ?? '').not.toBe('');
    faultProxy.stall({ hosts: ['bff.test'] });
    // Some time for bytes already on their way to land; after that nothing more may arrive.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const held = (await browser.textsOf('picasso-message'))[1] ?? '';
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await browser.textsOf('picasso-message'))[1]).toBe(held);
    expect(held.length).toBeLessThan(probeReply('slowly please').length);
    await browser.waitForTestId('picasso-message', { attr: 'data-status', value: 'streaming', count: 1 });
    faultProxy.restore();
    await browser.waitForTestId('picasso-message', { attr: 'data-status', value: 'complete', count: 2 });
    expect((await browser.textsOf('picasso-message'))[1]).toBe(probeReply('slowly please'));
  });

  test('a throttled, coalescing link still delivers the whole reply', async ({ browserUnderTest: browser, probe, faultProxy }) => {
    faultProxy.throttle({ bytesPerSecond: 4_000, latencyMs: 100 }, { hosts: ['bff.test'] });
    faultProxy.coalesce(300, { hosts: ['bff.test'] });
    await browser.open(probe.hostUrl);
    await browser.click('picasso-launcher');
    await browser.frame();
    await browser.fill('picasso-composer-input', 'over a slow line');
    await browser.click('picasso-send');
    await browser.waitForTestId('picasso-message', { where: { 'data-role': 'assistant', 'data-status': 'complete' }, count: 1 });
    expect(await browser.textsOf('picasso-message', { where: { 'data-role': 'assistant' } })).toEqual([probeReply('over a slow line')]);
  });

  test('a cut link fails the stream in the page', async ({ browserUnderTest: browser, probe, faultProxy }) => {
    await browser.open(probe.hostUrl);
    await browser.click('picasso-launcher');
    await browser.frame();
    await browser.fill('picasso-composer-input', 'cut me off');
    await browser.click('picasso-send');
    await browser.waitForTestId('picasso-message', { attr: 'data-status', value: 'streaming' });
    await expect.poll(() => faultProxy.cut({ hosts: ['bff.test'] })).toBeGreaterThan(0);
    await browser.waitForTestId('picasso-message', { attr: 'data-status', value: 'error', count: 1 });
    await browser.waitForTestId('picasso-connection', { attr: 'data-state', value: 'failed' });
  });

  test('sizes the viewport exactly and takes viewport screenshots', async ({ browserUnderTest: browser, probe }, testInfo) => {
    await browser.open(probe.hostUrl);
    for (const [width, height] of [
      [390, 844],
      [1280, 800],
    ] as const) {
      await browser.setViewport(width, height);
      expect(await browser.evaluate(() => [window.innerWidth, window.innerHeight])).toEqual([width, height]);
      const file = testInfo.outputPath(`probe-${width}x${height}.png`);
      await browser.screenshot(file);
      const ratio = await browser.evaluate(() => window.devicePixelRatio);
      expect(pngSize(file)).toEqual({ width: width * ratio, height: height * ratio });
    }
  });

  test('switches the network off where the engine can, and says so where it cannot', async ({ browserUnderTest: browser, probe }) => {
    await browser.open(probe.hostUrl);
    if (browser.supportsOffline) {
      await browser.setOffline(true);
      expect(await browser.evaluate(() => navigator.onLine)).toBe(false);
      await browser.setOffline(false);
      expect(await browser.evaluate(() => navigator.onLine)).toBe(true);
    } else {
      await expect(browser.setOffline(true)).rejects.toBeInstanceOf(UnsupportedByEngine);
    }
  });
});
