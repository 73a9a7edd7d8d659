import { describe, expect, it } from 'vitest';
import { compileArrayBuilder, compileObjectBuilder } from '../../src/codegen/object-builder.ts';

describe('generated object builders', () => {
  it('store each property in the order given, from an index or a function of the input', () => {
    const build = compileObjectBuilder<readonly unknown[]>([
      { name: 'b', from: { index: 1 }, absent: 'null' },
      { name: 'a', from: { index: 0 }, convert: (value) => Number(value) * 2, absent: 'null' },
      { name: 'count', from: { compute: (input) => input.length }, absent: 'omit' },
    ]);
    const built = build(['21', 'x']);
    expect(built).toEqual({ b: 'x', a: 42, count: 2 });
    expect(Object.keys(built)).toEqual(['b', 'a', 'count']);
  });

  it('store null, or leave the property out, when a value is null or undefined', () => {
    const build = compileObjectBuilder<readonly unknown[]>([
      { name: 'kept', from: { index: 0 }, convert: () => 'converted', absent: 'null' },
      { name: 'left', from: { index: 1 }, absent: 'omit' },
    ]);
    expect(build([null, undefined])).toEqual({ kept: null });
    expect(Object.keys(build([undefined, null]))).toEqual(['kept']);
    expect(build([0, ''])).toEqual({ kept: 'converted', left: '' });
  });

  it('takes names that look like code, or like the prototype, as plain property names', () => {
    const names = [
      'a"b',
      "c'd",
      'e\\f',
      'g\nh',
      '"]; globalThis.hacked = true; //',
      '\u2028',
      '__proto__',
      'constructor',
    ];
    const build = compileObjectBuilder<readonly unknown[]>(
      names.map((name, index) => ({ name, from: { index }, absent: 'null' })),
    );
    const built = build(names.map((_, i) => ({ value: i })));
    expect(Object.keys(built)).toEqual(names);
    expect(Object.getPrototypeOf(built)).toBe(Object.prototype);
    expect(built.__proto__).toEqual({ value: 6 });
    expect(JSON.parse(JSON.stringify(built)).__proto__).toEqual({ value: 6 });
    expect((globalThis as { hacked?: boolean }).hacked).toBeUndefined();
  });

  it('read named properties, only own ones for names Object.prototype has', () => {
    const build = compileObjectBuilder<Record<string, unknown>>([
      { name: 'name', from: { property: 'name' }, absent: 'keep-null' },
      { name: 'tag', from: { property: 'tag' }, absent: 'keep-null' },
      { name: 'constructor', from: { property: 'constructor' }, absent: 'keep-null' },
      { name: 'toString', from: { property: 'toString' }, absent: 'keep-null' },
    ]);
    // keep-null: a null is stored, an absent property is left out.
    expect(build({ name: 'Rex', tag: null })).toEqual({ name: 'Rex', tag: null });
    expect(Object.keys(build({ name: 'Rex' }))).toEqual(['name']);
    expect(build({ constructor: 'own', toString: 'too' })).toEqual({
      constructor: 'own',
      toString: 'too',
    });
  });

  it('store a default for an undefined value, null for null, and convert the rest', () => {
    const build = compileObjectBuilder<Record<string, unknown>>([
      {
        name: 'v0',
        from: { property: 'count' },
        convert: (value) => Number(value) + 1,
        absent: { default: 'fallback' },
      },
    ]);
    expect(build({})).toEqual({ v0: 'fallback' });
    expect(build({ count: null })).toEqual({ v0: null });
    expect(build({ count: 1 })).toEqual({ v0: 2 });
  });
});

describe('generated array builders', () => {
  it('lay out named properties and constants in order, converting every value', () => {
    const build = compileArrayBuilder([
      { property: 'b' },
      { constant: 7 },
      { property: 'a', convert: (value) => `<${String(value)}>` },
    ]);
    expect(build({ a: 1, b: 2 })).toEqual([2, 7, '<1>']);
    expect(build({ a: null, b: undefined })).toEqual([undefined, 7, '<null>']);
  });

  it('report a property the input does not have at all, and take an undefined one as given', () => {
    const missing = (name: string): never => {
      throw new Error(`no ${name}`);
    };
    const build = compileArrayBuilder([{ property: 'key', missing }]);
    expect(() => build({})).toThrow('no key');
    // An inherited name is no value of the input's own.
    expect(() => compileArrayBuilder([{ property: 'constructor', missing }])({})).toThrow(
      'no constructor',
    );
    expect(build({ key: undefined })).toEqual([undefined]);
  });
});
