import { onCleanup } from 'solid-js';
import { makeParentBridge } from '../bridge/parentBridge.js';
import { createChatController } from '../chat/createChatController.js';
import { newMessageId } from '../chat/newMessageId.js';
import type { WidgetConfig } from '../config/widgetConfig.js';
import { makeWidgetStore } from '../storage/widgetStore.js';
import { App } from './App.js';
import { makeCrashHook } from './crashHook.js';
import { RecoverableBoundary } from './RecoverableBoundary.js';

export interface WidgetProps {
  win: Window;
  config: WidgetConfig;
  /** The verified host origin, or null when there is no host to talk to. */
  hostOrigin: string | null;
}

/** Wires config, host bridge, storage and the chat controller together, then renders the app. */
export function Widget(props: WidgetProps) {
  const { win, config } = props;
  let focusComposer = () => {};
  const bridge = makeParentBridge(win, props.hostOrigin, (message) => {
    if (message.type === 'open') focusComposer();
  });
  const close = () => bridge.post({ type: 'close' });
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !event.defaultPrevented) close();
  };
  win.document.addEventListener('keydown', onKeyDown);
  const stopCrashHook = makeCrashHook(win, config.testHooks);
  onCleanup(() => {
    stopCrashHook();
    win.document.removeEventListener('keydown', onKeyDown);
    bridge.dispose();
  });

  const chat = createChatController({
    win,
    http: { apiBase: config.apiBase, fetch: win.fetch.bind(win), now: () => Date.now() },
    embedKey: config.embedKey,
    store: makeWidgetStore(() => win.localStorage, config.embedKey),
    bridge,
    newId: () => newMessageId(win.crypto),
    heartbeatMs: config.heartbeatMs,
  });

  queueMicrotask(() => bridge.post({ type: 'ready', theme: config.theme.accent ? { accent: config.theme.accent } : {} }));

  return (
    <RecoverableBoundary region="app" onCrash={chat.reportCrash}>
      <App
        title={config.theme.title || config.tenantName || 'Chat'}
        greeting={config.theme.greeting ?? 'Hello! How can we help you today?'}
        chat={chat}
        canClose={props.hostOrigin !== null}
        onClose={close}
        registerFocus={(focus) => {
          focusComposer = focus;
        }}
      />
    </RecoverableBoundary>
  );
}
