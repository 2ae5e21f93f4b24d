import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/auth/login-form';
import { afterSignInPath } from '@/lib/auth/safe-callback-url';
import { getCurrentUser } from '@/lib/server/auth/current-user';
import { publicOrigin } from '@/lib/server/public-url';

export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  // Only ever send people on within Chronicle, whoever wrote the link to this page.
  const callbackUrl = afterSignInPath(params.callbackUrl, publicOrigin());
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
