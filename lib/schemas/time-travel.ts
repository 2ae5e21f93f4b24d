import { z } from 'zod';

/** How the time-travel slider moves from one of an account's events to another. */
export const timeStepSchema = z.enum(['first', 'previous', 'next', 'last']);

export type TimeStep = z.output<typeof timeStepSchema>;
