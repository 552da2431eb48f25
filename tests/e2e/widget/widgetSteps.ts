import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { E2EBrowser } from '../support/e2eBrowser.js';
import type { E2EStack } from '../support/stack.js';

/** Steps the widget scenarios share. Each leaves the driver inside the widget iframe. */
export async function openWidget(browser: E2EBrowser, stack: E2EStack): Promise<void> {
  await browser.open(stack.hostUrl);
  await browser.click('picasso-launcher');
  await browser.frame();
  await browser.waitForTestId('picasso-connection', { attr: 'data-state', value: 'ready' });
}

/** Types and sends one message, then waits until `replies` replies are complete; the last reply's text. */
export async function sendAndAwaitReply(browser: E2EBrowser, text: string, replies: number): Promise<string> {
  await browser.fill('picasso-composer-input', text);
  await browser.click('picasso-send');
  await browser.waitForTestId('picasso-message', { where: { 'data-role': 'assistant', 'data-status': 'complete' }, count: replies });
  return (await browser.textsOf('picasso-message', { where: { 'data-role': 'assistant' } })).at(-1) ?? '';
}

/** The BFF as reached from this process (the browser reaches it by name through the proxy). */
export function bffFromHere(stack: E2EStack): string {
  const url = new URL(stack.bffUrl);
  return stack.mode === 'local' ? `http://127.0.0.1:${url.port}` : stack.bffUrl;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  targets: string[];
}

/** Injects axe-core into the current document and runs the WCAG 2.x A/AA rules on it. */
export async function axeViolations(browser: E2EBrowser): Promise<AxeViolation[]> {
  const loaded = await browser.evaluate<string>(`function () { ${axeSource}\n; return typeof window.axe; }`);
  if (loaded !== 'object') throw new Error(`axe-core did not load (${loaded})`);
  return browser.evaluate<AxeViolation[]>(`async function () {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
  }`);
}

/** Waits a little for something that must NOT happen (a forged message being acted on). */
export const settle = (ms = 400) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Records every `focus()` call in the current document (the test id of the element, in order).
 * WebKitGTK under WebDriver has no focused window, so `document.activeElement` does not move there;
 * the calls the widget and loader make are what can be observed on every engine.
 */
export async function recordFocusCalls(browser: E2EBrowser): Promise<void> {
  await browser.evaluate(() => {
    const calls: string[] = [];
    (window as unknown as { __focusCalls: string[] }).__focusCalls = calls;
    const original = HTMLElement.prototype.focus;
    HTMLElement.prototype.focus = function focus(this: HTMLElement, options?: FocusOptions) {
      calls.push(this.getAttribute('data-testid') ?? this.tagName.toLowerCase());
      original.call(this, options);
    };
  });
}

export const focusCalls = (browser: E2EBrowser) => browser.evaluate(() => (window as unknown as { __focusCalls?: string[] }).__focusCalls ?? []);
