import { expectedReply } from '../../../src/local/bedrock/responder.js';
import type { FaultProxy } from '../../support/proxy/faultProxy.js';
import type { E2EBrowser } from './e2eBrowser.js';
import type { E2EStack } from './stack.js';

/**
 * Shared steps of the network-drop scenarios: open the widget, record the connection states it
 * shows, send a prompt, wait on the streaming reply, and collect what proves exactly-once.
 */

export const assistantOnly = { where: { 'data-role': 'assistant' } } as const;

/** A prompt whose reply streams for about `chunks * delayMs` so a fault can land inside it. */
export function slowPrompt(label: string, chunks = 120, delayMs = 40): string {
  return `${label} [fault:slow=${delayMs}] [fault:long=${chunks}]`;
}

export async function openWidget(browser: E2EBrowser, stack: E2EStack): Promise<void> {
  await browser.open(stack.hostUrl);
  await browser.click('picasso-launcher');
  await browser.frame();
  try {
    await browser.waitForTestId('picasso-connection', { attr: 'data-state', value: 'ready', timeoutMs: 40_000 });
  } catch (error) {
    const state = await browser.attr('picasso-connection', 'data-state').catch(() => null);
    throw new Error(`the widget did not become ready (it shows ${state ?? 'no connection state'})`, { cause: error });
  }
}

/**
 * Installs, in the widget's document, an observer that appends every new `data-state` of the
 * connection indicator to `window.__picassoStates` — transient states too, which polling misses.
 */
export async function recordConnectionStates(browser: E2EBrowser): Promise<void> {
  await browser.evaluate(() => {
    const log: string[] = [];
    const w = window as unknown as { __picassoStates?: string[] };
    w.__picassoStates = log;
    const note = () => {
      const state = document.querySelector('[data-testid="picasso-connection"]')?.getAttribute('data-state');
      if (state && log[log.length - 1] !== state) log.push(state);
    };
    note();
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
  });
}

export async function connectionStates(browser: E2EBrowser): Promise<string[]> {
  return browser.evaluate(() => (window as unknown as { __picassoStates?: string[] }).__picassoStates ?? []);
}

/** True when `expected` appear in `states` in this order (other states may sit between them). */
export function inOrder(states: readonly string[], expected: ReadonlyArray<string | readonly string[]>): boolean {
  let at = 0;
  for (const step of expected) {
    const options = typeof step === 'string' ? [step] : step;
    while (at < states.length && !options.includes(states[at]!)) at++;
    if (at === states.length) return false;
    at++;
  }
  return true;
}

export async function send(browser: E2EBrowser, text: string): Promise<void> {
  await browser.fill('picasso-composer-input', text);
  await browser.click('picasso-send');
}

export async function lastAssistantText(browser: E2EBrowser): Promise<string> {
  return (await browser.textsOf('picasso-message', assistantOnly)).at(-1) ?? '';
}

/** Waits until the last assistant message shows at least `chars` characters. */
export async function waitForReplyText(browser: E2EBrowser, chars: number, timeoutMs = 20_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const length = (await lastAssistantText(browser)).length;
    if (length >= chars) return length;
    if (Date.now() > until) throw new Error(`the reply showed ${length} characters, not ${chars}, within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Waits until the widget's connection indicator shows one of `states`. */
export async function waitForState(browser: E2EBrowser, states: readonly string[], timeoutMs = 40_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const seen = await connectionStates(browser);
    const hit = seen.find((state) => states.includes(state));
    if (hit) return hit;
    if (Date.now() > until) throw new Error(`no state of [${states.join(', ')}] within ${timeoutMs} ms; seen: ${seen.join(' > ')}`);
    await sleep(50);
  }
}

export async function waitForCompleteReplies(browser: E2EBrowser, count: number, timeoutMs = 60_000): Promise<void> {
  try {
    await browser.waitForTestId('picasso-message', { where: { 'data-role': 'assistant', 'data-status': 'complete' }, count, timeoutMs });
  } catch (error) {
    // Say where the widget got stuck: the states it went through and the reply's last status.
    const states = await connectionStates(browser).catch(() => []);
    const status = await browser.attr('picasso-message', 'data-status', assistantOnly).catch(() => null);
    const shown = (await lastAssistantText(browser).catch(() => '')).length;
    throw new Error(`no complete reply; states ${states.join(' > ')}; reply status ${status ?? 'none'} with ${shown} characters`, { cause: error });
  }
}

export interface DeliveryEvidence {
  reply: string;
  expected: string;
  modelCalls: number;
  chatPostsForwarded: number;
  chatPostsAll: number;
  states: string[];
}

/** What a scenario asserts on once its reply is complete. */
export async function deliveryEvidence(browser: E2EBrowser, stack: E2EStack, proxy: FaultProxy, text: string): Promise<DeliveryEvidence> {
  const host = new URL(stack.bffUrl).hostname;
  return {
    reply: await lastAssistantText(browser),
    expected: expectedReply(text),
    modelCalls: (stack.bedrock?.invocations() ?? []).filter((call) => call.operation === 'converse-stream' && call.lastUserText === text).length,
    chatPostsForwarded: proxy.count({ method: 'POST', host, path: '/v1/chat' }),
    chatPostsAll: proxy.count({ method: 'POST', host, path: '/v1/chat', outcome: 'any' }),
    states: await connectionStates(browser),
  };
}

export function bffScope(stack: E2EStack): { hosts: string[] } {
  return { hosts: [new URL(stack.bffUrl).hostname] };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
