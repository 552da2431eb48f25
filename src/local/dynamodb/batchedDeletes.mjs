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

  const tablesOf = (store, names, cb) => {
    const tables = {};
    let pending = names.length;
    let failed = false;
    for (const name of names) {
      store.getTable(name, (error, table) => {
        if (failed) return;
        if (error) {
          failed = true;
          return cb(error);
        }
        tables[name] = table;
        if (--pending === 0) cb(null, tables);
      });
    }
  };

  require.cache[actionPath].exports = function batchWriteItem(store, data, cb) {
    if (!onlyPlainDeletes(data)) return writeOneByOne(store, data, cb);
    const names = Object.keys(data.RequestItems);
    tablesOf(store, names, (error, tables) => {
      if (error) return cb(error);
      if (names.some((name) => hasIndexes(tables[name]))) return writeOneByOne(store, data, cb);
      const writes = [];
      for (const name of names) {
        const seen = new Set();
        const keys = [];
        for (const { DeleteRequest } of data.RequestItems[name]) {
          const invalid = db.validateKey(DeleteRequest.Key, tables[name]);
          // dynalite's own path turns a bad key into the message DynamoDB gives for it.
          if (invalid != null) return writeOneByOne(store, data, cb);
          const key = db.createKey(DeleteRequest.Key, tables[name]);
          if (seen.has(key)) return cb(db.validationError('Provided list of item keys contains duplicates'));
          seen.add(key);
          keys.push(key);
        }
        writes.push({ itemDb: store.getItemDb(name), keys });
      }
      let pending = writes.length;
      let failed = false;
      for (const { itemDb, keys } of writes) {
        // The item locks still order these deletes against other writes to the same keys.
        itemDb.lock(keys, (release) => {
          const done = release((writeError) => {
            if (failed) return;
            if (writeError) {
              failed = true;
              return cb(writeError);
            }
            if (--pending === 0) cb(null, { UnprocessedItems: {} });
          });
          itemDb.batch(
            keys.map((key) => ({ type: 'del', key })),
            (writeError) => done(writeError ?? null),
          );
        });
      }
    });
  };
  return true;
}
