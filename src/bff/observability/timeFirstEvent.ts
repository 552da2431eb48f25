/**
 * Passes a feed through unchanged and reports, once, the seconds from `startedAt` to its first
 * event: how long a resumed client waits for its stream to move again (`picasso_resume_lag_seconds`).
 */
export async function* timeFirstEvent<T>(feed: AsyncGenerator<T>, startedAt: number, clock: () => number, observe: (seconds: number) => void): AsyncGenerator<T> {
  let first = true;
  try {
    for await (const event of feed) {
      if (first) {
        first = false;
        observe((clock() - startedAt) / 1000);
      }
      yield event;
    }
  } finally {
    await feed.return(undefined);
  }
}
