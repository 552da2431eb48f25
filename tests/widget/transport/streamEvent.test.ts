import { describe, expect, it } from 'vitest';
import { parseStreamMessage } from '../../../src/widget/transport/streamEvent.js';

const message = (event: string, data: unknown, id = '1') => ({ id, event, data: typeof data === 'string' ? data : JSON.stringify(data) });

describe('parseStreamMessage', () => {
  it('reads delta, done and error events with their ids', () => {
    expect(parseStreamMessage(message('delta', { text: 'Hi' }, '3'))).toEqual({ kind: 'delta', id: '3', text: 'Hi' });
    expect(parseStreamMessage(message('done', { messageId: 'm', stopReason: 'stopped' }, '9'))).toEqual({
      kind: 'done',
      id: '9',
      messageId: 'm',
      stopReason: 'stopped',
    });
    expect(parseStreamMessage(message('error', { code: 'model_error', message: 'x', retryable: true }))).toEqual({
      kind: 'error',
      id: '1',
      code: 'model_error',
      retryable: true,
    });
  });

  it('treats the empty block a comment produces as a heartbeat', () => {
    expect(parseStreamMessage({ id: '', event: '', data: '' })).toBe('heartbeat');
  });

  it('gives an event without an id a null id', () => {
    expect(parseStreamMessage(message('delta', { text: 'x' }, ''))).toEqual({ kind: 'delta', id: null, text: 'x' });
  });

  it('treats an error without retryable: true as not retryable', () => {
    expect(parseStreamMessage(message('error', { code: 'bad' }))).toMatchObject({ retryable: false });
  });

  it('drops malformed or unknown events', () => {
    expect(parseStreamMessage(message('delta', '{not json'))).toBeNull();
    expect(parseStreamMessage(message('delta', { text: 5 }))).toBeNull();
    expect(parseStreamMessage(message('delta', '[1,2]'))).toBeNull();
    expect(parseStreamMessage(message('done', { stopReason: 'end_turn' }))).toBeNull();
    expect(parseStreamMessage(message('error', { retryable: true }))).toBeNull();
    expect(parseStreamMessage(message('usage', { tokens: 3 }))).toBeNull();
  });
});
