import type { ChatController } from '../chat/createChatController.js';
import { ClearConversation } from './ClearConversation.js';
import { Composer } from './Composer.js';
import { ConnectionIndicator } from './ConnectionIndicator.js';
import { Header } from './Header.js';
import { LiveRegion } from './LiveRegion.js';
import { MessageList } from './MessageList.js';
import { RecoverableBoundary } from './RecoverableBoundary.js';

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
  return (
    <div class="widget">
      <RecoverableBoundary>
        <Header
          title={props.title}
          canClose={props.canClose}
          onClose={props.onClose}
          status={<ConnectionIndicator state={chat.connection()} onRetry={chat.retry} />}
          actions={<ClearConversation onConfirm={chat.clear} />}
        />
      </RecoverableBoundary>
      <RecoverableBoundary>
        <MessageList messages={chat.messages} greeting={props.greeting} />
      </RecoverableBoundary>
      <LiveRegion text={chat.announcement()} />
      <RecoverableBoundary>
        <Composer canStop={chat.canStop()} onSend={chat.send} onStop={chat.stop} registerFocus={props.registerFocus} />
      </RecoverableBoundary>
    </div>
  );
}
