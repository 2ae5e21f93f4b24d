import type { Role } from '@/lib/auth/permissions';

declare module 'next-auth' {
  interface Session {
    user: { id: string; email: string; name: string; role: Role };
  }
  interface User {
    id: string;
    email: string;
    name: string;
    role: Role;
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    role?: Role;
    /** Chronicle's id for this sign-in, stable while the token is refreshed; revoked on sign-out. */
    sid?: string;
    /** When this sign-in happened (seconds since the epoch); sessions before a user was disabled end. */
    signedInAt?: number;
  }
}
