// Builders of objects whose property names are known at startup (a table's row, an error schema's
// body), generated as straight-line code: one store per property under a constant name. A loop
// storing `object[name]` sees every name at one site, which V8 can only treat as a dictionary-style
// (megamorphic) store; each generated site sees one name and one shape, as hand-written code does.

/** Where a property's value comes from, and what is stored when there is none. */
export interface BuiltProperty<Input> {
  /** The property's name: it enters the source only as a JSON string literal. */
  name: string;
  /** The value: an element of the input (an array), or a function of the whole input. */
  from: { index: number } | { compute: (input: Input) => unknown };
  /** Applied to a present value (neither null nor undefined). */
  convert?: ((value: unknown) => unknown) | undefined;
  /** With no value (null or undefined): store null, or leave the property out. */
  absent: 'null' | 'omit';
}

export type ObjectBuilder<Input> = (input: Input) => Record<string, unknown>;

/**
 * Compiles a builder for `properties`, in their order. Names are JSON literals and indexes
 * integers, so nothing a spec or a database names can change what the code does; functions are
 * passed in an array, never written into the source.
 */
export function compileObjectBuilder<Input>(
  properties: readonly BuiltProperty<Input>[],
): ObjectBuilder<Input> {
  const functions: ((value: unknown) => unknown)[] = [];
  const reference = (fn: (value: never) => unknown): string => {
    functions.push(fn as (value: unknown) => unknown);
    return `f[${functions.length - 1}]`;
  };
  const lines = properties.map((property) => {
    const read =
      'index' in property.from
        ? `input[${Math.trunc(property.from.index)}]`
        : `${reference(property.from.compute)}(input)`;
    const value = property.convert ? `${reference(property.convert)}(v)` : 'v';
    // `object["__proto__"] = v` would set the prototype instead of storing a property.
    const store = (stored: string) =>
      property.name === '__proto__'
        ? `Object.defineProperty(object, "__proto__", { value: ${stored}, enumerable: true, writable: true, configurable: true });`
        : `object[${JSON.stringify(property.name)}] = ${stored};`;
    const present = 'v !== null && v !== undefined';
    return property.absent === 'omit'
      ? `v = ${read}; if (${present}) ${store(value)}`
      : `v = ${read}; ${store(`${present} ? ${value} : null`)}`;
  });
  const body = `return function build(input) {\n  const object = {};\n  let v;\n  ${lines.join('\n  ')}\n  return object;\n};`;
  return new Function('f', body)(functions) as ObjectBuilder<Input>;
}
