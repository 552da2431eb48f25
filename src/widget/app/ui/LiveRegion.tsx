/** Announces completed replies to screen readers, once each, never token by token. */
export function LiveRegion(props: { text: string }) {
  return (
    <div class="sr-only" aria-live="polite" aria-atomic="true">
      {props.text}
    </div>
  );
}
