export default function LandingPage() {
  return (
    <main className="mx-auto max-w-3xl px-6 py-16">
      <h1 className="text-3xl font-semibold tracking-tight">Chronicle</h1>
      <p className="mt-4 text-lg text-slate-600">
        Every money movement is an immutable event. Balances are derived from events, double debits are
        impossible, and any account can be viewed exactly as it stood at any instant.
      </p>
    </main>
  );
}
