// dynalite reads and decodes a table's description from LevelDB for every item it touches: a
// deleted item costs three LevelDB operations (description, old item, delete) where two would do.
// Descriptions change only when a table is created, updated or deleted, and all of those write
// through the store's table database, so active descriptions can stay in memory until the next
// such write. Plain JavaScript: it runs in the storage thread, which has no TypeScript loader.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Makes every dynalite store created from now on in this thread keep its active table
 * descriptions in memory. Returns a probe that says whether the last store created got the
 * cache: false when dynalite's store no longer has the shape this relies on, in which case the
 * store is left as it was and only the speed-up is lost.
 */
export function keepTableDescriptions() {
  const db = require('dynalite/db');
  const create = db.create;
  let lastStoreCached = false;
  db.create = function createCachingStore(options) {
    const store = create(options);
    lastStoreCached = addCache(store);
    return store;
  };
  return () => lastStoreCached;
}

function addCache(store) {
  const { tableDb, getTable } = store;
  if (typeof getTable !== 'function' || typeof tableDb?.put !== 'function' || typeof tableDb?.del !== 'function') return false;
  /** Table name -> its description as JSON; each hit is decoded afresh, since callers mutate it. */
  const active = new Map();
  // A read that overlaps any description write must not be cached: it may hold the old value.
  let writesStarted = 0;
  let writesInFlight = 0;

  for (const method of ['put', 'del']) {
    const write = tableDb[method].bind(tableDb);
    tableDb[method] = (name, ...rest) => {
      active.clear();
      writesStarted += 1;
      writesInFlight += 1;
      const settle = () => {
        writesInFlight -= 1;
        active.clear();
      };
      const callback = rest.at(-1);
      if (typeof callback === 'function') {
        return write(name, ...rest.slice(0, -1), (...results) => {
          settle();
          callback(...results);
        });
      }
      const result = write(name, ...rest);
      if (result && typeof result.then === 'function') result.then(settle, settle);
      else settle();
      return result;
    };
  }

  store.getTable = (name, checkStatus, callback) => {
    const cb = typeof checkStatus === 'function' ? checkStatus : callback;
    const status = typeof checkStatus === 'function' ? undefined : checkStatus;
    const cached = active.get(name);
    // Only ACTIVE descriptions are kept, and every status check accepts those.
    if (cached !== undefined) return process.nextTick(cb, null, JSON.parse(cached));
    const startedAt = writesStarted;
    const read = (error, table) => {
      if (!error && table?.TableStatus === 'ACTIVE' && writesInFlight === 0 && writesStarted === startedAt) {
        active.set(name, JSON.stringify(table));
      }
      cb(error, table);
    };
    return getTable(name, status, read);
  };
  return true;
}
