import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/auth/login-form';
import { getCurrentUser } from '@/lib/server/auth/current-user';

export const metadata: Metadata = { title: 'Sign in' };

function safeCallback(value: string | string[] | undefined): string {
  const target = typeof value === 'string' ? value : '/accounts';
  // Only ever redirect within Chronicle.
  return target.startsWith('/') && !target.startsWith('//') ? target : '/accounts';
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-6">
      <h1 className="text-2xl font-semibold tracking-tight">Sign in to Chronicle</h1>
      <p className="mt-2 text-sm text-slate-600">
        Use the account your administrator created for you.
      </p>
      <LoginForm callbackUrl={callbackUrl} demoMode={process.env.CHRONICLE_DEMO_MODE === '1'} />
    </main>
  );
}
