import { Show } from 'solid-js';
import type { ChatMessage } from '../chat/transcript.js';

const notes: Partial<Record<ChatMessage['status'], string>> = {
  interrupted: 'Reply interrupted.',
  error: 'This reply could not be completed.',
};

/**
 * One message. The element QA selects (`picasso-message`) holds the message text
 * and nothing else, so its text content is exactly what was said; status notes sit
 * beside it. Model text is only ever a text node: never parsed as HTML.
 */
export function MessageItem(props: { message: ChatMessage }) {
  const note = () => (props.message.pending ? 'Waiting to send…' : notes[props.message.status]);
  return (
    <div class="message" classList={{ user: props.message.role === 'user', assistant: props.message.role === 'assistant', pending: props.message.pending }}>
      <p
        class="bubble"
        data-testid="picasso-message"
        data-role={props.message.role}
        data-status={props.message.status}
        data-pending={props.message.pending ? 'true' : undefined}
      >
        {props.message.text}
        <Show when={props.message.role === 'assistant' && props.message.status === 'streaming'}>
          <span class="cursor" aria-hidden="true" />
        </Show>
      </p>
      <Show when={note()}>
        <p class="note" classList={{ error: props.message.status === 'error' }}>
          {note()}
        </p>
      </Show>
    </div>
  );
}
