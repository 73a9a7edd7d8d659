// Builders of objects and arrays whose property names are known at startup (a table's row, an
// error schema's body, a statement's values), generated as straight-line code: one load or store
// per property under a constant name. A loop reading or storing `object[name]` sees every name at
// one site, which V8 can only treat as a dictionary-style (megamorphic) access; each generated
// site sees one name and one shape, as hand-written code does.

/** Where a value comes from: an element of the input (an array), a function of it, or its property. */
export type ValueSource<Input> =
  | { index: number }
  | { compute: (input: Input) => unknown }
  | { property: string };

/** Where a property's value comes from, and what is stored when there is none. */
export interface BuiltProperty<Input> {
  /** The property's name: it enters the source only as a JSON string literal. */
  name: string;
  from: ValueSource<Input>;
  /** Applied to a present value (neither null nor undefined). */
  convert?: ((value: unknown) => unknown) | undefined;
  /**
   * With no value: `null` stores null and `omit` leaves the property out, for null and undefined
   * alike; `keep-null` leaves out undefined and stores null; `{ default }` stores the default for
   * undefined and null for null.
   */
  absent: 'null' | 'omit' | 'keep-null' | { default: unknown };
}

export type ObjectBuilder<Input> = (input: Input) => Record<string, unknown>;

/** An array element: an input property's value (converted when present), or a constant. */
export type BuiltElement =
  | {
      property: string;
      /** Applied to every value, null and undefined included. */
      convert?: ((value: unknown) => unknown) | undefined;
      /** Called with the property's name when the input has no such property at all. */
      missing?: (name: string) => never;
    }
  | { constant: unknown };

export type ArrayBuilder = (input: Record<string, unknown>) => unknown[];

/** What the generated source refers to: functions and values, passed in arrays, never written in. */
class References {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `r[${this.values.length - 1}]`;
  }
}

/**
 * `input.name` under a constant name. A name Object.prototype has (`constructor`, `__proto__`,
 * …) is read only as the input's own property, never inherited.
 */
function readProperty(name: string): string {
  const literal = JSON.stringify(name);
  return name in Object.prototype
    ? `(Object.hasOwn(input, ${literal}) ? input[${literal}] : undefined)`
    : `input[${literal}]`;
}

function readSource<Input>(from: ValueSource<Input>, refs: References): string {
  if ('index' in from) return `input[${Math.trunc(from.index)}]`;
  if ('property' in from) return readProperty(from.property);
  return `${refs.add(from.compute)}(input)`;
}

/**
 * Compiles a builder for `properties`, in their order. Names are JSON literals and indexes
 * integers, so nothing a spec or a database names can change what the code does.
 */
export function compileObjectBuilder<Input>(
  properties: readonly BuiltProperty<Input>[],
): ObjectBuilder<Input> {
  const refs = new References();
  const lines = properties.map((property) => {
    const read = readSource(property.from, refs);
    const value = property.convert ? `${refs.add(property.convert)}(v)` : 'v';
    // `object["__proto__"] = v` would set the prototype instead of storing a property.
    const store = (stored: string) =>
      property.name === '__proto__'
        ? `Object.defineProperty(object, "__proto__", { value: ${stored}, enumerable: true, writable: true, configurable: true });`
        : `object[${JSON.stringify(property.name)}] = ${stored};`;
    const present = 'v !== null && v !== undefined';
    const { absent } = property;
    if (absent === 'omit') return `v = ${read}; if (${present}) ${store(value)}`;
    if (absent === 'null') return `v = ${read}; ${store(`${present} ? ${value} : null`)}`;
    if (absent === 'keep-null') {
      return `v = ${read}; if (v !== undefined) ${store(`v === null ? null : ${value}`)}`;
    }
    const fallback = refs.add(absent.default);
    return `v = ${read}; ${store(`v === undefined ? ${fallback} : v === null ? null : ${value}`)}`;
  });
  const body = `return function build(input) {\n  const object = {};\n  let v;\n  ${lines.join('\n  ')}\n  return object;\n};`;
  return new Function('r', body)(refs.values) as ObjectBuilder<Input>;
}

/** Compiles a builder of an array with `elements`, in their order. */
export function compileArrayBuilder(elements: readonly BuiltElement[]): ArrayBuilder {
  const refs = new References();
  const lines: string[] = [];
  const items = elements.map((element, i) => {
    if ('constant' in element) return refs.add(element.constant);
    const literal = JSON.stringify(element.property);
    lines.push(`const v${i} = ${readProperty(element.property)};`);
    if (element.missing) {
      lines.push(
        `if (v${i} === undefined && !Object.hasOwn(input, ${literal})) ${refs.add(element.missing)}(${literal});`,
      );
    }
    return element.convert ? `${refs.add(element.convert)}(v${i})` : `v${i}`;
  });
  const body = `return function build(input) {\n  ${lines.join('\n  ')}\n  return [${items.join(', ')}];\n};`;
  return new Function('r', body)(refs.values) as ArrayBuilder;
}
