import { ErrorBoundary, createSignal, onCleanup, onMount, type JSX } from 'solid-js';
import { createActor } from 'xstate';
import { recoveryMachine } from '../../../machines/recoveryMachine.js';
import { errorCode, type ErrorRegion } from '../chat/reportClientError.js';
import { CrashPoint } from './crashHook.js';
import { ErrorFallback } from './ErrorFallback.js';

function Mounted(props: { onMount: () => void; children: JSX.Element }) {
  onMount(props.onMount);
  return <>{props.children}</>;
}

export interface RecoverableBoundaryProps {
  region: ErrorRegion;
  /** Told of each crash with a code made from the error's class, never its message. */
  onCrash: (region: ErrorRegion, code: string) => void;
  children: JSX.Element;
}

/**
 * An error boundary driven by the recovery machine: a crashed region re-renders
 * by itself within a second; one that keeps crashing stays on its fallback until
 * the person presses "Try again".
 */
export function RecoverableBoundary(props: RecoverableBoundaryProps) {
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
        props.onCrash(props.region, errorCode(error));
        if (import.meta.env.DEV) console.error(error);
        return <ErrorFallback region={props.region} waiting={phase() !== 'fallback'} onRetry={() => actor.send({ type: 'RETRY' })} />;
      }}
    >
      <Mounted onMount={() => actor.send({ type: 'RECOVERED' })}>
        <CrashPoint region={props.region} />
        {props.children}
      </Mounted>
    </ErrorBoundary>
  );
}
