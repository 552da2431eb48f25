import { existsSync } from 'node:fs';
import { defineConfig, devices, webkit, type PlaywrightTestOptions, type PlaywrightWorkerOptions, type Project } from '@playwright/test';
import type { EngineOptions } from './tests/e2e/support/fixtures.js';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from './tests/e2e/support/engines.js';

/**
 * One catalogue of scenarios (tests/e2e/**\/*.spec.ts), run on every engine this machine has:
 * Debian's Chromium through Playwright, real WebKit through WebKitGTK's WebDriver, and
 * Playwright's own WebKit with an iPhone profile when it is installed.
 */
const projects: Array<Project<PlaywrightTestOptions, PlaywrightWorkerOptions & EngineOptions>> = [
  {
    name: 'chromium',
    use: { engine: 'chromium', launchOptions: { executablePath: CHROMIUM_EXECUTABLE, args: CHROMIUM_ARGS } },
  },
  {
    name: 'webkitgtk',
    use: { engine: 'webkitgtk' },
  },
];

let playwrightWebKit = false;
try {
  playwrightWebKit = existsSync(webkit.executablePath());
} catch {
  // No registry entry for this platform: treated as not installed.
}
if (playwrightWebKit) {
  projects.push({ name: 'webkit-iphone', use: { ...devices['iPhone 13'], engine: 'webkit' } });
} else if (!process.env.TEST_WORKER_INDEX) {
  // Printed once, by the runner, not by every worker that loads this file.
  console.log("webkit-iphone: Playwright's WebKit is not installed here, so that project is not defined");
}

export default defineConfig<{}, EngineOptions>({
  testDir: './tests/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: './test-results',
  // Two cores and heavy browsers: one worker, tests in file order.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: process.env.CI ? [['list'], ['junit', { outputFile: 'test-results/e2e-junit.xml' }]] : 'list',
  use: { viewport: { width: 1280, height: 800 } },
  projects,
});
