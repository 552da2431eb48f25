import { describe, expect, it } from 'vitest';
import { FaultMarkerError, parseFaults, stripFaultMarkers } from '../../../src/local/bedrock/faults.js';
import {
  demoReply,
  expectedChunks,
  expectedReply,
  planReply,
  replyTokens,
} from '../../../src/local/bedrock/responder.js';

const SAMPLE_TEXTS = Array.from({ length: 200 }, (_, i) => `Question number ${i} about my appointment`);

describe('demoReply', () => {
  it('returns the same reply for the same text and different replies for different texts', () => {
    expect(demoReply('When is the clinic open?')).toBe(demoReply('When is the clinic open?'));
    expect(new Set(SAMPLE_TEXTS.map(demoReply)).size).toBeGreaterThan(20);
  });

  it('ignores fault markers and the whitespace they leave', () => {
    expect(demoReply('Where do I park? [fault:slow=5] [fault:long=9]')).toBe(demoReply('Where do I park?'));
    expect(demoReply('[fault:throttle-once]Where do I park?')).toBe(demoReply('Where do I park?'));
  });

  it('writes 40 to 80 words with markdown and characters beyond ASCII and the BMP', () => {
    for (const text of SAMPLE_TEXTS) {
      const reply = demoReply(text);
      const words = reply.split(/\s+/).filter(Boolean).length;
      expect(words).toBeGreaterThanOrEqual(40);
      expect(words).toBeLessThanOrEqual(80);
      expect(reply).toMatch(/\*\*[^*]+\*\*/);
      expect(reply).toMatch(/^- ✓ /m);
      for (const char of ['é', '—', '✓', '🩺']) expect(reply).toContain(char);
    }
  });
});

describe('replyTokens', () => {
  it('splits into chunks of 2 to 6 code points that rebuild the reply exactly', () => {
    for (const text of SAMPLE_TEXTS) {
      const reply = demoReply(text);
      const chunks = replyTokens(reply);
      expect(chunks.join('')).toBe(reply);
      for (const chunk of chunks) {
        const size = Array.from(chunk).length;
        expect(size).toBeGreaterThanOrEqual(2);
        expect(size).toBeLessThanOrEqual(6);
      }
    }
  });

  it('never leaves half a surrogate pair at either end of a chunk', () => {
    const reply = '🩺🩺a🩺bb🩺🩺🩺c🩺'.repeat(20);
    const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    for (const chunk of replyTokens(reply)) expect(chunk).not.toMatch(loneSurrogate);
  });

  it('splits the same reply the same way every time', () => {
    const reply = demoReply('Is parking free?');
    expect(replyTokens(reply)).toEqual(replyTokens(reply));
  });
});

describe('fault markers', () => {
  it('parses every marker with its value', () => {
    expect(
      parseFaults('x [fault:throttle] [fault:throttle-once] [fault:error-after=3] [fault:hang-after=4] [fault:slow=25] [fault:long=7]'),
    ).toEqual({ throttle: true, throttleOnce: true, errorAfter: 3, hangAfter: 4, slowMs: 25, long: 7 });
    expect(parseFaults('no markers here')).toEqual({ throttle: false, throttleOnce: false });
  });

  it('rejects unknown markers and malformed values instead of ignoring them', () => {
    expect(() => parseFaults('[fault:explode]')).toThrow(FaultMarkerError);
    expect(() => parseFaults('[fault:slow=fast]')).toThrow(FaultMarkerError);
    expect(() => parseFaults('[fault:long=0]')).toThrow(FaultMarkerError);
    expect(() => parseFaults('[fault:error-after]')).toThrow(FaultMarkerError);
  });

  it('strips markers and normalises the whitespace they leave', () => {
    expect(stripFaultMarkers('  Hello [fault:slow=3]  there [fault:throttle] ')).toBe('Hello there');
  });
});

describe('expectedReply', () => {
  it('is the whole demo reply when no marker cuts it', () => {
    const text = 'Can I eat before a blood test? [fault:slow=1] [fault:throttle-once]';
    expect(expectedReply(text)).toBe(demoReply(text));
  });

  it('is exactly N chunks of demo text for long=N, shorter or longer than a normal reply', () => {
    for (const count of [3, 500]) {
      const chunks = expectedChunks(`Tell me more [fault:long=${count}]`);
      expect(chunks).toHaveLength(count);
      expect(chunks.join('').startsWith(demoReply('Tell me more').slice(0, 6))).toBe(true);
    }
  });

  it('is the prefix of N chunks for error-after=N and hang-after=N, and empty for throttle', () => {
    const full = expectedChunks('Hi');
    expect(expectedChunks('Hi [fault:error-after=4]')).toEqual(full.slice(0, 4));
    expect(expectedChunks('Hi [fault:hang-after=5]')).toEqual(full.slice(0, 5));
    expect(expectedReply('Hi [fault:throttle]')).toBe('');
  });

  it('ends in the earlier of error-after and hang-after, and fires even past a short reply', () => {
    expect(planReply('Hi [fault:error-after=2] [fault:hang-after=5]')).toMatchObject({ sentChunks: 2, ending: 'model-error' });
    expect(planReply('Hi [fault:error-after=6] [fault:hang-after=5]')).toMatchObject({ sentChunks: 5, ending: 'hang' });
    expect(planReply('Hi [fault:long=3] [fault:error-after=10]')).toMatchObject({ sentChunks: 3, ending: 'model-error' });
    expect(planReply('Hi')).toMatchObject({ ending: 'complete' });
  });
});
