// dynalite reads every item before deleting it, because a delete may carry a condition, ask for
// the old item or its consumed capacity, or have secondary indexes to update. A delete that needs
// none of that removes its key whether or not an item is there, as on DynamoDB, so the read is
// wasted. Session clears, turn compaction and the retention sweep delete every item that way,
// and in a clear the reads were about a quarter of the storage thread's work. Plain JavaScript:
// it runs in the storage thread, which has no TypeScript loader.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const WANTS_CAPACITY = new Set(['TOTAL', 'INDEXES']);

/** A delete whose outcome depends on the item it replaces. */
const needsOldItem = (data) =>
  data._condition !== undefined || data.Expected !== undefined || data.ReturnValues === 'ALL_OLD' || WANTS_CAPACITY.has(data.ReturnConsumedCapacity);

/** A table whose deletes must also update secondary indexes, which only dynalite's own path does. */
export const hasIndexes = (table) => (table.LocalSecondaryIndexes?.length ?? 0) > 0 || (table.GlobalSecondaryIndexes?.length ?? 0) > 0;

/**
 * Makes dynalite, loaded after this call in this thread, delete without a read where the read
 * cannot change the outcome. Returns false, changing nothing, when dynalite is already loaded
 * (its actions are bound at load) or its modules no longer have the expected shape.
 */
export function deleteWithoutReading() {
  if (require.cache[require.resolve('dynalite')] !== undefined) return false;
  const actionPath = require.resolve('dynalite/actions/deleteItem');
  const deleteAfterRead = require(actionPath);
  const db = require('dynalite/db');
  if (typeof deleteAfterRead !== 'function' || typeof db.validateKey !== 'function' || typeof db.createKey !== 'function') return false;

  require.cache[actionPath].exports = function deleteItem(store, data, cb) {
    if (needsOldItem(data)) return deleteAfterRead(store, data, cb);
    store.getTable(data.TableName, (error, table) => {
      if (error) return cb(error);
      if (hasIndexes(table)) return deleteAfterRead(store, data, cb);
      const invalid = db.validateKey(data.Key, table);
      if (invalid != null) return cb(invalid);
      const itemDb = store.getItemDb(data.TableName);
      const key = db.createKey(data.Key, table);
      // The item lock still orders this delete against writes to the same key.
      itemDb.lock(key, (release) => {
        const done = release(cb);
        itemDb.del(key, (deleteError) => (deleteError ? done(deleteError) : done(null, {})));
      });
    });
  };
  return true;
}
