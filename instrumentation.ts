// Runs once when a Chronicle server process starts (Next.js instrumentation hook).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startBackgroundJobs } = await import('./lib/server/background-jobs');
  startBackgroundJobs();
}
