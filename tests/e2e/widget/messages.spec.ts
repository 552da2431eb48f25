import { expectedReply } from '../../../src/local/bedrock/responder.js';
import { expect, test } from '../support/fixtures.js';
import { openWidget, sendAndAwaitReply, settle } from './widgetSteps.js';

const payload = '<img src=x onerror="window.top.__pwned=1"> <script>window.__pwned=2</script> [x](javascript:alert(1)) **bold?**';

test.describe('messages are shown safely', () => {
  test('HTML and a javascript: link in a message are shown as text and nothing executes in the widget or the host page', async ({ browserUnderTest: browser, stack }) => {
    await openWidget(browser, stack);
    const reply = await sendAndAwaitReply(browser, payload, 1);
    if (stack.bedrock) expect(reply).toBe(expectedReply(payload));

    const check = async () => {
      expect(await browser.textsOf('picasso-message', { where: { 'data-role': 'user' } })).toEqual([payload]);
      const found = await browser.evaluate(() => ({
        elements: document.querySelectorAll('.messages img, .messages script, .messages iframe, .messages svg:not([aria-hidden])').length,
        jsLinks: Array.from(document.querySelectorAll('a')).filter((a) => !/^https?:/i.test(a.href)).length,
        pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
      }));
      expect(found).toEqual({ elements: 0, jsLinks: 0, pwned: null });
    };
    await settle();
    await check();
    await browser.mainFrame();
    expect(await browser.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? null)).toBeNull();
  });

  test('an assistant reply in markdown is formatted while its text content stays exactly the reply', async ({ browserUnderTest: browser, stack }) => {
    await openWidget(browser, stack);
    const text = `What should I bring to my appointment? (${browser.engine})`;
    const reply = await sendAndAwaitReply(browser, text, 1);
    if (stack.bedrock) expect(reply).toBe(expectedReply(text));
    const shape = await browser.evaluate(() => {
      const bubble = document.querySelector('[data-testid="picasso-message"][data-role="assistant"]')!;
      return {
        strong: bubble.querySelectorAll('strong').length,
        items: bubble.querySelectorAll('ul > li').length,
        visibleMarkers: (bubble as HTMLElement).innerText.includes('**'),
      };
    });
    expect(shape).toEqual({ strong: 1, items: 3, visibleMarkers: false });
    expect(await browser.evaluate(() => document.querySelectorAll('time').length)).toBe(2);
  });
});

test.describe('your data panel', () => {
  test('shows what is kept and for how long, clears after confirmation with counts, and a fresh session goes on', async ({ browserUnderTest: browser, stack, faultProxy }) => {
    const mints = () => faultProxy.count({ method: 'POST', host: new URL(stack.bffUrl).hostname, path: '/v1/sessions' });
    await openWidget(browser, stack);
    await sendAndAwaitReply(browser, `First message to clear (${browser.engine})`, 1);
    await browser.click('picasso-clear');
    await browser.waitForTestId('picasso-state-panel');
    const panel = (await browser.textsOf('picasso-state-panel'))[0] ?? '';
    for (const fact of ['Messages24 hours', 'Conversation summary7 days', 'Facts noted from the conversation7 days', 'Reply delivery records24 hours', 'several years']) {
      expect(panel).toContain(fact);
    }
    const mintsBefore = mints();
    await browser.click('picasso-clear-confirm');
    await browser.waitForTestId('picasso-clear-result');
    expect((await browser.textsOf('picasso-clear-result'))[0]).toMatch(/^Deleted 2 messages, \d+ summar(y|ies) and \d+ facts?\. A new conversation has started\.$/);
    expect(await browser.textsOf('picasso-message')).toEqual([]);

    const text = `A new question after clearing (${browser.engine})`;
    const reply = await sendAndAwaitReply(browser, text, 1);
    if (stack.bedrock) expect(reply).toBe(expectedReply(text));
    expect(await browser.textsOf('picasso-message', { where: { 'data-role': 'user' } })).toEqual([text]);
    // The clear was followed by a new session, not by more turns on the cleared one.
    expect(mints()).toBe(mintsBefore + 1);
  });
});
