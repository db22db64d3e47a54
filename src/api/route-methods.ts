import { API_OPERATIONS } from './openapi/catalogue';

/** Each documented path as a pattern, with the methods it takes (the catalogue lists every route served). */
const ROUTES: { pattern: RegExp; methods: string[] }[] = (() => {
  const byPath = new Map<string, Set<string>>();
  for (const op of API_OPERATIONS)
    (byPath.get(op.path) ?? byPath.set(op.path, new Set()).get(op.path))?.add(op.method.toUpperCase());
  return [...byPath].map(([path, methods]) => ({
    pattern: new RegExp(
      `^${path
        .split('/')
        .map((s) => (s.startsWith(':') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('/')}$`,
    ),
    methods: [...methods],
  }));
})();

/** The methods some route takes at this path (HEAD with GET); none when no route has the path. */
export function methodsAt(path: string): string[] {
  const methods = new Set(ROUTES.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods));
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods];
}
