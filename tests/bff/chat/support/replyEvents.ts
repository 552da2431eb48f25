import type { TurnEvent } from '../../../../src/bff/chat/turnEvent.js';

/** A finished reply's events: `deltas` deltas (`t1 `, `t2 `, ...) and its `done`. */
export const replyEvents = (deltas: number, messageId = 'm1'): TurnEvent[] => [
  ...Array.from({ length: deltas }, (_, i): TurnEvent => ({ seq: i + 1, type: 'delta', data: { text: `t${i + 1} ` } })),
  { seq: deltas + 1, type: 'done', data: { messageId, stopReason: 'end_turn' } },
];
