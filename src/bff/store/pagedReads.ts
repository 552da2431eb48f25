import {
  paginateQuery,
  paginateScan,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { withStorageErrors } from './storageError.js';

type StoredItem = Record<string, unknown>;

/**
 * The items of every page, in order. Each page is one storage call, and a page that cannot be
 * read becomes storage_unavailable like any other call. A caller that stops iterating early reads
 * no further pages.
 */
async function* itemsOf(operation: string, pages: AsyncGenerator<{ Items?: StoredItem[] | undefined }>): AsyncGenerator<StoredItem> {
  for (;;) {
    const page = await withStorageErrors(operation, () => pages.next());
    if (page.done) return;
    yield* page.value.Items ?? [];
  }
}

/** Every item a Query finds, across all its pages. */
export function queryItems(doc: DynamoDBDocumentClient, operation: string, input: QueryCommandInput): AsyncGenerator<StoredItem> {
  // The paginator writes each page's start key into the input it is given, so it gets a copy.
  return itemsOf(operation, paginateQuery({ client: doc }, { ...input }));
}

/** Every item a Scan finds, across all its pages. */
export function scanItems(doc: DynamoDBDocumentClient, operation: string, input: ScanCommandInput): AsyncGenerator<StoredItem> {
  return itemsOf(operation, paginateScan({ client: doc }, { ...input }));
}

/** All of them, for the callers that need the whole list at once. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
