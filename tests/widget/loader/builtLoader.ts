import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export interface BuiltLoader {
  code: string;
  fileName: string;
  chunkCount: number;
  assetCount: number;
  moduleIds: string[];
}

/** Builds loader.js in memory with the project's own loader config. */
export async function buildLoader(): Promise<BuiltLoader> {
  const result = await build({
    configFile: fileURLToPath(new URL('../../../vite.loader.config.ts', import.meta.url)),
    logLevel: 'silent',
    build: { write: false, emptyOutDir: false },
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((entry) => ('output' in entry ? entry.output : []));
  const chunks = outputs.filter((item) => item.type === 'chunk');
  const chunk = chunks[0];
  if (!chunk || chunk.type !== 'chunk') throw new Error('the loader build produced no chunk');
  return {
    code: chunk.code,
    fileName: chunk.fileName,
    chunkCount: chunks.length,
    assetCount: outputs.length - chunks.length,
    moduleIds: chunk.moduleIds,
  };
}
