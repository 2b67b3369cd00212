import { describe, expect, it } from '@jest/globals';
import { fixtureNamed, fixtureText, shapeMismatches } from './answer-fixtures.js';

describe('shapeMismatches', () => {
  it('agrees on the same keys and types, recursively, whatever the values', () => {
    expect(shapeMismatches({ a: 1, b: { c: 'x', d: [1, 2] } }, { a: 9, b: { c: 'y', d: [3] } })).toEqual([]);
  });

  it('names keys the host does not send, keys it sends that are missing, and type changes', () => {
    expect(shapeMismatches({ err_no: 0, component_access_token: 't' }, { component_access_token: 't', expires_in: 7200 })).toEqual([
      'err_no: key the host does not send',
      'expires_in: missing (the host sends it)',
    ]);
    expect(shapeMismatches({ data: { template_id: '7' } }, { data: { template_id: 7 } })).toEqual(['data.template_id: string where the host sends number']);
  });

  it('matches each array element against the fixture element that fits', () => {
    const fixture = [
      { version: '1', status: 1, package_id: 1 },
      { version: '2', upload_status: 1 },
    ];
    expect(
      shapeMismatches(
        [
          { version: 'a', upload_status: 1 },
          { version: 'b', status: 3, package_id: 2 },
        ],
        fixture,
      ),
    ).toEqual([]);
    expect(shapeMismatches([{ version: 'a', status: 3 }], fixture)).toHaveLength(1);
    expect(shapeMismatches([{ anything: true }], [])).toEqual([]);
  });

  it('compares the values of map paths, not their keys', () => {
    const fixture = { gray: { host_gray_scale: { douyin: '10' } } };
    expect(shapeMismatches({ gray: { host_gray_scale: { toutiao: '30', douyin: '5' } } }, fixture, ['gray.host_gray_scale'])).toEqual([]);
    expect(shapeMismatches({ gray: { host_gray_scale: { toutiao: 30 } } }, fixture, ['gray.host_gray_scale'])).toEqual([
      'gray.host_gray_scale{toutiao}: number where the host sends string',
    ]);
  });

  it('lets null stand for any type on either side', () => {
    expect(shapeMismatches({ developer_id: null, gray: { v: 1 } }, { developer_id: 'x', gray: null })).toEqual([]);
  });
});

describe('fixture helpers', () => {
  const set = [{ name: 'a', call: 'GET /a', kind: 'success' as const, source: 's', body: { n: 1 } }];
  it('finds fixtures by name and gives their wire text', () => {
    expect(fixtureText(fixtureNamed(set, 'a'))).toBe('{"n":1}');
    expect(fixtureText({ ...set[0], raw: '{"n":9133504853504535288}' })).toBe('{"n":9133504853504535288}');
    expect(() => fixtureNamed(set, 'b')).toThrow('no answer fixture named b');
  });
});
