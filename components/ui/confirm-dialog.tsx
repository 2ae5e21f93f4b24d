'use client';

import { useState, useTransition, type ReactElement, type ReactNode } from 'react';
import { Button } from './button';
import { DialogClose, DialogContent, DialogRoot, DialogTrigger } from './dialog';

/**
 * A one-click action made two-step: `trigger` opens a dialog that says what will happen and to
 * whom, and `action` receives `fields` only when the person confirms. Cancel, Escape, the close
 * button or a click outside change nothing. Focus starts on Cancel, so an absent-minded Enter is
 * harmless, and returns to the trigger when the dialog closes.
 */
export function ConfirmDialog({
  trigger,
  title,
  description,
  confirmLabel,
  confirmVariant = 'danger',
  fields,
  action,
}: {
  trigger: ReactElement;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  /** `primary` for actions that restore rather than take away. */
  confirmVariant?: 'danger' | 'primary';
  fields: Record<string, string>;
  action: (formData: FormData) => void;
}) {
  const [open, setOpen] = useState(false);
  const [, startTransition] = useTransition();
  return (
    <DialogRoot open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      {open ? (
        <DialogContent title={title} description={description}>
          <form
            className="flex justify-end gap-2"
            onSubmit={(event) => {
              event.preventDefault();
              const formData = new FormData(event.currentTarget);
              // Closed at once, outside the transition: the trigger shows the action pending and
              // a toast reports how it went.
              setOpen(false);
              startTransition(() => action(formData));
            }}
          >
            {Object.entries(fields).map(([name, value]) => (
              <input key={name} type="hidden" name={name} value={value} />
            ))}
            <DialogClose asChild>
              <Button variant="secondary">Cancel</Button>
            </DialogClose>
            <Button type="submit" variant={confirmVariant}>
              {confirmLabel}
            </Button>
          </form>
        </DialogContent>
      ) : null}
    </DialogRoot>
  );
}
