import { describe, expect, it } from 'vitest';
import { compileObjectBuilder } from '../../src/codegen/object-builder.ts';

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
});
