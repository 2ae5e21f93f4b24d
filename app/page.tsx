import Link from 'next/link';

export default function LandingPage() {
  return (
    <main className="mx-auto max-w-3xl px-6 py-16">
      <h1 className="text-3xl font-semibold tracking-tight">Chronicle</h1>
      <p className="mt-4 text-lg text-slate-600">
        Every money movement is an immutable event. Balances are derived from events, double debits
        are impossible, and any account can be viewed exactly as it stood at any instant — and why.
      </p>
      <ul className="mt-6 list-disc space-y-1 pl-5 text-slate-700">
        <li>Support staff trace disputed charges and reverse them, in full or in part.</li>
        <li>Auditors slide back to any instant, check the hash chain and export evidence.</li>
        <li>Admins freeze accounts; money can still arrive, but none can leave.</li>
      </ul>
      <Link
        href="/accounts"
        className="mt-8 inline-flex rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700"
      >
        Open the back office
      </Link>
    </main>
  );
}
