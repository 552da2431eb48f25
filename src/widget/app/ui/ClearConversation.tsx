import { Show, createSignal } from 'solid-js';

/** "Clear conversation" with a confirmation step; the action itself is the caller's. */
export function ClearConversation(props: { onConfirm: () => Promise<boolean> }) {
  const [confirming, setConfirming] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [failed, setFailed] = createSignal(false);
  let confirmButton: HTMLButtonElement | undefined;

  const ask = () => {
    setFailed(false);
    setConfirming(true);
    confirmButton?.focus();
  };
  const confirm = async () => {
    setBusy(true);
    const cleared = await props.onConfirm();
    setBusy(false);
    setFailed(!cleared);
    if (cleared) setConfirming(false);
  };

  return (
    <>
      <button
        type="button"
        class="icon-button"
        data-testid="picasso-clear"
        aria-label="Clear conversation"
        aria-expanded={confirming()}
        onClick={() => (confirming() ? setConfirming(false) : ask())}
      >
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path d="M9 3h6l1 2h4v2H4V5h4l1-2zm-3 6h12l-1 12H7L6 9z" fill="currentColor" />
        </svg>
      </button>
      <Show when={confirming()}>
        <div
          class="confirm"
          role="group"
          aria-label="Clear conversation"
          onKeyDown={(event) => {
            // Escape backs out of the question rather than closing the whole widget.
            if (event.key === 'Escape') {
              event.preventDefault();
              setConfirming(false);
            }
          }}
        >
          <p>{failed() ? 'The conversation could not be cleared. Try again?' : 'Delete this conversation? This cannot be undone.'}</p>
          <div class="confirm-actions">
            <button
              type="button"
              class="button danger"
              data-testid="picasso-clear-confirm"
              ref={(element) => {
                confirmButton = element;
                queueMicrotask(() => element.focus());
              }}
              disabled={busy()}
              onClick={() => void confirm()}
            >
              Delete
            </button>
            <button type="button" class="button secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      </Show>
    </>
  );
}
