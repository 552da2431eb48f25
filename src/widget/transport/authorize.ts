import { waitFor, type Actor } from 'xstate';
import type { AuthorizeInput } from '../../machines/connectionTypes.js';
import type { Failure } from '../../machines/failure.js';
import type { sessionMachine } from '../../machines/sessionMachine.js';

type SessionActor = Actor<typeof sessionMachine>;

const sessionFailed: Failure = { kind: 'fatal', code: 'session_failed' };

/**
 * Bridges the connection machine's `authorize` actor to the session actor:
 * `start` waits for any usable session, `refresh` for tokens newer than the ones
 * that were just rejected. Rejects with the session's own failure.
 */
export async function authorizeSession(session: SessionActor, mode: AuthorizeInput['mode']): Promise<void> {
  const before = session.getSnapshot();
  const generation = before.context.generation;
  if (before.matches('idle')) session.send({ type: 'START' });
  else if (before.matches('failed')) session.send({ type: 'RETRY' });
  else if (mode === 'refresh' && before.matches('active')) session.send({ type: 'REFRESH' });
  const settled = await waitFor(
    session,
    (snapshot) =>
      snapshot.matches('failed') ||
      (snapshot.matches('active') && (mode === 'start' || snapshot.context.generation > generation)),
  );
  if (settled.matches('failed')) throw settled.context.failure ?? sessionFailed;
}
