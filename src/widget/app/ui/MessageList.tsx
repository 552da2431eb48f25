import { For, Show, createEffect, on } from 'solid-js';
import type { ChatMessage } from '../chat/transcript.js';
import { MessageItem } from './MessageItem.js';

/** Distance from the bottom within which new text keeps the list scrolled down. */
const stickyPx = 80;

/**
 * The transcript. Deliberately not a live region: screen readers would read
 * every streamed token. Completed replies are announced by the LiveRegion.
 */
export function MessageList(props: { messages: ChatMessage[]; greeting: string; onRetry: (message: ChatMessage) => void }) {
  let list: HTMLElement | undefined;
  let sticky = true;
  const onScroll = () => {
    if (list) sticky = list.scrollHeight - list.scrollTop - list.clientHeight < stickyPx;
  };
  createEffect(
    on(
      () => {
        const last = props.messages[props.messages.length - 1];
        return `${props.messages.length}:${last?.text.length ?? 0}`;
      },
      () => {
        if (list && sticky) list.scrollTop = list.scrollHeight;
      },
    ),
  );
  return (
    <section class="messages" aria-label="Conversation" ref={list} onScroll={onScroll}>
      <Show when={props.greeting}>
        <p class="greeting">{props.greeting}</p>
      </Show>
      <For each={props.messages}>{(message) => <MessageItem message={message} onRetry={props.onRetry} />}</For>
    </section>
  );
}
