import type { ConnectionStateName } from '../../../machines/connectionTypes.js';

export type ConnectionTone = 'ok' | 'busy' | 'problem';

/** What a person is told about each connection state, and how alarming it looks. */
export function connectionLabel(state: ConnectionStateName): { text: string; tone: ConnectionTone } {
  switch (state) {
    case 'ready':
    case 'connecting':
    case 'streaming':
      return { text: 'Online', tone: 'ok' };
    case 'idle':
    case 'authorizing':
      return { text: 'Connecting…', tone: 'busy' };
    case 'stalled':
    case 'reconnecting':
      return { text: 'Reconnecting…', tone: 'busy' };
    case 'offline':
      return { text: 'Offline. Messages will wait.', tone: 'problem' };
    case 'suspended':
      return { text: 'Paused', tone: 'busy' };
    case 'failed':
      return { text: 'Connection lost.', tone: 'problem' };
    case 'closed':
      return { text: 'Closed', tone: 'problem' };
  }
}
