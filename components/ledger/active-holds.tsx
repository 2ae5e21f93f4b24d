// The account page's "Active holds" panel: what each hold reserves, until when, and — for those
// allowed — capture and release. Holds past their expiry are not listed: they reserve nothing,
// whether or not the expiry has been recorded yet.

import type { CurrencyCode } from '@/lib/ledger/currencies';
import type { HoldViewModel } from '@/lib/view-models';
import { Amount } from '../ui/amount';
import { Instant } from '../ui/instant';
import { TableHead } from '../ui/table-head';
import { CaptureHoldDialog, ReleaseHoldDialog } from './hold-dialogs';

export function ActiveHolds({
  holds,
  currency,
  canCapture,
  canRelease,
  more,
  captureNotice,
}: {
  holds: readonly HoldViewModel[];
  currency: CurrencyCode;
  canCapture: boolean;
  canRelease: boolean;
  /** True when the account has more active holds than are listed. */
  more: boolean;
  /** The approval policy's word on captures, shown in the capture form. */
  captureNotice?: string | undefined;
}) {
  return (
    <section
      aria-labelledby="active-holds-heading"
      className="rounded-lg border border-slate-200 bg-white"
      data-testid="active-holds"
    >
      <h2
        id="active-holds-heading"
        className="border-b border-slate-200 px-4 py-3 text-base font-semibold"
      >
        Active holds{' '}
        <span className="text-sm font-normal text-slate-500">
          ({holds.length}
          {more ? '+' : ''})
        </span>
      </h2>
      {holds.length === 0 ? (
        <p className="px-4 py-3 text-sm text-slate-600">No funds are held on this account.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <TableHead
              spacing="compact"
              columns={[
                { label: 'Placed' },
                { label: 'Reason' },
                { label: 'Held', numeric: true },
                { label: 'Captured', numeric: true },
                { label: 'Still reserved', numeric: true },
                { label: 'Expires' },
                { label: 'Actions', labelHidden: true },
              ]}
            />
            <tbody className="divide-y divide-slate-100">
              {holds.map((hold) => (
                <tr
                  key={hold.id}
                  data-testid="hold-row"
                  data-hold-id={hold.id}
                  className="align-top"
                >
                  <td className="px-3 py-2 whitespace-nowrap">
                    <Instant iso={hold.placedAt} stacked />
                  </td>
                  <td className="px-3 py-2">
                    {hold.reason}
                    {hold.reference ? (
                      <div className="text-xs text-slate-500">ref {hold.reference}</div>
                    ) : null}
                    <div className="font-mono text-xs text-slate-400">{hold.id}</div>
                  </td>
                  <td className="px-3 py-2 text-right">
                    <Amount minor={hold.amountMinor} currency={currency} showCurrency={false} />
                  </td>
                  <td className="px-3 py-2 text-right">
                    <Amount minor={hold.capturedMinor} currency={currency} showCurrency={false} />
                  </td>
                  <td className="px-3 py-2 text-right font-medium" data-testid="hold-remaining">
                    <Amount minor={hold.remainingMinor} currency={currency} showCurrency={false} />
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    {hold.expiresAt ? <Instant iso={hold.expiresAt} stacked /> : 'never'}
                  </td>
                  <td className="px-3 py-2 text-right whitespace-nowrap">
                    {canCapture ? (
                      <CaptureHoldDialog
                        holdId={hold.id}
                        currency={currency}
                        remainingMinor={hold.remainingMinor}
                        approvalNotice={captureNotice}
                      />
                    ) : null}
                    {canRelease ? (
                      <ReleaseHoldDialog
                        holdId={hold.id}
                        currency={currency}
                        remainingMinor={hold.remainingMinor}
                      />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
