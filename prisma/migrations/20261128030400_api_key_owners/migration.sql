-- API keys get an owner (the admin who created the key: a disabled owner's keys stop working) and
-- an optional expiry. Users get the instant from which their sessions count: disabling a user
-- ends every session they had, so enabling them again does not bring those sessions back.

-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN "owner_id" UUID;
ALTER TABLE "api_keys" ADD COLUMN "expires_at" TIMESTAMPTZ(6);

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- CreateIndex
CREATE INDEX "api_keys_owner_id_idx" ON "api_keys"("owner_id");

-- AlterTable
ALTER TABLE "users" ADD COLUMN "sessions_valid_after" TIMESTAMPTZ(6);

-- Keys created before keys had owners belong to nobody: they keep working for 30 days, long
-- enough for an admin to create an owned replacement, then expire.
UPDATE "api_keys" SET "expires_at" = now() + interval '30 days'
 WHERE "owner_id" IS NULL AND "revoked_at" IS NULL AND "expires_at" IS NULL;
