import { PerformanceObserver, constants } from 'node:perf_hooks';
import { detectPhi } from './detectPhi.js';

/**
 * V8 discards a regex's compiled code at a full garbage collection when the regex has not run
 * since the one before, and compiles it again at its next use. The detectors' regexes are large
 * (cue-word alternations, case-insensitive), so that second compilation costs some 130 ms of one
 * thread on the benchmark machine, and a server that redacts once per turn collects often
 * enough in between to pay it on nearly every turn, blocking every stream it serves meanwhile.
 * Running the detectors once after each full collection keeps them in use: about 0.3 ms each time.
 */
const SAMPLE = 'Opening hours on weekdays, and where to park.';

type GcEntry = PerformanceEntry & { detail?: { kind?: number } };

export interface CompiledDetectors {
  /** Full collections after which the detectors were run. */
  runs(): number;
  stop(): void;
}

export function keepDetectorsCompiled(): CompiledDetectors {
  let runs = 0;
  const observer = new PerformanceObserver((list) => {
    const full = list.getEntries().some((entry) => {
      const kind = (entry as GcEntry).detail?.kind;
      return kind === constants.NODE_PERFORMANCE_GC_MAJOR || kind === constants.NODE_PERFORMANCE_GC_INCREMENTAL;
    });
    if (!full) return;
    detectPhi(SAMPLE);
    runs += 1;
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    runs: () => runs,
    stop: () => observer.disconnect(),
  };
}
