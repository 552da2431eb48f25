import { createLoader } from './createLoader.js';

createLoader(window, document);
