import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, Max, ValidateNested } from 'class-validator';
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
