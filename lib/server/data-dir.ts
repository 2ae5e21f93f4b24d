import path from 'node:path';

/** Where a clone keeps its local state: the demo database, secrets, checkpoint files. */
export const DATA_DIR = path.join(process.cwd(), '.data');
