import { Worker } from 'node:worker_threads';

export interface RunningDynalite {
  url: string;
  /** Whether table descriptions are served from memory (see tableDescriptions.mjs). */
  cachesTableDescriptions: boolean;
  /** Whether deletes that need no read are made without one (see deletesWithoutRead.mjs). */
  deletesWithoutRead: boolean;
  /** Whether a batch of plain deletes is one LevelDB batch per table (see batchedDeletes.mjs). */
  deletesBatched: boolean;
  close(): Promise<void>;
}

type WorkerReport =
  | { type: 'listening'; port: number; cachesTableDescriptions: boolean; deletesWithoutRead: boolean; deletesBatched: boolean }
  | { type: 'error'; message: string }
  | { type: 'closed'; message?: string };

/**
 * dynalite on loopback, served from a worker thread of this process: the database stays owned
 * by this process (so start-or-join and the data directory lock work as before) while its
 * request handling runs beside the BFF's event loop instead of inside it.
 */
export async function listenDynalite(dbPath: string | undefined, port: number): Promise<RunningDynalite> {
  const worker = new Worker(new URL('./dynaliteWorker.mjs', import.meta.url), { workerData: { dbPath, port } });
  const report = (expected: WorkerReport['type'][]) =>
    new Promise<WorkerReport>((resolve, reject) => {
      const onMessage = (message: WorkerReport) => {
        if (!expected.includes(message.type)) return;
        cleanup();
        resolve(message);
      };
      const onExit = (code: number) => {
        cleanup();
        reject(new Error(`embedded DynamoDB thread exited with code ${code}`));
      };
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        worker.off('error', reject);
      };
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      worker.once('error', reject);
    });

  const started = await report(['listening', 'error']).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  if (started.type !== 'listening') {
    await worker.terminate();
    throw new Error(`embedded DynamoDB did not start: ${started.type === 'error' ? started.message : 'unknown'}`);
  }
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${started.port}`,
    cachesTableDescriptions: started.cachesTableDescriptions,
    deletesWithoutRead: started.deletesWithoutRead,
    deletesBatched: started.deletesBatched,
    close: () => {
      closing ??= (async () => {
        const closed = report(['closed']);
        worker.postMessage('close');
        const outcome = await closed.catch(() => undefined);
        await worker.terminate();
        if (outcome?.type === 'closed' && outcome.message) throw new Error(outcome.message);
      })();
      return closing;
    },
  };
}
