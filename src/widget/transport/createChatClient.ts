import { createActor, fromPromise } from 'xstate';
import { connectionMachine } from '../../machines/connectionMachine.js';
import type { AuthorizeInput, ConnectionTiming, StopTurnInput, Turn } from '../../machines/connectionTypes.js';
import { sessionMachine, type RefreshInput, type Session, type SessionGrant } from '../../machines/sessionMachine.js';
import { authorizeSession } from './authorize.js';
import { stopReply } from './chatControl.js';
import type { HttpDeps } from './http.js';
import { createOpenStream } from './openStream.js';
import { probeHealth } from './probe.js';
import { mintSession, refreshSession } from './sessionApi.js';

export interface ChatClientOptions {
  http: HttpDeps;
  embedKey: string;
  storedSession: Session | null;
  pending: Turn[];
  persistSession: (session: Session) => void;
  forgetSession: () => void;
  /**
   * Runs every time the connection is authorized, before any turn is sent, so a
   * restored transcript is on screen before a resumed reply continues it.
   */
  onAuthorized?: (session: Session, restored: boolean) => Promise<void>;
  online?: boolean;
  hidden?: boolean;
  timing?: Partial<ConnectionTiming>;
}

/**
 * Wires the session and connection machines to the real HTTP transport.
 * The returned actors are not started: the caller subscribes first.
 */
export function createChatClient(options: ChatClientOptions) {
  const { http } = options;
  const session = createActor(
    sessionMachine.provide({
      actors: {
        mintSession: fromPromise<SessionGrant, void>(() => mintSession(http, options.embedKey)),
        refreshSession: fromPromise<SessionGrant, RefreshInput>(({ input }) => refreshSession(http, input.manageToken)),
      },
      actions: {
        persist: ({ context }) => {
          if (context.session) options.persistSession(context.session);
        },
        forget: () => options.forgetSession(),
      },
    }),
    { input: { stored: options.storedSession } },
  );

  const currentSession = (): Session | null => session.getSnapshot().context.session;

  const connection = createActor(
    connectionMachine.provide({
      actors: {
        authorize: fromPromise<void, AuthorizeInput>(async ({ input }) => {
          await authorizeSession(session, input.mode);
          const granted = currentSession();
          if (granted && options.onAuthorized) await options.onAuthorized(granted, session.getSnapshot().context.restored);
        }),
        openStream: createOpenStream({ ...http, streamToken: () => currentSession()?.tokens.stream.token ?? null }),
        probe: fromPromise<void, void>(() => probeHealth(http)),
        // A lost stop request is repeated by the machine on the next open; its error needs no handling here.
        stopTurn: fromPromise<void, StopTurnInput>(({ input }) =>
          stopReply(http, currentSession()?.tokens.stream.token ?? null, input.messageId).catch(() => undefined),
        ),
      },
    }),
    {
      input: {
        pending: options.pending,
        online: options.online ?? true,
        hidden: options.hidden ?? false,
        ...(options.timing ? { timing: options.timing } : {}),
      },
    },
  );

  return { session, connection, currentSession };
}

export type ChatClient = ReturnType<typeof createChatClient>;
