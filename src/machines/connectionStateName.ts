import type { SnapshotFrom } from 'xstate';
import type { connectionMachine } from './connectionMachine.js';
import type { ConnectionStateName } from './connectionTypes.js';

/** The name QA and the UI see (`data-state`): the innermost meaningful state. */
export function connectionStateName(snapshot: SnapshotFrom<typeof connectionMachine>): ConnectionStateName {
  const value = snapshot.value;
  if (typeof value === 'string') return value as ConnectionStateName;
  if ('turn' in value) return value.turn as ConnectionStateName;
  return Object.keys(value)[0] as ConnectionStateName;
}
