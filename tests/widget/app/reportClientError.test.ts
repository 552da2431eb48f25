import { describe, expect, it } from 'vitest';
import { errorCode, reportClientError } from '../../../src/widget/app/chat/reportClientError.js';
import { TestCrash } from '../../../src/widget/app/ui/crashHook.js';
import { clientErrorReport } from '../../../src/bff/routes/clientErrorRoutes.js';

describe('client error reports', () => {
  it('turns an error into a code from its class name only, never its message', () => {
    expect(errorCode(new TypeError('Cannot read properties of Maria Gonzalez'))).toBe('typeerror');
    expect(errorCode(new TestCrash('requested crash'))).toBe('testcrash');
    const odd = new Error('x');
    odd.name = 'Weird Name!<script>' + 'x'.repeat(100);
    expect(errorCode(odd)).toMatch(/^[a-z0-9_.-]{1,64}$/);
    expect(errorCode('a string')).toBe('string');
    const empty = new Error('x');
    empty.name = '!!!';
    expect(errorCode(empty)).toBe('unknown');
  });

  it('sends exactly the fields the server schema accepts, with the manage token, and swallows a failed send', async () => {
    const calls: Array<{ url: string; init: RequestInit }> = [];
    const fetchStub = ((url: string, init: RequestInit) => {
      calls.push({ url, init });
      return Promise.reject(new TypeError('offline'));
    }) as unknown as typeof fetch;
    reportClientError({ apiBase: 'https://bff.example', fetch: fetchStub, now: () => 0 }, 'mt', { v: 1, region: 'messages', code: 'typeerror' });
    await Promise.resolve();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('https://bff.example/v1/client-errors');
    expect((calls[0]?.init.headers as Record<string, string>).authorization).toBe('Bearer mt');
    expect(clientErrorReport.safeParse(JSON.parse(String(calls[0]?.init.body))).success).toBe(true);
  });
});
