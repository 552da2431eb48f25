import { Show, createSignal } from 'solid-js';
import type { ChatMessage } from '../chat/transcript.js';
import { MarkdownText } from './MarkdownText.js';

const notes: Partial<Record<ChatMessage['status'], string>> = {
  interrupted: 'Reply interrupted.',
  error: 'This reply could not be completed.',
};

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/**
 * One message. The element QA selects (`picasso-message`) holds the message and nothing else:
 * its textContent is exactly what was said (markdown markers stay in it, hidden), and notes,
 * time and actions sit beside it.
 */
export function MessageItem(props: { message: ChatMessage; onRetry: (message: ChatMessage) => void }) {
  const [copied, setCopied] = createSignal(false);
  const note = () => (props.message.pending ? 'Waiting to send…' : notes[props.message.status]);
  const assistant = () => props.message.role === 'assistant';
  const done = () => props.message.status !== 'streaming';
  const copy = () => {
    void navigator.clipboard?.writeText(props.message.text).then(
      () => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      },
      () => {},
    );
  };
  return (
    <div class="message" classList={{ user: !assistant(), assistant: assistant(), pending: props.message.pending }}>
      <div
        class="bubble"
        data-testid="picasso-message"
        data-role={props.message.role}
        data-status={props.message.status}
        data-pending={props.message.pending ? 'true' : undefined}
      >
        <Show when={assistant()} fallback={props.message.text}>
          <MarkdownText text={props.message.text} />
        </Show>
        <Show when={assistant() && props.message.status === 'streaming'}>
          <span class="cursor" aria-hidden="true" />
        </Show>
      </div>
      <div class="meta">
        <Show when={props.message.at !== undefined}>
          <time dateTime={new Date(props.message.at ?? 0).toISOString()}>{timeFormat.format(props.message.at)}</time>
        </Show>
        <Show when={note()}>
          <span class="note" classList={{ error: props.message.status === 'error' }}>
            {note()}
          </span>
        </Show>
        <Show when={assistant() && (props.message.status === 'error' || props.message.status === 'interrupted') && props.message.messageId}>
          <button type="button" class="link-button" data-testid="picasso-retry" onClick={() => props.onRetry(props.message)}>
            Retry
          </button>
        </Show>
        <Show when={assistant() && done() && props.message.text !== ''}>
          <button type="button" class="link-button" aria-label="Copy reply" onClick={copy}>
            {copied() ? 'Copied' : 'Copy'}
          </button>
        </Show>
      </div>
    </div>
  );
}
