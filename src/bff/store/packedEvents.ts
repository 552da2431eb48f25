import type { TurnEvent } from '../chat/turnEvent.js';

/**
 * One event in its stored form. Events usually follow each other seq by seq, so the seq is left
 * out: a delta is its text alone, any other event `[type, data]`. An event whose seq does not
 * follow the one before it carries it: `[seq, type, data]`.
 */
export type PackedEvent = string | [TurnEvent['type'], TurnEvent['data']] | [number, TurnEvent['type'], TurnEvent['data']];

/** The stored form of a list of events: the first event's seq, then each event. */
type PackedEvents = [number, ...PackedEvent[]];

function packOne(event: TurnEvent, follows: boolean): PackedEvent {
  if (!follows) return [event.seq, event.type, event.data];
  return event.type === 'delta' ? event.data.text : [event.type, event.data];
}

/**
 * Events as stored in the turn log. A reply streams many deltas of a few characters; with the
 * seq and type of each left out, its stored log is little more than its text.
 */
export function packEvents(events: readonly TurnEvent[]): string {
  const packed: PackedEvents = [events[0]?.seq ?? 1];
  events.forEach((event, index) => packed.push(packOne(event, event.seq === (index === 0 ? packed[0] : events[index - 1]!.seq + 1))));
  return JSON.stringify(packed);
}

export function unpackEvents(stored: string): TurnEvent[] {
  const [first, ...packed] = JSON.parse(stored) as PackedEvents;
  const events: TurnEvent[] = [];
  let seq = first - 1;
  for (const entry of packed) {
    if (typeof entry === 'string') {
      seq += 1;
      events.push({ seq, type: 'delta', data: { text: entry } });
    } else if (entry.length === 2) {
      seq += 1;
      events.push({ seq, type: entry[0], data: entry[1] } as TurnEvent);
    } else {
      seq = entry[0];
      events.push({ seq, type: entry[1], data: entry[2] } as TurnEvent);
    }
  }
  return events;
}

/** Bytes an event adds to its stored list, so that a list can be cut to fit one item. */
export function packedSize(event: TurnEvent): number {
  return Buffer.byteLength(JSON.stringify(packOne(event, true))) + 1;
}
