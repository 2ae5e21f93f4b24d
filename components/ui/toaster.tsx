'use client';

import * as Toast from '@radix-ui/react-toast';
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { cn } from './cn';

interface ToastMessage {
  id: number;
  title: string;
  description?: string | undefined;
  tone: 'success' | 'error';
}

const ToastContext = createContext<(message: Omit<ToastMessage, 'id'>) => void>(() => undefined);

/** Shows short confirmations ("Deposit posted") in a polite live region. */
export function Toaster({ children }: { children: ReactNode }) {
  const [messages, setMessages] = useState<ToastMessage[]>([]);
  const show = useCallback((message: Omit<ToastMessage, 'id'>) => {
    setMessages((current) => [
      ...current.slice(-3),
      { ...message, id: Date.now() + Math.random() },
    ]);
  }, []);
  return (
    <ToastContext.Provider value={show}>
      <Toast.Provider swipeDirection="right" duration={5000}>
        {children}
        {messages.map((message) => (
          <Toast.Root
            key={message.id}
            className={cn(
              'rounded-md border bg-white p-4 shadow-lg',
              message.tone === 'success' ? 'border-emerald-300' : 'border-red-300',
            )}
            onOpenChange={(open) => {
              if (!open) setMessages((current) => current.filter((item) => item.id !== message.id));
            }}
          >
            <Toast.Title className="text-sm font-semibold text-slate-900">
              {message.title}
            </Toast.Title>
            {message.description ? (
              <Toast.Description className="mt-1 text-sm text-slate-600">
                {message.description}
              </Toast.Description>
            ) : null}
          </Toast.Root>
        ))}
        <Toast.Viewport className="fixed bottom-4 right-4 z-[100] flex w-96 max-w-[94vw] flex-col gap-2" />
      </Toast.Provider>
    </ToastContext.Provider>
  );
}

export function useToast() {
  return useContext(ToastContext);
}
