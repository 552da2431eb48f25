import { startEmbeddedDynamo } from '../../../src/local/dynamo.js';

// A separate process for the start-or-join tests: prints what it got, closes when stdin ends.
const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: dynamoChild <dataDir>');
const dynamo = await startEmbeddedDynamo({ dataDir });
process.stdout.write(`${JSON.stringify({ url: dynamo.url, joined: dynamo.joined, pid: process.pid })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void dynamo.close().then(() => process.exit(0));
});
