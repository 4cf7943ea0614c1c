import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { RequestValidationError } from './request-validation.error';

/**
 * Validates one controller argument with a zod schema; the parsed (defaulted, stripped) value is
 * what the handler receives. Failures become a RequestValidationError, which the problem filter
 * turns into a 400 listing each bad field.
 */
@Injectable()
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown, metadata: ArgumentMetadata): z.output<S> {
    // Express leaves the body undefined when it is not JSON: say so rather than "expected object".
    if (metadata.type === 'body' && value === undefined) {
      throw new RequestValidationError([
        { field: '(body)', message: 'a JSON body is required (Content-Type: application/json)' },
      ]);
    }
    const result = this.schema.safeParse(value, { error: requiredMessage });
    if (result.success) return result.data;
    const where = metadata.type === 'query' ? 'query' : metadata.type === 'param' ? 'path' : 'body';
    throw RequestValidationError.fromZod(result.error, where);
  }
}

/** zod's default says "expected string, received undefined"; a client needs "required". */
const requiredMessage: z.core.$ZodErrorMap = (issue) =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined;

export const zodPipe = <S extends z.ZodType>(schema: S) => new ZodValidationPipe(schema);
