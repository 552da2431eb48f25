import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Builder, Capabilities } from 'selenium-webdriver';
import { MINIBROWSER, WEBKITGTK_DRIVER, XVFB, XVFB_SCREEN } from './engines.js';
import { freePort, startChild, stopChild, waitForHttpOk, type Child } from './processes.js';
import { WebDriverBrowser } from './webdriverBrowser.js';

/**
 * A virtual display and a WebKitWebDriver on it, kept for a whole worker; each test gets its own
 * WebDriver session, that is, a fresh MiniBrowser with ephemeral storage.
 */
export interface WebKitGtkHost {
  readonly display: string;
  newBrowser(proxyAddress: string): Promise<WebDriverBrowser>;
  close(): Promise<void>;
}

async function startXvfb(): Promise<{ child: Child; display: string }> {
  // -displayfd lets Xvfb pick a free display and tell us which, so parallel runs never collide.
  const child = startChild(XVFB, ['-displayfd', '3', '-screen', '0', XVFB_SCREEN, '-nolisten', 'tcp', '-noreset'], {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  const fd = child.process.stdio[3];
  if (!fd || !('on' in fd)) throw new Error('Xvfb has no display pipe');
  const display = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`Xvfb did not report a display:\n${child.output.text()}`)), 15_000);
    fd.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /^(\d+)\n/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(`:${match[1]}`);
      }
    });
    void child.exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited:\n${child.output.text()}`));
    });
  });
  return { child, display };
}

/**
 * MiniBrowser's toolbar gives its window a minimum width of ~450 px, wider than a phone. This
 * style sheet for the browser's own GTK widgets (never the page) shrinks that chrome so the
 * viewport can be sized to 390 px like an iPhone's.
 */
const CHROME_STYLE = 'headerbar, headerbar *, toolbar, toolbar *, entry, button, box { min-width: 0; min-height: 0; padding: 0; margin: 0; border-width: 0; font-size: 1px; }\n';

function gtkConfigHome(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'picasso-webkitgtk-'));
  mkdirSync(path.join(dir, 'gtk-3.0'));
  writeFileSync(path.join(dir, 'gtk-3.0', 'gtk.css'), CHROME_STYLE);
  return dir;
}

export function webkitgtkCapabilities(proxyAddress: string): Capabilities {
  return new Capabilities({
    browserName: 'MiniBrowser',
    'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
    // Both schemes through the fault proxy, so nothing the page loads can go around it.
    proxy: { proxyType: 'manual', httpProxy: proxyAddress, sslProxy: proxyAddress },
  });
}

export async function startWebKitGtkHost(): Promise<WebKitGtkHost> {
  const xvfb = await startXvfb();
  const configHome = gtkConfigHome();
  const env = { ...process.env, DISPLAY: xvfb.display, XDG_CONFIG_HOME: configHome, NO_AT_BRIDGE: '1' };
  const cleanUp = async (driver: Child | null) => {
    if (driver) await stopChild(driver);
    await stopChild(xvfb.child);
    rmSync(configHome, { recursive: true, force: true });
  };
  let driver: Child | null = null;
  try {
    const port = await freePort();
    driver = startChild(WEBKITGTK_DRIVER, [`--port=${port}`, '--host=local'], { env });
    const url = `http://127.0.0.1:${port}`;
    await waitForHttpOk(`${url}/status`, driver, 'WebKitWebDriver', 15_000);
    const running = driver;
    return {
      display: xvfb.display,
      async newBrowser(proxyAddress) {
        const session = await new Builder().usingServer(url).disableEnvironmentOverrides().withCapabilities(webkitgtkCapabilities(proxyAddress)).build();
        await session.manage().setTimeouts({ script: 30_000, pageLoad: 30_000, implicit: 0 });
        return new WebDriverBrowser('webkitgtk', session);
      },
      close: () => cleanUp(running),
    };
  } catch (error) {
    await cleanUp(driver);
    throw error;
  }
}
