import { createSignal, onCleanup, type Accessor } from 'solid-js';
import { createStore, produce } from 'solid-js/store';
import { connectionStateName } from '../../../machines/connectionMachine.js';
import type { ConnectionStateName } from '../../../machines/connectionTypes.js';
import { asFailure, type Failure } from '../../../machines/failure.js';
import { createChatClient } from '../../transport/createChatClient.js';
import type { HttpDeps } from '../../transport/http.js';
import { makePageSignals } from '../../transport/pageSignals.js';
import type { SessionHttpDeps } from '../../transport/sessionApi.js';
import { clearConversation, fetchConversation, type ClearedCounts, type Conversation } from '../../transport/stateApi.js';
import { makeHandleRelay } from './handleRelay.js';
import { reportClientError, type ErrorRegion } from './reportClientError.js';
import type { ParentBridge } from '../bridge/parentBridge.js';
import { makeSessionHandleSource, takeSessionHandle } from '../storage/sessionHandle.js';
import type { WidgetStore } from '../storage/widgetStore.js';
import {
  addUserTurn,
  appendDelta,
  completeTurn,
  failTurn,
  interruptTurn,
  keepPendingOnly,
  openTurn,
  restoreTranscript,
  stampNew,
  type ChatMessage,
} from './transcript.js';

export interface ChatControllerDeps {
  win: Window;
  http: HttpDeps;
  embedKey: string;
  store: WidgetStore;
  bridge: ParentBridge;
  newId: () => string;
  /** The server's SSE heartbeat interval, from which the stall watchdog is set. */
  heartbeatMs?: number;
}

export interface ChatController {
  messages: ChatMessage[];
  connection: Accessor<ConnectionStateName>;
  /** A reply is being generated and can be stopped. */
  canStop: Accessor<boolean>;
  /** Text for the polite live region: the latest completed reply. */
  announcement: Accessor<string>;
  send: (text: string) => boolean;
  stop: () => void;
  retry: () => void;
  /** Deletes the conversation on the server and starts afresh; what was deleted, or null on failure. */
  clear: () => Promise<ClearedCounts | null>;
  /** Sends the user message of a reply that failed again, as a new message. */
  retryReply: (messageId: string) => boolean;
  /** Tells the server that a region crashed: its name and an error code, never any text. */
  reportCrash: (region: ErrorRegion, code: string) => void;
}

/**
 * The conversation as the UI sees it: a transcript store fed by the connection
 * machine's events, plus the commands the components call. Must run inside a
 * Solid root; everything it starts is stopped by that root's cleanup.
 */
export function createChatController(deps: ChatControllerDeps): ChatController {
  const { http, store, bridge } = deps;
  // Without storage of its own the iframe relies on the host page for a session handle, and takes
  // the reply still being generated from the server's state (its text never went to the host).
  const handle = takeSessionHandle(deps.win);
  const viaHost = !store.persistent;
  const sessionHttp: SessionHttpDeps = viaHost && handle ? { ...http, sessionHandle: makeSessionHandleSource(handle) } : http;
  const initial = store.loadPending();
  // The server already holds the first unfinished turn of an earlier page, even before it reopens here.
  const carriedHead = initial.headReachedServer ? initial.turns[0]?.messageId : undefined;
  const [state, setState] = createStore({ messages: restoreTranscript([], initial.turns, false) });
  const [connection, setConnection] = createSignal<ConnectionStateName>('idle');
  const [canStop, setCanStop] = createSignal(false);
  const [announcement, setAnnouncement] = createSignal('');
  let transcriptLoaded = false;

  const edit = (change: (list: ChatMessage[]) => void) =>
    setState(
      'messages',
      produce((list) => {
        change(list);
        stampNew(list, http.now());
      }),
    );

  const client = createChatClient({
    http: sessionHttp,
    embedKey: deps.embedKey,
    storedSession: store.loadSession(),
    pending: initial.turns,
    persistSession: store.saveSession,
    forgetSession: store.clearSession,
    online: deps.win.navigator.onLine,
    hidden: deps.win.document.visibilityState === 'hidden',
    ...(deps.heartbeatMs === undefined ? {} : { timing: { heartbeatMs: deps.heartbeatMs } }),
    onAuthorized: async (session, restored) => {
      if (!restored || transcriptLoaded) return;
      let stored: Conversation;
      try {
        stored = await fetchConversation(http, session.tokens.manage.token);
      } catch (error) {
        // Without a network nothing else would work either: let the connection wait for it.
        if (asFailure(error).kind === 'network') throw error;
        // A server that cannot produce the history must not also stop the conversation going on.
        transcriptLoaded = true;
        return;
      }
      const { unfinished } = stored;
      // Only into an empty queue: a message typed meanwhile would otherwise be answered first.
      if (viaHost && unfinished && client.connection.getSnapshot().context.turns.length === 0) {
        client.connection.send({ type: 'SEND', turn: unfinished });
      }
      const { turns } = client.connection.getSnapshot().context;
      const head = turns[0]?.messageId;
      const headReachedServer = head !== undefined && (head === carriedHead || head === unfinished?.messageId);
      setState('messages', restoreTranscript(stored.messages, turns, headReachedServer));
      transcriptLoaded = true;
    },
  });
  const { connection: connectionActor, session } = client;

  let savedTurns = initial.turns;
  let savedReached = initial.headReachedServer;
  connectionActor.subscribe((snapshot) => {
    setConnection(connectionStateName(snapshot));
    const { turns, opened } = snapshot.context;
    setCanStop(opened && turns.length > 0 && snapshot.matches({ turn: 'streaming' }));
    const reached = opened || (carriedHead !== undefined && turns[0]?.messageId === carriedHead);
    // Snapshots come with every streamed token; storage is written only when the queue changes.
    if (turns !== savedTurns || reached !== savedReached) {
      savedTurns = turns;
      savedReached = reached;
      store.savePending({ turns, headReachedServer: reached });
    }
  });
  connectionActor.on('turn.opened', ({ messageId }) => {
    edit((list) => openTurn(list, messageId));
  });
  connectionActor.on('turn.delta', ({ messageId, text }) => {
    edit((list) => appendDelta(list, messageId, text));
  });
  connectionActor.on('turn.done', ({ messageId, stopReason }) => {
    let reply: ChatMessage | undefined;
    edit((list) => {
      reply = { ...completeTurn(list, messageId, stopReason) };
    });
    if (reply) {
      setAnnouncement(reply.text);
      bridge.post({ type: 'message', role: 'assistant', messageId, status: reply.status });
    }
  });
  connectionActor.on('turn.failed', ({ messageId }) => {
    edit((list) => failTurn(list, messageId));
    bridge.post({ type: 'message', role: 'assistant', messageId, status: 'error' });
  });
  connectionActor.on('turn.interrupted', ({ messageId }) => {
    edit((list) => interruptTurn(list, messageId));
  });
  if (viaHost) session.on('session.granted', makeHandleRelay(http, bridge));
  session.on('session.replaced', () => {
    transcriptLoaded = false;
    edit(keepPendingOnly);
  });

  let reportedFailure: string | null = null;
  connectionActor.subscribe((snapshot) => {
    const failure: Failure | null = snapshot.matches('failed') ? snapshot.context.failure : null;
    const code = failure ? failure.code : null;
    if (code && code !== reportedFailure) bridge.post({ type: 'error', code });
    reportedFailure = code;
  });

  session.start();
  connectionActor.start();
  const stopSignals = makePageSignals(deps.win, (event) => connectionActor.send(event));
  connectionActor.send({ type: 'START' });
  onCleanup(() => {
    stopSignals();
    connectionActor.send({ type: 'DISPOSE' });
    connectionActor.stop();
    session.stop();
  });

  const controller: ChatController = {
    get messages() {
      return state.messages;
    },
    connection,
    canStop,
    announcement,
    send: (text) => {
      const trimmed = text.trim();
      if (trimmed === '') return false;
      const turn = { messageId: deps.newId(), text: trimmed };
      edit((list) => addUserTurn(list, turn));
      bridge.post({ type: 'message', role: 'user', messageId: turn.messageId, status: 'complete' });
      connectionActor.send({ type: 'SEND', turn });
      return true;
    },
    stop: () => connectionActor.send({ type: 'STOP' }),
    retry: () => connectionActor.send({ type: 'RETRY' }),
    clear: async () => {
      const manage = client.currentSession()?.tokens.manage.token;
      if (!manage) return null;
      let cleared: ClearedCounts;
      try {
        cleared = await clearConversation(http, manage);
      } catch {
        return null;
      }
      session.send({ type: 'RESET' });
      connectionActor.send({ type: 'RESET' });
      transcriptLoaded = true;
      setState('messages', []);
      setAnnouncement('');
      return cleared;
    },
    retryReply(messageId) {
      const user = state.messages.find((message) => message.role === 'user' && message.messageId === messageId);
      return user ? controller.send(user.text) : false;
    },
    reportCrash: (region, code) => {
      const manage = client.currentSession()?.tokens.manage.token;
      if (manage) reportClientError(http, manage, { v: 1, region, code });
    },
  };
  return controller;
}
