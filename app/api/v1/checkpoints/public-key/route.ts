import { publicJwk } from '@/lib/evidence/checkpoint';
import { requireSigningKey } from '@/lib/server/checkpoints/require-signing-key';
import { API } from '@/lib/server/http/api-contract';
import { apiRoute } from '@/lib/server/http/api-route';

export const dynamic = 'force-dynamic';

/** Public on purpose, like a JWKS endpoint: a public key proves nothing about who asks for it. */
export const GET = apiRoute(API.publicKey, async () => {
  const key = requireSigningKey();
  return {
    status: 200,
    body: {
      keyId: key.keyId,
      jwk: publicJwk(key.publicKey),
      pem: key.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    },
  };
});
