import { Show } from 'solid-js';
import type { ConnectionStateName } from '../../../machines/connectionTypes.js';
import { connectionLabel } from '../chat/connectionLabel.js';

export function ConnectionIndicator(props: { state: ConnectionStateName; onRetry: () => void }) {
  const label = () => connectionLabel(props.state);
  return (
    <div class="connection" data-testid="picasso-connection" data-state={props.state} data-tone={label().tone}>
      <span class="connection-dot" aria-hidden="true" />
      <span class="connection-text">{label().text}</span>
      <Show when={props.state === 'failed'}>
        <button type="button" class="link-button" onClick={() => props.onRetry()}>
          Retry
        </button>
      </Show>
    </div>
  );
}
