import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { buildSchema, type GraphQLField } from 'graphql';
import { ACCESS_RULE, describeAccess, type AccessRule } from '../auth/access.decorators.js';
import { renderSchema, RESOLVERS } from './print-schema.js';

// graphql-schema-linter run the way `npm run schema:lint` runs it (the repository's config),
// on SDL given through stdin.
const linterCli = createRequire(import.meta.url).resolve('graphql-schema-linter/lib/cli.js');
function lint(sdl: string): { status: number | null; rules: string[] } {
  const run = spawnSync(process.execPath, [linterCli, '--stdin', '--format', 'json'], { input: sdl, encoding: 'utf8', cwd: process.cwd() });
  const report = JSON.parse(run.stdout) as { errors: Array<{ rule: string }> };
  return { status: run.status, rules: report.errors.map((e) => e.rule) };
}

describe('the schema documents itself', () => {
  let sdl: string;
  beforeAll(async () => {
    sdl = await renderSchema();
  });

  it('passes graphql-schema-linter with every rule on', () => {
    expect(lint(sdl)).toEqual({ status: 0, rules: [] });
  });

  it('fails the linter when a field, a type or an enum value loses its description', () => {
    const field = '"""Cursor of the first item of this page; null when the page is empty."""\n  startCursor: String';
    const type = '"""What deleteVersion removed."""\ntype DeletedVersion {';
    const enumValue = '"""The host\'s real open-platform API."""\n  LIVE';
    for (const described of [field, type, enumValue]) expect(sdl).toContain(described);

    const stripped = lint(sdl.replace(field, 'startCursor: String').replace(type, 'type DeletedVersion {').replace(enumValue, 'LIVE'));
    expect(stripped.status).toBe(1);
    expect(stripped.rules.sort()).toEqual(['enum-values-have-descriptions', 'fields-have-descriptions', 'types-have-descriptions']);
  });

  it('says on every query, mutation and subscription which key and scope it needs, as its access rule demands', () => {
    const schema = buildSchema(sdl);
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((t) => (t ? Object.values(t.getFields()) : []));
    const checked: string[] = [];
    for (const resolver of RESOLVERS) {
      const proto = resolver.prototype as unknown as Record<string, unknown>;
      for (const method of Object.getOwnPropertyNames(proto)) {
        const rule = Reflect.getMetadata(ACCESS_RULE, proto[method] as object) as AccessRule | undefined;
        if (!rule) continue;
        const field: GraphQLField<unknown, unknown> | undefined = roots.find((f) => f.name === method);
        expect({ method, description: field?.description }).toEqual({ method, description: expect.stringContaining(describeAccess(rule)) });
        checked.push(method);
      }
    }
    // Every root field has an access rule, so every one was checked.
    expect(checked.sort()).toEqual(roots.map((f) => f.name).sort());
  });
});
