import { applyDecorators } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import {
  ApiBody,
  ApiQuery,
  ApiResponse,
  DocumentBuilder,
  SwaggerModule,
  type OpenAPIObject,
} from '@nestjs/swagger';
import { z } from 'zod';
import { PROBLEM_CONTENT_TYPE, problemSchema } from '../common/problem';

/**
 * The OpenAPI document is generated from the same zod schemas that validate requests and shape
 * responses: the decorators below register each schema under a name, and `createOpenApiDocument`
 * turns every registered schema into a component with `z.toJSONSchema`. A schema documented
 * here is therefore the schema enforced.
 */
type Io = 'input' | 'output';
const components = new Map<string, { schema: z.ZodType; io: Io }>();

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function register(name: string, schema: z.ZodType, io: Io): void {
  const existing = components.get(name);
  if (existing && (existing.schema !== schema || existing.io !== io)) {
    throw new Error(`OpenAPI schema name "${name}" is used for two different schemas`);
  }
  components.set(name, { schema, io });
}

function toJsonSchema(schema: z.ZodType, io: Io): Record<string, unknown> {
  // OpenAPI 3.1 schemas are JSON Schema 2020-12; the dialect is declared once by the document.
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' });
  delete (json as Record<string, unknown>).$schema;
  return json as Record<string, unknown>;
}

/** Request body validated by `zodPipe(schema)`: documented as the schema's input side. */
export const ApiJsonBody = (name: string, schema: z.ZodType) => {
  register(name, schema, 'input');
  return ApiBody({ required: true, schema: ref(name) });
};

export const ApiJsonResponse = (
  status: number,
  name: string,
  schema: z.ZodType,
  description: string,
) => {
  register(name, schema, 'output');
  return ApiResponse({
    status,
    description,
    content: { 'application/json': { schema: ref(name) } },
  });
};

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: malformed JSON, or each invalid field listed in `errors`',
  404: 'No such host or snapshot',
  409: 'Conflicts with the current state',
  413: 'Request body larger than MEMFLEET_MAX_BUNDLE_BYTES',
  500: 'Unexpected failure; the body carries an errorId that the logs know',
  503: 'A dependency (database, collect queue) is unavailable; retry shortly',
};

/** Error responses, all `application/problem+json` with the one Problem shape. */
export const ApiProblems = (...statuses: number[]) => {
  register('Problem', problemSchema, 'output');
  return applyDecorators(
    ...[...statuses, 500].map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_DESCRIPTIONS[status] ?? 'Problem',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: ref('Problem') } },
      }),
    ),
  );
};

/** One `in: query` parameter per property of a zod object schema. */
export const ApiZodQuery = (schema: z.ZodObject) => {
  const json = toJsonSchema(schema, 'input') as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return applyDecorators(
    ...Object.entries(json.properties ?? {}).map(([name, property]) =>
      ApiQuery({
        name,
        required: json.required?.includes(name) ?? false,
        description: typeof property.description === 'string' ? property.description : undefined,
        schema: property,
      }),
    ),
  );
};

export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('memfleet API')
    .setDescription(
      'Hosts and their memory snapshots. Every error is RFC 9457 application/problem+json; ' +
        'every response carries x-request-id.',
    )
    .setVersion('1')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components ??= {};
  document.components.schemas = {
    ...document.components.schemas,
    ...Object.fromEntries(
      [...components].map(([name, { schema, io }]) => [name, toJsonSchema(schema, io)]),
    ),
  };
  documentRequestIdHeader(document);
  return document;
}

/** Every response carries x-request-id (see platform/logger.ts); say so on each of them. */
function documentRequestIdHeader(document: OpenAPIObject): void {
  const header = {
    description: "The id of this request: the caller's x-request-id if sane, else a new uuid",
    schema: { type: 'string' },
  };
  for (const item of Object.values(document.paths)) {
    for (const op of Object.values(item)) {
      const responses = (op as { responses?: Record<string, { headers?: object }> }).responses;
      for (const response of Object.values(responses ?? {})) {
        response.headers = { ...response.headers, 'x-request-id': header };
      }
    }
  }
}

export function mountOpenApi(app: INestApplication): OpenAPIObject {
  const document = createOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/openapi.json',
    raw: ['json'],
  });
  return document;
}
