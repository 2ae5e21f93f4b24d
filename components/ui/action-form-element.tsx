'use client';

import { useTransition, type FormHTMLAttributes } from 'react';

/**
 * A form that hands its data to a server action without React's automatic reset: when the server
 * refuses the input, the user keeps what they typed and sees the error next to it.
 */
export function ActionFormElement({
  action,
  ...props
}: Omit<FormHTMLAttributes<HTMLFormElement>, 'action' | 'onSubmit'> & {
  action: (formData: FormData) => void;
}) {
  const [, startTransition] = useTransition();
  return (
    <form
      {...props}
      onSubmit={(event) => {
        event.preventDefault();
        const formData = new FormData(event.currentTarget);
        startTransition(() => action(formData));
      }}
    />
  );
}
