import type { ChatController } from '../chat/createChatController.js';
import type { ChatMessage } from '../chat/transcript.js';
import { Composer } from './Composer.js';
import { ConnectionIndicator } from './ConnectionIndicator.js';
import { Header } from './Header.js';
import { LiveRegion } from './LiveRegion.js';
import { MessageList } from './MessageList.js';
import { RecoverableBoundary } from './RecoverableBoundary.js';
import { StatePanel } from './StatePanel.js';

export interface AppProps {
  title: string;
  greeting: string;
  chat: ChatController;
  canClose: boolean;
  onClose: () => void;
  registerFocus: (focus: () => void) => void;
}

/** The widget's layout: each region recovers from a crash on its own. */
export function App(props: AppProps) {
  const chat = props.chat;
  // A reply cut off by a lost connection resumes; a refused or stopped one is asked again.
  const retry = (message: ChatMessage) => {
    if (message.status === 'interrupted' && chat.connection() === 'failed') chat.retry();
    else if (message.messageId) chat.retryReply(message.messageId);
  };
  return (
    <div class="widget">
      <RecoverableBoundary region="panel" onCrash={chat.reportCrash}>
        <Header
          title={props.title}
          canClose={props.canClose}
          onClose={props.onClose}
          status={<ConnectionIndicator state={chat.connection()} onRetry={chat.retry} />}
          actions={<StatePanel onClear={chat.clear} />}
        />
      </RecoverableBoundary>
      <main class="main">
        <RecoverableBoundary region="messages" onCrash={chat.reportCrash}>
          <MessageList messages={chat.messages} greeting={props.greeting} onRetry={retry} />
        </RecoverableBoundary>
        <LiveRegion text={chat.announcement()} />
        <RecoverableBoundary region="composer" onCrash={chat.reportCrash}>
          <Composer canStop={chat.canStop()} onSend={chat.send} onStop={chat.stop} registerFocus={props.registerFocus} />
        </RecoverableBoundary>
      </main>
    </div>
  );
}
