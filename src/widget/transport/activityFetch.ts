/**
 * Wraps fetch so every chunk of a response body is reported as it arrives.
 * fetch-event-source does not surface SSE comments, so the server's heartbeats
 * would be invisible to the stall watchdog without this.
 */
export function withByteActivity(fetchImpl: typeof fetch, onBytes: () => void): typeof fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    if (!response.body) return response;
    const observed = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          onBytes();
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(observed, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
