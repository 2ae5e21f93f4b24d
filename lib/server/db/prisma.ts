// Prisma's client, for the plain CRUD parts of the application (users, API keys, listings). It
// runs on the same connection pool as the event store (docs/decisions/005-...).

import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../generated/prisma/client';
import { getPool } from './pool';

const globalForPrisma = globalThis as unknown as { chroniclePrisma?: PrismaClient };

export function getPrisma(): PrismaClient {
  globalForPrisma.chroniclePrisma ??= new PrismaClient({ adapter: new PrismaPg(getPool()) });
  return globalForPrisma.chroniclePrisma;
}
