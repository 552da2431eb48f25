import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface DynamoProcess {
  url: string;
  joined: boolean;
  pid: number;
  /** Ends stdin so the child closes its server and exits. */
  stop(): Promise<void>;
}

const CHILD = path.join(import.meta.dirname, 'dynamoChild.ts');

export async function startDynamoProcess(dataDir: string): Promise<DynamoProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  const line = await firstLine(child);
  const info = JSON.parse(line) as { url: string; joined: boolean; pid: number };
  return {
    ...info,
    stop: async () => {
      const exited = once(child, 'exit');
      child.stdin?.end();
      await exited;
    },
  };
}

async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  const exit = once(child, 'exit').then(([code]) => {
    throw new Error(`dynamo child exited with ${String(code)} before reporting`);
  });
  const [line] = (await Promise.race([once(lines, 'line'), exit])) as [string];
  lines.close();
  return line;
}

/** The pid of a process that has certainly exited. */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}
