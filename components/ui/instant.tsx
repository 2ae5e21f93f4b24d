'use client';

import { useSyncExternalStore } from 'react';
import { formatUtc } from '@/lib/format-time';

const subscribeNever = () => () => undefined;

/**
 * An instant in UTC and in the viewer's local time zone. The local part is rendered only in the
 * browser, which knows the zone; the server renders UTC alone, so hydration never disagrees.
 */
export function Instant({
  iso,
  withMilliseconds = false,
  stacked = false,
}: {
  iso: string;
  withMilliseconds?: boolean;
  stacked?: boolean;
}) {
  const local = useSyncExternalStore(
    subscribeNever,
    () =>
      new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }).format(
        new Date(iso),
      ),
    () => null,
  );
  return (
    <time dateTime={iso} className={stacked ? 'flex flex-col' : 'inline'}>
      <span className="tabular-nums">{formatUtc(iso, withMilliseconds)}</span>
      {local ? (
        <span className="text-xs text-slate-500 tabular-nums">
          {stacked ? '' : ' · '}
          {local} local
        </span>
      ) : null}
    </time>
  );
}
