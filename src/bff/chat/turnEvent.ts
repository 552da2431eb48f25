/** One server-sent event of a turn; `seq` is its SSE id, increasing from 1 within the turn. */
export type TurnEvent =
  | { seq: number; type: 'delta'; data: { text: string } }
  | { seq: number; type: 'done'; data: { messageId: string; stopReason: string } }
  | { seq: number; type: 'error'; data: { code: string; message: string; retryable: boolean } };

export type TurnEventBody = TurnEvent extends infer E ? (E extends TurnEvent ? Omit<E, 'seq'> : never) : never;

export type TurnStatus = 'generating' | 'complete' | 'stopped' | 'failed' | 'interrupted';

/** The reply text a turn's events carry: its deltas, in order. */
export function replyText(events: readonly TurnEvent[]): string {
  return events.map((event) => (event.type === 'delta' ? event.data.text : '')).join('');
}

export function isTerminal(event: TurnEventBody): boolean {
  return event.type !== 'delta';
}

/** Status a turn ends with, given its terminal event. */
export function statusOf(terminal: TurnEventBody): Exclude<TurnStatus, 'generating'> {
  if (terminal.type === 'done') return terminal.data.stopReason === 'stopped' ? 'stopped' : 'complete';
  if (terminal.type === 'error' && terminal.data.code === 'generation_interrupted') return 'interrupted';
  return 'failed';
}
