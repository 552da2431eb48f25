import { Show, createSignal } from 'solid-js';

export interface ComposerProps {
  canStop: boolean;
  onSend: (text: string) => boolean;
  onStop: () => void;
  /** Receives a function that focuses the input, for when the widget opens. */
  registerFocus: (focus: () => void) => void;
}

const maxRows = 6;

export function Composer(props: ComposerProps) {
  const [text, setText] = createSignal('');
  let input: HTMLTextAreaElement | undefined;
  props.registerFocus(() => input?.focus({ preventScroll: true }));

  const fit = () => {
    if (!input) return;
    input.style.height = 'auto';
    const line = parseFloat(getComputedStyle(input).lineHeight) || 24;
    input.style.height = `${Math.min(input.scrollHeight, line * maxRows + 16)}px`;
  };
  const submit = () => {
    if (props.onSend(text())) {
      setText('');
      if (input) input.value = '';
      fit();
    }
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label for="picasso-input" class="sr-only">
        Message
      </label>
      <textarea
        id="picasso-input"
        ref={input}
        class="input"
        data-testid="picasso-composer-input"
        rows={1}
        maxLength={4000}
        placeholder="Type your message"
        autocomplete="off"
        enterkeyhint="send"
        value={text()}
        onInput={(event) => {
          setText(event.currentTarget.value);
          fit();
        }}
        onKeyDown={(event) => {
          // Enter while an input method composes text confirms the composition, not the message.
          if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            submit();
          }
        }}
      />
      <Show when={props.canStop}>
        <button type="button" class="button secondary" data-testid="picasso-stop" aria-label="Stop the reply" onClick={() => props.onStop()}>
          Stop
        </button>
      </Show>
      <button type="submit" class="button send" data-testid="picasso-send" aria-label="Send message" disabled={text().trim() === ''}>
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path d="M3 20.5 21 12 3 3.5v7l12 1.5-12 1.5z" fill="currentColor" />
        </svg>
      </button>
    </form>
  );
}
