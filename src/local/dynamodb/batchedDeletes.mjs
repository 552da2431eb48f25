// dynalite runs a BatchWriteItem as one LevelDB write per request. A batch of plain deletes (a
// session clear is hundreds of them) can be one LevelDB batch per table instead: it needs no old
// item, and LevelDB applies the batch atomically, which a BatchWriteItem does not even promise.
// Plain JavaScript: it runs in the storage thread, which has no TypeScript loader.
import { createRequire } from 'node:module';
import { hasIndexes } from './deletesWithoutRead.mjs';

const require = createRequire(import.meta.url);

/** Every request a DeleteRequest, and no capacity asked for: nothing needs an item read. */
const onlyPlainDeletes = (data) =>
  data.ReturnConsumedCapacity === undefined &&
  Object.values(data.RequestItems).every((requests) => requests.every((request) => request.DeleteRequest !== undefined && request.PutRequest === undefined));

/**
 * Makes dynalite, loaded after this call in this thread, write a batch of plain deletes as one
 * LevelDB batch per table. Returns false, changing nothing, when dynalite is already loaded or its
 * modules no longer have the expected shape.
 */
export function batchPlainDeletes() {
  if (require.cache[require.resolve('dynalite')] !== undefined) return false;
  const actionPath = require.resolve('dynalite/actions/batchWriteItem');
  const writeOneByOne = require(actionPath);
  const db = require('dynalite/db');
  if (typeof writeOneByOne !== 'function' || typeof db.validateKey !== 'function' || typeof db.createKey !== 'function') return false;

  const tableOf = (store, name) =>
    new Promise((resolve, reject) => store.getTable(name, (error, table) => (error ? reject(error) : resolve(table))));
  // The item locks still order these deletes against other writes to the same keys.
  const deleteLocked = (itemDb, keys) =>
    new Promise((resolve, reject) =>
      itemDb.lock(keys, (release) =>
        itemDb.batch(
          keys.map((key) => ({ type: 'del', key })),
          release((error) => (error ? reject(error) : resolve())),
        ),
      ),
    );

  /** The deletes as LevelDB batches; resolves false when dynalite's own path should take them. */
  const deleteInBatches = async (store, data) => {
    const names = Object.keys(data.RequestItems);
    const tables = await Promise.all(names.map((name) => tableOf(store, name)));
    if (tables.some(hasIndexes)) return false;
    const writes = [];
    for (const [index, name] of names.entries()) {
      const seen = new Set();
      const keys = [];
      for (const { DeleteRequest } of data.RequestItems[name]) {
        // dynalite's own path turns a bad key into the message DynamoDB gives for it.
        if (db.validateKey(DeleteRequest.Key, tables[index]) != null) return false;
        const key = db.createKey(DeleteRequest.Key, tables[index]);
        if (seen.has(key)) throw db.validationError('Provided list of item keys contains duplicates');
        seen.add(key);
        keys.push(key);
      }
      writes.push({ itemDb: store.getItemDb(name), keys });
    }
    await Promise.all(writes.map(({ itemDb, keys }) => deleteLocked(itemDb, keys)));
    return true;
  };

  require.cache[actionPath].exports = function batchWriteItem(store, data, cb) {
    if (!onlyPlainDeletes(data)) return writeOneByOne(store, data, cb);
    deleteInBatches(store, data).then(
      (done) => (done ? cb(null, { UnprocessedItems: {} }) : writeOneByOne(store, data, cb)),
      (error) => cb(error),
    );
  };
  return true;
}
