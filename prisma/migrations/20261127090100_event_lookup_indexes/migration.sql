-- Lookups the back office makes by event metadata: the other leg of a transfer (same correlation
-- id), the reversals of a charge (caused by it), and the audit log filtered by actor.
-- Expression indexes cannot be written in schema.prisma; the drift check knows to skip them.

-- CreateIndex
CREATE INDEX "events_correlation_id_idx" ON "events" ((metadata->>'correlationId'));

-- CreateIndex
CREATE INDEX "events_causation_id_idx" ON "events" ((metadata->>'causationId')) WHERE metadata ? 'causationId';

-- CreateIndex
CREATE INDEX "events_actor_global_position_idx" ON "events" ((metadata->>'actor'), "global_position");
