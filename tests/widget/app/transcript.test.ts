import { describe, expect, it } from 'vitest';
import {
  addUserTurn,
  appendDelta,
  completeTurn,
  failTurn,
  interruptTurn,
  keepPendingOnly,
  openTurn,
  restoreTranscript,
  type ChatMessage,
} from '../../../src/widget/app/chat/transcript.js';

const turn = { messageId: 'm-1', text: 'hello' };
const view = (list: ChatMessage[]) => list.map((m) => [m.role, m.text, m.status, m.pending]);

describe('transcript', () => {
  it('shows a sent message as pending until the server accepts it', () => {
    const list: ChatMessage[] = [];
    addUserTurn(list, turn);
    expect(view(list)).toEqual([['user', 'hello', 'complete', true]]);
    openTurn(list, 'm-1');
    expect(view(list)).toEqual([
      ['user', 'hello', 'complete', false],
      ['assistant', '', 'streaming', false],
    ]);
  });

  it('adds a user message only once per messageId', () => {
    const list: ChatMessage[] = [];
    addUserTurn(list, turn);
    addUserTurn(list, turn);
    expect(list).toHaveLength(1);
  });

  it('appends streamed text to the reply that belongs to its message', () => {
    const list: ChatMessage[] = [];
    addUserTurn(list, turn);
    addUserTurn(list, { messageId: 'm-2', text: 'second' });
    openTurn(list, 'm-1');
    appendDelta(list, 'm-1', 'Hi ');
    appendDelta(list, 'm-1', 'there');
    expect(view(list)).toEqual([
      ['user', 'hello', 'complete', false],
      ['assistant', 'Hi there', 'streaming', false],
      ['user', 'second', 'complete', true],
    ]);
  });

  it('completes a reply, or marks it interrupted when it was stopped', () => {
    const list: ChatMessage[] = [];
    addUserTurn(list, turn);
    appendDelta(list, 'm-1', 'x');
    expect(completeTurn(list, 'm-1', 'end_turn').status).toBe('complete');
    expect(completeTurn(list, 'm-1', 'stopped').status).toBe('interrupted');
  });

  it('marks a failed reply as an error and its message as no longer pending', () => {
    const list: ChatMessage[] = [];
    addUserTurn(list, turn);
    failTurn(list, 'm-1');
    expect(view(list)).toEqual([
      ['user', 'hello', 'complete', false],
      ['assistant', '', 'error', false],
    ]);
  });

  it('marks only a streaming reply as interrupted, and streams it again when reopened', () => {
    const list: ChatMessage[] = [];
    addUserTurn(list, turn);
    openTurn(list, 'm-1');
    interruptTurn(list, 'm-1');
    expect(list[1]?.status).toBe('interrupted');
    openTurn(list, 'm-1');
    expect(list[1]?.status).toBe('streaming');
    completeTurn(list, 'm-1', 'end_turn');
    interruptTurn(list, 'm-1');
    expect(list[1]?.status).toBe('complete');
  });

  it('keeps only pending messages when the session is replaced', () => {
    const list: ChatMessage[] = [];
    addUserTurn(list, turn);
    openTurn(list, 'm-1');
    addUserTurn(list, { messageId: 'm-2', text: 'later' });
    keepPendingOnly(list);
    expect(view(list)).toEqual([['user', 'later', 'complete', true]]);
  });

  describe('restoreTranscript', () => {
    const stored = [
      { role: 'user' as const, text: 'first' },
      { role: 'assistant' as const, text: 'answer' },
    ];

    it('shows the stored conversation as complete messages', () => {
      expect(view(restoreTranscript(stored, [], false))).toEqual([
        ['user', 'first', 'complete', false],
        ['assistant', 'answer', 'complete', false],
      ]);
    });

    it('drops the partial reply of a turn the server has, since the resume replays it whole', () => {
      const withPartial = [...stored, { role: 'user' as const, text: 'hello' }, { role: 'assistant' as const, text: 'Hal' }];
      const list = restoreTranscript(withPartial, [turn], true);
      expect(view(list)).toEqual([
        ['user', 'first', 'complete', false],
        ['assistant', 'answer', 'complete', false],
        ['user', 'hello', 'complete', false],
      ]);
      expect(list[2]?.key).toBe('u:m-1');
      appendDelta(list, 'm-1', 'Hallo');
      expect(list.filter((m) => m.role === 'assistant').map((m) => m.text)).toEqual(['answer', 'Hallo']);
    });

    it('never cuts a finished reply when the unfinished turn never reached the server', () => {
      const repeated = [...stored, { role: 'user' as const, text: 'hello' }, { role: 'assistant' as const, text: 'Hi!' }];
      expect(view(restoreTranscript(repeated, [turn], false))).toEqual([
        ['user', 'first', 'complete', false],
        ['assistant', 'answer', 'complete', false],
        ['user', 'hello', 'complete', false],
        ['assistant', 'Hi!', 'complete', false],
        ['user', 'hello', 'complete', true],
      ]);
    });

    it('appends turns still waiting to be sent as pending', () => {
      const list = restoreTranscript(stored, [turn, { messageId: 'm-2', text: 'more' }], false);
      expect(view(list).slice(2)).toEqual([
        ['user', 'hello', 'complete', true],
        ['user', 'more', 'complete', true],
      ]);
    });
  });
});
