/** The two app instances the browser tests run against (the second for cross-instance live updates). */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_SECOND_PORT = E2E_PORT + 1;
/** A port for tests that start a server of their own (see own-server.ts). */
export const E2E_OWN_SERVER_PORT = E2E_PORT + 5;

/** The second instance believes X-Forwarded-For from these (the machine itself), the first from none. */
export const E2E_TRUSTED_PROXIES = '127.0.0.1,::1';
