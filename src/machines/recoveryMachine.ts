import { assign, setup } from 'xstate';
import type { SnapshotFrom } from 'xstate';

export interface RecoveryTiming {
  /** Wait before re-rendering a crashed region; the budget for recovery is one second. */
  resetDelayMs: number;
  /** Crashes closer together than this count as repeated. */
  crashWindowMs: number;
  /** Crashes within one window after which the region stays on its fallback. */
  maxCrashes: number;
}

export const defaultRecoveryTiming: RecoveryTiming = {
  resetDelayMs: 300,
  crashWindowMs: 10_000,
  maxCrashes: 3,
};

export interface RecoveryContext {
  crashes: number;
  timing: RecoveryTiming;
}

export type RecoveryEvent = { type: 'CRASH' } | { type: 'RECOVERED' } | { type: 'RETRY' };

export const recoveryMachine = setup({
  types: {
    context: {} as RecoveryContext,
    events: {} as RecoveryEvent,
    input: {} as { timing?: Partial<RecoveryTiming> },
  },
  guards: {
    tooManyCrashes: ({ context }) => context.crashes >= context.timing.maxCrashes,
  },
  actions: {
    /** Re-renders the crashed region; provided by the error boundary that owns this machine. */
    resetBoundary: () => {},
    countCrash: assign({ crashes: ({ context }) => context.crashes + 1 }),
    forgetCrashes: assign({ crashes: 0 }),
  },
  delays: {
    resetDelay: ({ context }) => context.timing.resetDelayMs,
    crashWindow: ({ context }) => context.timing.crashWindowMs,
  },
}).createMachine({
  id: 'recovery',
  context: ({ input }) => ({ crashes: 0, timing: { ...defaultRecoveryTiming, ...input?.timing } }),
  initial: 'healthy',
  states: {
    healthy: {
      // Staying healthy for a whole window wipes the record of earlier crashes.
      after: { crashWindow: { actions: 'forgetCrashes' } },
      on: { CRASH: 'crashed' },
    },
    crashed: {
      entry: 'countCrash',
      always: { guard: 'tooManyCrashes', target: 'fallback' },
      after: { resetDelay: 'recovering' },
      on: { RETRY: 'recovering' },
    },
    recovering: {
      entry: 'resetBoundary',
      on: {
        // A crash while re-rendering lands here before RECOVERED can arrive.
        CRASH: 'crashed',
        RECOVERED: 'healthy',
      },
    },
    fallback: {
      on: {
        RETRY: { target: 'recovering', actions: 'forgetCrashes' },
      },
    },
  },
});

export type RecoverySnapshot = SnapshotFrom<typeof recoveryMachine>;
