import { parseArgs } from 'node:util';
import { startControlServer } from './controlServer.js';
import { startFaultProxy } from './faultProxy.js';

/**
 * Runs the fault proxy on its own, for a QA team pointing browsers at a staging deployment:
 *   npx tsx tests/support/proxy/start.ts --port 8899 --control-port 8900 --passthrough staging.example.org
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'control-port': { type: 'string', default: '0' },
    passthrough: { type: 'string', default: '' },
  },
});

const passthroughHosts = values.passthrough.split(',').map((host) => host.trim()).filter(Boolean);
const proxy = await startFaultProxy({ port: Number(values.port), passthroughHosts });
const control = await startControlServer(proxy, Number(values['control-port']));
process.stdout.write(`${JSON.stringify({ proxy: proxy.url, control: control.url, passthroughHosts })}\n`);

const stop = async () => {
  await control.close();
  await proxy.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
