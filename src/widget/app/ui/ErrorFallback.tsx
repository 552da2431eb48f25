export function ErrorFallback(props: { onRetry: () => void; waiting: boolean }) {
  return (
    <div class="fallback" role="alert" data-testid="picasso-error-fallback">
      <p>{props.waiting ? 'Something went wrong. Recovering…' : 'Something went wrong.'}</p>
      <button type="button" class="button" onClick={() => props.onRetry()}>
        Try again
      </button>
    </div>
  );
}
