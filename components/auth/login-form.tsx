'use client';

import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { Button } from '../ui/button';
import { Field, TextInput, controlProps } from '../ui/field';

const MESSAGES: Record<string, string> = {
  CredentialsSignin: 'The email or password is incorrect.',
  rate_limited:
    'Too many failed attempts from here. Wait a little before trying again: each new failure makes the wait longer.',
  busy: 'Chronicle is busy checking other sign-ins. Try again in a moment.',
  unavailable: 'Sign-in is unavailable right now. Try again in a moment.',
};

export function LoginForm({ callbackUrl, demoMode }: { callbackUrl: string; demoMode: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn('credentials', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      redirect: false,
    });
    if (!result || result.error) {
      setPending(false);
      setError(MESSAGES[result?.error ?? ''] ?? 'Sign-in failed. Try again.');
      return;
    }
    // A full page load, not a client-side navigation: signing in changes what every page shows,
    // and the client router may still hold what it fetched while signed out (a prefetched
    // back-office link answers with the redirect to this page). `replace` keeps the sign-in page
    // out of the history, as the redirect that led here did. The button stays "Signing in…"
    // until the new page arrives.
    window.location.replace(callbackUrl);
  }

  return (
    <form onSubmit={onSubmit} className="mt-6 space-y-4" noValidate>
      <Field name="email" label="Email">
        <TextInput
          {...controlProps('email', undefined)}
          type="email"
          autoComplete="username"
          required
        />
      </Field>
      <Field name="password" label="Password">
        <TextInput
          {...controlProps('password', undefined)}
          type="password"
          autoComplete="current-password"
          required
        />
      </Field>
      {error ? (
        <p
          role="alert"
          className="rounded-md bg-red-50 p-3 text-sm text-red-800"
          data-testid="login-error"
        >
          {error}
        </p>
      ) : null}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
      {demoMode ? (
        <p className="text-xs text-slate-500">
          Demo mode: the admin, support and auditor credentials were printed in the terminal where
          you ran <code>npm start</code>.
        </p>
      ) : null}
    </form>
  );
}
