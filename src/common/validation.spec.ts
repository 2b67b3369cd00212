import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsObject, IsOptional, Max, ValidateNested } from 'class-validator';
import { GatewayError } from './gateway-error.js';
import { createValidationPipe } from './validation.js';

class Inner {
  @IsInt() @Max(10) width: number;
}

class Outer {
  @IsNotEmpty() name: string;
  @ValidateNested({ each: true }) @Type(() => Inner) items: Inner[];
}

describe('validation pipe', () => {
  const pipe = createValidationPipe();
  const meta = { type: 'body' as const, metatype: Outer };

  it('turns every failure into one BAD_USER_INPUT with dotted field paths and rule names', async () => {
    const err = await pipe.transform({ name: '', items: [{ width: 5 }, { width: 11.5 }] }, meta).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).code).toBe('BAD_USER_INPUT');
    expect((err as GatewayError).violations).toEqual([
      { field: 'name', rule: 'isNotEmpty', message: 'name should not be empty' },
      { field: 'items.1.width', rule: 'max', message: 'items.1.width must not be greater than 10' },
      { field: 'items.1.width', rule: 'isInt', message: 'items.1.width must be an integer number' },
    ]);
  });

  it('refuses fields the input does not declare', async () => {
    const err = (await pipe.transform({ name: 'a', items: [], color: 'red' }, meta).catch((e: unknown) => e)) as GatewayError;
    expect(err.violations).toEqual([{ field: 'color', rule: 'whitelistValidation', message: 'property color should not exist' }]);
  });

  it('passes valid input through as an instance', async () => {
    const value = await pipe.transform({ name: 'a', items: [{ width: 3 }] }, meta);
    expect(value).toBeInstanceOf(Outer);
    expect(value.items[0]).toBeInstanceOf(Inner);
  });
});

class Named {
  @IsNotEmpty() name: string;
  @IsNotEmpty({ each: true }) tags: string[];
  @ValidateNested({ each: true }) @Type(() => Inner) items: Inner[];
  @IsOptional() @IsObject() free?: Record<string, unknown>;
}

describe('input safety', () => {
  const pipe = createValidationPipe();
  const args = { type: 3 as unknown as 'body', metatype: Named };

  it('refuses NUL characters and lone surrogates anywhere, keys of free-form JSON included, naming the field', async () => {
    const err = (await pipe
      .transform({ name: 'a\u0000b', tags: ['ok', '\ud800'], items: [], free: { nested: { 'k\u0000': 1, list: ['x\udc00'] } } }, args)
      .catch((e: unknown) => e)) as GatewayError;
    expect(err).toBeInstanceOf(GatewayError);
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.violations).toEqual(
      expect.arrayContaining([
        { field: 'name', rule: 'noNulCharacter', message: 'name must not contain the NUL character (U+0000)' },
        { field: 'tags.1', rule: 'wellFormedUnicode', message: 'tags.1 contains a lone UTF-16 surrogate: send well-formed Unicode' },
        { field: 'free.nested', rule: 'noNulCharacter', message: 'a key in free.nested must not contain the NUL character (U+0000)' },
        { field: 'free.nested.list.0', rule: 'wellFormedUnicode', message: 'free.nested.list.0 contains a lone UTF-16 surrogate: send well-formed Unicode' },
      ]),
    );
    expect(err.violations).toHaveLength(4);
  });

  it('accepts well-formed text outside the Basic Multilingual Plane', async () => {
    const value = (await pipe.transform({ name: '面包 🥐', tags: ['𝒳'], items: [] }, args)) as Named;
    expect(value.name).toBe('面包 🥐');
  });

  it('refuses input nested deeper than the limit without overflowing the stack', async () => {
    let deep: Record<string, unknown> = {};
    const top = deep;
    for (let i = 0; i < 100_000; i++) deep = deep.a = {};
    const err = (await pipe.transform({ name: 'x', tags: [], items: [], free: top }, args).catch((e: unknown) => e)) as GatewayError;
    expect(err.violations).toEqual([
      { field: expect.stringMatching(/^free(\.a)+$/), rule: 'maxDepth', message: expect.stringContaining('nests deeper than 32 levels') },
    ]);
  });

  it('refuses whitespace-only values where a rule says not empty, in lists and nested inputs too', async () => {
    const err = (await pipe.transform({ name: ' \t\n', tags: ['fine', '  '], items: [] }, args).catch((e: unknown) => e)) as GatewayError;
    expect(err.violations).toEqual([
      { field: 'name', rule: 'isNotBlank', message: 'name must not be blank (whitespace only)' },
      { field: 'tags', rule: 'isNotBlank', message: 'tags must not be blank (whitespace only)' },
    ]);
    const nested = (await pipe.transform({ name: 'Outer', items: [{ width: 1 }] }, { type: 3 as unknown as 'body', metatype: Outer })) as Outer;
    expect(nested.name).toBe('Outer');
    const blankNested = (await pipe
      .transform({ name: '   ', items: [] }, { type: 3 as unknown as 'body', metatype: Outer })
      .catch((e: unknown) => e)) as GatewayError;
    expect(blankNested.violations).toEqual([{ field: 'name', rule: 'isNotBlank', message: 'name must not be blank (whitespace only)' }]);
  });

  it('leaves values that are not client input alone', async () => {
    const parent = { type: 0 as unknown as 'body', metatype: undefined };
    await expect(pipe.transform({ name: 'a\u0000' }, parent)).resolves.toEqual({ name: 'a\u0000' });
  });
});
