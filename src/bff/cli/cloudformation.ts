import { renderTemplate } from '../store/cloudformation.js';

/** Prints deploy/cloudformation.yaml; regenerate it whenever tables.ts changes. */
process.stdout.write(renderTemplate());
