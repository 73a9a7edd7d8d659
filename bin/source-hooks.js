// Module resolution hook used in specstack's own repository: `specstack`, as the examples import
// it, resolves to the TypeScript sources the command runs, not to the compiled dist/ of `exports`.
const SOURCE = new URL('../src/index.ts', import.meta.url).href;

export async function resolve(specifier, context, next) {
  // Handed on, not short-circuited: tsx, next in the chain, marks the file as TypeScript.
  return next(specifier === 'specstack' ? SOURCE : specifier, context);
}
