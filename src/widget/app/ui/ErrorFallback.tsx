import type { ErrorRegion } from '../chat/reportClientError.js';

export function ErrorFallback(props: { region: ErrorRegion; onRetry: () => void; waiting: boolean }) {
  return (
    <div class="fallback" role="alert" data-testid="picasso-error-fallback" data-region={props.region}>
      <p>{props.waiting ? 'Something went wrong. Recovering…' : 'Something went wrong.'}</p>
      <button type="button" class="button" data-testid="picasso-error-retry" onClick={() => props.onRetry()}>
        Try again
      </button>
    </div>
  );
}
