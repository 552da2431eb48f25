import { Show, type JSX } from 'solid-js';

export function Header(props: { title: string; canClose: boolean; onClose: () => void; actions: JSX.Element; status: JSX.Element }) {
  return (
    <header class="header">
      <div class="header-text">
        <h1 class="title">{props.title}</h1>
        {props.status}
      </div>
      <div class="header-actions">
        {props.actions}
        <Show when={props.canClose}>
          <button type="button" class="icon-button" aria-label="Close chat" onClick={() => props.onClose()}>
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
              <path d="M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z" fill="currentColor" />
            </svg>
          </button>
        </Show>
      </div>
    </header>
  );
}
