import * as Label from '@radix-ui/react-label';
import type {
  InputHTMLAttributes,
  ReactNode,
  SelectHTMLAttributes,
  TextareaHTMLAttributes,
} from 'react';
import { cn } from './cn';

const CONTROL =
  'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 ' +
  'focus:border-slate-500 focus:outline-none focus:ring-2 focus:ring-slate-300 aria-[invalid=true]:border-red-600 aria-[invalid=true]:ring-red-200';

interface FieldProps {
  name: string;
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  children?: ReactNode;
}

/** A labelled form control with its error message next to it, announced to screen readers. */
export function Field({ name, label, error, hint, children }: FieldProps) {
  return (
    <div className="space-y-1">
      <Label.Root htmlFor={`field-${name}`} className="block text-sm font-medium text-slate-800">
        {label}
      </Label.Root>
      {children}
      {hint && !error ? (
        <p id={`field-${name}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`field-${name}-error`} role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function controlProps(name: string, error: string | undefined, hasHint = false) {
  return {
    id: `field-${name}`,
    name,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `field-${name}-error` : hasHint ? `field-${name}-hint` : undefined,
  } as const;
}

export function TextInput({ className, ...props }: InputHTMLAttributes<HTMLInputElement>) {
  return <input className={cn(CONTROL, className)} {...props} />;
}

export function TextArea({ className, ...props }: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea className={cn(CONTROL, 'min-h-20', className)} {...props} />;
}

export function Select({ className, ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={cn(CONTROL, 'pr-8', className)} {...props} />;
}
