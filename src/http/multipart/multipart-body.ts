// multipart/form-data request bodies (@fastify/multipart): parts are read into the object the
// body schema describes, text fields as strings (coerced by the schema like a form), file parts
// (`format: binary`, or `contentMediaType` in 3.1) as UploadedFile. Limits come from the spec: a
// binary property's `maxLength` is its size in bytes, beyond which the request is a 413.

import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { FastifyRequest, preValidationHookHandler } from 'fastify';
import {
  BODY_TOO_LARGE,
  isSpecstackError,
  MALFORMED_BODY,
  UNSUPPORTED_MEDIA_TYPE,
} from '../../errors.ts';
import type { Operation, Schema } from '../operations.ts';

export const MULTIPART = 'multipart/form-data';

/** A file part as a handler receives it in its body. */
export interface UploadedFile {
  /** The file name the client sent (never a path on this server). */
  filename: string;
  /** The part's Content-Type. */
  contentType: string;
  /** Bytes. */
  size: number;
  data: Buffer;
}

interface FilePart {
  /** Largest size in bytes, from `maxLength`. */
  maxBytes?: number;
  /** Media types the spec allows (the encoding's `contentType`, or `contentMediaType`). */
  types?: string[];
  /** An array of files (`type: array` of binary items). */
  many: boolean;
}

interface MultipartPlan {
  files: Map<string, FilePart>;
}

function isBinary(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return false;
  const { type, format, contentMediaType } = schema as Schema;
  return (type === 'string' || type === undefined) && (format === 'binary' || !!contentMediaType);
}

/** The binary properties of a multipart body schema, with their limits. */
function planOf(operation: Operation): MultipartPlan | undefined {
  const media = operation.operation.requestBody?.content?.[MULTIPART] as
    | { schema?: Schema; encoding?: Record<string, { contentType?: string }> }
    | undefined;
  if (!media) return undefined;
  const files = new Map<string, FilePart>();
  const properties = (media.schema?.properties ?? {}) as Record<string, Schema>;
  for (const [name, property] of Object.entries(properties)) {
    const many = property.type === 'array' && isBinary(property.items);
    const file = many ? (property.items as Schema) : property;
    if (!many && !isBinary(file)) continue;
    const listed = media.encoding?.[name]?.contentType ?? (file.contentMediaType as string);
    const types = listed?.split(',').map((type) => type.trim().toLowerCase());
    files.set(name, {
      many,
      ...(typeof file.maxLength === 'number' ? { maxBytes: file.maxLength } : {}),
      ...(types ? { types } : {}),
    });
  }
  return { files };
}

/** What validation sees of a file part: any object (the hook put an UploadedFile there). */
const FILE_SCHEMA = { type: 'object', required: ['filename', 'contentType', 'size'] };

/** The body schema with its binary properties as files, for Fastify's validator. */
export function multipartSchema(schema: Schema): Schema {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const swapped = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => {
      if (isBinary(property)) return [name, FILE_SCHEMA];
      if (property.type === 'array' && isBinary(property.items)) {
        return [name, { ...property, items: FILE_SCHEMA }];
      }
      return [name, property];
    }),
  );
  return { ...schema, properties: swapped };
}

function typeAllowed(types: readonly string[] | undefined, actual: string): boolean {
  if (!types) return true;
  return types.some(
    (type) =>
      type === '*/*' ||
      type === actual ||
      (type.endsWith('/*') && actual.startsWith(type.slice(0, -1))),
  );
}

function add(body: Record<string, unknown>, name: string, value: unknown, many: boolean): void {
  const existing = body[name];
  if (existing === undefined) body[name] = many ? [value] : value;
  else if (Array.isArray(existing)) existing.push(value);
  else body[name] = [existing, value];
}

async function readFile(part: MultipartFile, plan: FilePart | undefined): Promise<UploadedFile> {
  const contentType = part.mimetype.toLowerCase();
  if (!plan) {
    // A file where the spec has none (or a text field): refused before its bytes are read.
    part.file.resume();
    throw UNSUPPORTED_MEDIA_TYPE(`body.${part.fieldname}: a file is not accepted here`);
  }
  if (!typeAllowed(plan.types, contentType)) {
    part.file.resume();
    throw UNSUPPORTED_MEDIA_TYPE(
      `body.${part.fieldname}: a file of type "${contentType}" is not accepted; send ${plan.types!.join(' or ')}`,
    );
  }
  const data = await part.toBuffer();
  if (plan.maxBytes !== undefined && data.length > plan.maxBytes) {
    throw BODY_TOO_LARGE(
      `body.${part.fieldname}: the file is larger than its ${plan.maxBytes} bytes`,
    );
  }
  return { filename: part.filename, contentType, size: data.length, data };
}

/** The plugin's errors as specstack's: its limits are 413s, anything else a malformed body. */
function asRequestError(error: unknown): unknown {
  if (isSpecstackError(error)) return error;
  const { statusCode, message } = error as { statusCode?: number; message?: string };
  if (statusCode === 413) return BODY_TOO_LARGE(`the multipart body is too large: ${message}`);
  return MALFORMED_BODY(`the multipart body cannot be read: ${message ?? String(error)}`);
}

/**
 * Reads a multipart request into `request.body` before validation; undefined for operations
 * without a multipart body. Files are held in memory, each within its limit and `bodyLimit`.
 */
export function multipartHook(
  operation: Operation,
  bodyLimit: number,
): preValidationHookHandler | undefined {
  const plan = planOf(operation);
  if (!plan) return undefined;
  const limits = [...plan.files.values()].map((file) => file.maxBytes ?? bodyLimit);
  const fileSize = Math.min(bodyLimit, Math.max(0, ...limits));
  return async (request: FastifyRequest) => {
    if (!request.isMultipart()) return;
    const body: Record<string, unknown> = {};
    try {
      for await (const part of request.parts({
        limits: { fileSize },
      }) as AsyncIterable<Multipart>) {
        if (part.type === 'file') {
          const file = plan.files.get(part.fieldname);
          add(body, part.fieldname, await readFile(part, file), file?.many ?? false);
        } else {
          add(body, part.fieldname, part.value, false);
        }
      }
    } catch (error) {
      throw asRequestError(error);
    }
    request.body = body;
  };
}

export function hasMultipartBody(operation: Operation): boolean {
  return operation.operation.requestBody?.content?.[MULTIPART] !== undefined;
}
