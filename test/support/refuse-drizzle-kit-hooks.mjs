// The module resolution hook behind refuse-drizzle-kit.mjs.
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (resolved.url.includes('/node_modules/drizzle-kit/')) {
    throw new Error(`drizzle-kit was imported (${specifier}, from ${context.parentURL})`);
  }
  return resolved;
}
