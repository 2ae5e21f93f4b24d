import { describe, expect, it } from 'vitest';
import { findApiRoutes } from './api-fast-lane';

// The lane matches paths the way Next.js does for these routes: a `[name]` segment is one path
// segment, passed to the handler under that name, and literal segments win over dynamic ones.
describe('the API fast lane', () => {
  const routes = findApiRoutes(process.cwd());
  const match = (path: string) => {
    for (const route of routes) {
      const found = route.pattern.exec(path);
      if (found)
        return {
          file: route.file,
          params: Object.fromEntries(route.paramNames.map((name, i) => [name, found[i + 1]])),
        };
    }
    return null;
  };

  it('knows every route of API v1', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(match('/api/v1/transfers')?.file).toMatch(/app\/api\/v1\/transfers\/route\.ts$/);
    expect(match('/api/v1/openapi.json')?.file).toMatch(/openapi\.json\/route\.ts$/);
  });

  it('passes dynamic segments under their file names', () => {
    expect(match('/api/v1/accounts/acc-1/deposits')).toMatchObject({
      file: expect.stringMatching(/accounts\/\[id\]\/deposits\/route\.ts$/),
      params: { id: 'acc-1' },
    });
    expect(match('/api/v1/approvals/ap-7/approve')?.params).toEqual({ approvalId: 'ap-7' });
  });

  it('prefers a literal segment to a dynamic one, as Next.js does', () => {
    expect(match('/api/v1/checkpoints/public-key')?.file).toMatch(/public-key\/route\.ts$/);
    expect(match('/api/v1/checkpoints/12')?.params).toEqual({ number: '12' });
  });

  it('leaves everything else to Next.js', () => {
    for (const path of [
      '/api/v1/accounts/a/b/c/d',
      '/api/v1/transfers/',
      '/api/accounts/a/as-of',
      '/accounts',
      '/api/v1openapi.json',
    ])
      expect(match(path), path).toBeNull();
  });
});
