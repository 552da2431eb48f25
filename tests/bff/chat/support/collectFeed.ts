import type { TurnEvent } from '../../../../src/bff/chat/turnEvent.js';

/** Every event a feed yields until it ends. */
export async function collectFeed(feed: AsyncGenerator<TurnEvent>): Promise<TurnEvent[]> {
  const events: TurnEvent[] = [];
  for await (const event of feed) events.push(event);
  return events;
}
