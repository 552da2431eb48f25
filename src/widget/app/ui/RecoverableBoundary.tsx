import { ErrorBoundary, createSignal, onCleanup, onMount, type JSX } from 'solid-js';
import { createActor } from 'xstate';
import { recoveryMachine } from '../../../machines/recoveryMachine.js';
import { ErrorFallback } from './ErrorFallback.js';

function Mounted(props: { onMount: () => void; children: JSX.Element }) {
  onMount(props.onMount);
  return <>{props.children}</>;
}

/**
 * An error boundary driven by the recovery machine: a crashed region re-renders
 * by itself within a second; one that keeps crashing stays on its fallback until
 * the person presses "Try again".
 */
export function RecoverableBoundary(props: { children: JSX.Element }) {
  let resetRegion: (() => void) | null = null;
  const actor = createActor(
    recoveryMachine.provide({ actions: { resetBoundary: () => resetRegion?.() } }),
    { input: {} },
  );
  const [phase, setPhase] = createSignal(actor.getSnapshot().value);
  actor.subscribe((snapshot) => setPhase(snapshot.value));
  actor.start();
  onCleanup(() => actor.stop());

  return (
    <ErrorBoundary
      fallback={(error: unknown, reset) => {
        resetRegion = reset;
        actor.send({ type: 'CRASH' });
        if (import.meta.env.DEV) console.error(error);
        return <ErrorFallback waiting={phase() !== 'fallback'} onRetry={() => actor.send({ type: 'RETRY' })} />;
      }}
    >
      <Mounted onMount={() => actor.send({ type: 'RECOVERED' })}>{props.children}</Mounted>
    </ErrorBoundary>
  );
}
