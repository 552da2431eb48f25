import { test as base, type BrowserContextOptions, type LaunchOptions } from '@playwright/test';
import { startFaultProxy, type FaultProxy } from '../../support/proxy/faultProxy.js';
import type { E2EBrowser, EngineName } from './e2eBrowser.js';
import { PlaywrightBrowser } from './playwrightBrowser.js';
import type { E2EStack } from './stack.js';
import { stagingTargets } from './staging.js';
import { startWebKitGtkHost } from './webkitgtkHost.js';

/** The project option that picks the engine behind `browserUnderTest`. */
export interface EngineOptions {
  engine: EngineName;
}

type DeviceOptions = Pick<BrowserContextOptions, 'viewport' | 'userAgent' | 'deviceScaleFactor' | 'isMobile' | 'hasTouch'>;

interface BrowserSource {
  newBrowser(device: DeviceOptions): Promise<E2EBrowser>;
}

interface WorkerFixtures extends EngineOptions {
  faultProxy: FaultProxy;
  browserSource: BrowserSource;
  stack: E2EStack;
}

interface TestFixtures {
  browserUnderTest: E2EBrowser;
  liftFaults: void;
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  engine: ['chromium', { scope: 'worker', option: true }],

  faultProxy: [
    async ({}, use) => {
      const proxy = await startFaultProxy({ passthroughHosts: stagingTargets()?.hosts ?? [] });
      await use(proxy);
      await proxy.close();
    },
    { scope: 'worker' },
  ],

  browserSource: [
    async ({ engine, faultProxy, playwright, launchOptions }, use) => {
      if (engine === 'webkitgtk') {
        const host = await startWebKitGtkHost();
        await use({
          async newBrowser(device) {
            const browser = await host.newBrowser(faultProxy.address);
            if (device.viewport) await browser.setViewport(device.viewport.width, device.viewport.height);
            return browser;
          },
        });
        await host.close();
        return;
      }
      const type = engine === 'webkit' ? playwright.webkit : playwright.chromium;
      const options: LaunchOptions = { ...launchOptions, proxy: { server: faultProxy.url } };
      const browser = await type.launch(options);
      await use({
        async newBrowser(device) {
          const context = await browser.newContext(definedOnly(device));
          return new PlaywrightBrowser(engine, context, await context.newPage());
        },
      });
      await browser.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  stack: [
    async ({}, use) => {
      // Loaded only by scenarios that need the BFF, so driver checks run without it.
      const { startE2EStack } = await import('./stack.js');
      const stack = await startE2EStack();
      await use(stack);
      await stack.close();
    },
    { scope: 'worker', timeout: 120_000 },
  ],

  liftFaults: [
    async ({ faultProxy }, use) => {
      faultProxy.restore();
      faultProxy.resetCounters();
      await use();
      faultProxy.restore();
    },
    { auto: true },
  ],

  browserUnderTest: async ({ browserSource, viewport, userAgent, deviceScaleFactor, isMobile, hasTouch }, use, testInfo) => {
    const browser = await browserSource.newBrowser({ viewport, userAgent, deviceScaleFactor, isMobile, hasTouch });
    try {
      await use(browser);
      if (testInfo.status !== testInfo.expectedStatus) {
        const file = testInfo.outputPath('failure.png');
        await browser.mainFrame().then(() => browser.screenshot(file)).then(
          () => testInfo.attachments.push({ name: 'failure', path: file, contentType: 'image/png' }),
          () => undefined,
        );
      }
    } finally {
      await browser.close().catch(() => undefined);
    }
  },
});

export { expect } from '@playwright/test';
