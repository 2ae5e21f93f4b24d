import { formatAmount, formatSignedAmount } from '@/lib/ledger/money';
import type { CurrencyCode } from '@/lib/ledger/currencies';
import { cn } from './cn';

/** An amount given as a string of minor units, formatted for its currency, in tabular figures. */
export function Amount({
  minor,
  currency,
  signed = false,
  showCurrency = true,
  className,
}: {
  minor: string;
  currency: CurrencyCode;
  signed?: boolean;
  showCurrency?: boolean;
  className?: string;
}) {
  const value = BigInt(minor);
  const text = signed
    ? formatSignedAmount(value, currency)
    : formatAmount(value, currency, { grouping: true });
  return (
    <span
      className={cn(
        'amount',
        signed && value > 0n && 'text-emerald-700',
        signed && value < 0n && 'text-red-700',
        className,
      )}
    >
      {text}
      {showCurrency ? <span className="ml-1 text-xs text-slate-500">{currency}</span> : null}
    </span>
  );
}
