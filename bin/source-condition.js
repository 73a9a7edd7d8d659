// Module resolution hook used in specstack's own repository: adds the `specstack-source` export
// condition, under which the package's `exports` point at src/ instead of the compiled dist/.
export async function resolve(specifier, context, next) {
  return next(specifier, { ...context, conditions: [...context.conditions, 'specstack-source'] });
}
