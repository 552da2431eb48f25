import { For, Show, createSignal } from 'solid-js';
import type { ClearedCounts } from '../../transport/stateApi.js';
import { retention } from './retention.js';

type Step = 'closed' | 'info' | 'confirm' | 'done';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * "Your data": what is stored and for how long, and clearing the conversation behind a
 * confirmation. Escape backs out one step instead of closing the whole widget.
 */
export function StatePanel(props: { onClear: () => Promise<ClearedCounts | null> }) {
  const [step, setStep] = createSignal<Step>('closed');
  const [busy, setBusy] = createSignal(false);
  const [failed, setFailed] = createSignal(false);
  const [result, setResult] = createSignal<ClearedCounts | null>(null);
  let opener: HTMLButtonElement | undefined;

  const close = () => {
    setStep('closed');
    opener?.focus();
  };
  const confirm = async () => {
    setBusy(true);
    const cleared = await props.onClear();
    setBusy(false);
    setFailed(cleared === null);
    if (cleared) {
      setResult(cleared);
      setStep('done');
    }
  };
  const focusOnMount = (element: HTMLElement) => queueMicrotask(() => element.focus());

  return (
    <>
      <button
        type="button"
        class="icon-button"
        data-testid="picasso-clear"
        aria-label="Your data and clearing the conversation"
        aria-haspopup="dialog"
        aria-expanded={step() !== 'closed'}
        ref={opener}
        onClick={() => {
          setFailed(false);
          setStep(step() === 'closed' ? 'confirm' : 'closed');
        }}
      >
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path d="M9 3h6l1 2h4v2H4V5h4l1-2zm-3 6h12l-1 12H7L6 9z" fill="currentColor" />
        </svg>
      </button>
      <Show when={step() !== 'closed'}>
        <div
          class="panel"
          role="dialog"
          aria-modal="false"
          aria-labelledby="picasso-panel-title"
          data-testid="picasso-state-panel"
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              close();
            }
          }}
        >
          <h2 id="picasso-panel-title" class="panel-title">
            Your data
          </h2>
          <table class="retention">
            <caption class="sr-only">What is stored and for how long</caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Kept for</th>
              </tr>
            </thead>
            <tbody>
              <For each={retention}>
                {(row) => (
                  <tr>
                    <td>{row.what}</td>
                    <td>{row.kept}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
          <Show
            when={step() === 'done'}
            fallback={
              <>
                <p role={failed() ? 'alert' : undefined}>
                  {failed() ? 'The conversation could not be cleared. Try again?' : 'Delete this conversation now? This cannot be undone.'}
                </p>
                <div class="confirm-actions">
                  <button type="button" class="button danger" data-testid="picasso-clear-confirm" ref={focusOnMount} disabled={busy()} onClick={() => void confirm()}>
                    Delete
                  </button>
                  <button type="button" class="button secondary" onClick={close}>
                    Cancel
                  </button>
                </div>
              </>
            }
          >
            <p role="status" data-testid="picasso-clear-result">
              Deleted {plural(result()?.messages ?? 0, 'message', 'messages')}, {plural(result()?.summaries ?? 0, 'summary', 'summaries')} and{' '}
              {plural(result()?.facts ?? 0, 'fact', 'facts')}. A new conversation has started.
            </p>
            <div class="confirm-actions">
              <button type="button" class="button" ref={focusOnMount} onClick={close}>
                Done
              </button>
            </div>
          </Show>
        </div>
      </Show>
    </>
  );
}
