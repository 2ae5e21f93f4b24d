import { API } from '@/lib/server/http/api-contract';
import { apiRoute } from '@/lib/server/http/api-route';
import { buildOpenApiDocument } from '@/lib/server/http/openapi';

export const dynamic = 'force-dynamic';

/** The API's OpenAPI 3.1 description, generated from the contract the handlers are built from. */
export const GET = apiRoute(API.openApi, async () => ({
  status: 200,
  body: buildOpenApiDocument(),
  headers: { 'Cache-Control': 'public, max-age=300' },
}));
