import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl px-6 py-16">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-slate-600">
        There is nothing at this address. Account and event ids are case-sensitive.
      </p>
      <Link href="/accounts" className="mt-4 inline-block text-sky-800 underline">
        Go to accounts
      </Link>
    </main>
  );
}
