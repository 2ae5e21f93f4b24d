'use client';

// The pieces every back-office form dialog is made of: the dialog with its trigger button (the
// form remounts on each opening, so each intended action gets a fresh idempotency key), and the
// amount, text and reason fields.

import { useState, type ReactNode } from 'react';
import { currencyExponent, type CurrencyCode } from '@/lib/ledger/currencies';
import { formatAmount } from '@/lib/ledger/money';
import { Button, type ButtonProps } from '../ui/button';
import { DialogContent, DialogRoot, DialogTrigger } from '../ui/dialog';
import { Field, TextArea, TextInput, controlProps } from '../ui/field';

function amountHint(currency: CurrencyCode): string {
  const exponent = currencyExponent(currency);
  return exponent === 0
    ? `Whole ${currency}, no decimals.`
    : `In ${currency}, with up to ${exponent} decimals.`;
}

export function AmountField({
  currency,
  error,
  defaultValue,
  label = 'Amount',
}: {
  currency: CurrencyCode;
  error?: string;
  defaultValue?: string;
  label?: string;
}) {
  return (
    <Field name="amount" label={`${label} (${currency})`} error={error} hint={amountHint(currency)}>
      <TextInput
        {...controlProps('amount', error, true)}
        inputMode="decimal"
        autoComplete="off"
        placeholder={formatAmount(0n, currency)}
        defaultValue={defaultValue}
        className="amount"
      />
    </Field>
  );
}

export function TextField({
  name,
  label,
  error,
  placeholder,
}: {
  name: string;
  label: string;
  error?: string;
  placeholder?: string;
}) {
  return (
    <Field name={name} label={label} error={error}>
      <TextInput {...controlProps(name, error)} autoComplete="off" placeholder={placeholder} />
    </Field>
  );
}

export function ReasonField({ error }: { error?: string }) {
  return (
    <Field name="reason" label="Reason (required, kept in the account's history)" error={error}>
      <TextArea {...controlProps('reason', error)} required />
    </Field>
  );
}

export function FormDialog({
  trigger,
  triggerVariant = 'secondary',
  title,
  description,
  children,
}: {
  trigger: ReactNode;
  triggerVariant?: ButtonProps['variant'];
  title: string;
  description?: ReactNode;
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  return (
    <DialogRoot open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant={triggerVariant} size="sm">
          {trigger}
        </Button>
      </DialogTrigger>
      {/* Remounting the form on every opening gives each intended movement a fresh key. */}
      {open ? (
        <DialogContent title={title} description={description}>
          {children(() => setOpen(false))}
        </DialogContent>
      ) : null}
    </DialogRoot>
  );
}
