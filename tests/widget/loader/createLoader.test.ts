import { describe } from 'vitest';
import { createLoader, type LoaderWindow } from '../../../src/widget/loader/createLoader.js';
import { loaderBehaviour } from './loaderBehaviour.js';

describe('createLoader (source)', () => {
  loaderBehaviour((win, doc) => createLoader(win as unknown as LoaderWindow, doc as unknown as Document));
});
