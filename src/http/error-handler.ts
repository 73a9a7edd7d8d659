// Every error a request can meet, from Fastify, a validator, the database or a handler, becomes
// one ErrorDescription, answered in the shape the operation's spec declares.

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { databaseFault } from '../db/database-faults.ts';
import {
  BODY_TOO_LARGE,
  CLIENT_ERROR,
  type ErrorFactory,
  FORBIDDEN,
  INTERNAL,
  isSpecstackError,
  MALFORMED_BODY,
  METHOD_NOT_ALLOWED,
  NOT_FOUND,
  UNAUTHORIZED,
  UNSUPPORTED_MEDIA_TYPE,
  VALIDATION,
} from '../errors.ts';
import type { ErrorDescription, ErrorResponder } from './error-responses.ts';
import { type FieldError, fieldErrors, type RequestPart, summarize } from './request-errors.ts';
import { pathOf } from './request-target.ts';
import type { ErrorObject } from './validator.ts';

const VALIDATION_CONTEXTS: Record<string, RequestPart> = {
  body: 'body',
  querystring: 'query',
  params: 'params',
  headers: 'headers',
};

/** Fastify's own request errors, by their codes. */
const FASTIFY_ERRORS: Record<string, ErrorFactory> = {
  FST_ERR_CTP_INVALID_JSON_BODY: MALFORMED_BODY,
  FST_ERR_CTP_EMPTY_JSON_BODY: MALFORMED_BODY,
  FST_ERR_CTP_BODY_TOO_LARGE: BODY_TOO_LARGE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: UNSUPPORTED_MEDIA_TYPE,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: MALFORMED_BODY,
};

const CLIENT_ERRORS_BY_STATUS: Record<number, ErrorFactory> = {
  400: VALIDATION,
  401: UNAUTHORIZED,
  403: FORBIDDEN,
  404: NOT_FOUND,
  405: METHOD_NOT_ALLOWED,
  413: BODY_TOO_LARGE,
  415: UNSUPPORTED_MEDIA_TYPE,
};

function fieldErrorsOf(details: unknown): FieldError[] | undefined {
  return Array.isArray(details) && details.every((d) => typeof d?.field === 'string')
    ? (details as FieldError[])
    : undefined;
}

/**
 * Descriptions are written out as literals: built by spreading a shared base, V8 was seen to keep
 * them past young-generation collections, so every error answer grew the old generation.
 */
function description(
  request: FastifyRequest,
  status: number,
  code: string,
  message: string,
  errors?: FieldError[],
): ErrorDescription {
  return {
    status,
    code,
    message,
    errors,
    requestId: request.id,
    instance: pathOf(request.url),
  };
}

export function describeError(error: unknown, request: FastifyRequest): ErrorDescription {
  const fastifyError = error as FastifyError & { validationContext?: string };
  // The most frequent error first: a request the route's schemas refuse.
  if (Array.isArray(fastifyError.validation)) {
    const part = VALIDATION_CONTEXTS[fastifyError.validationContext ?? 'body'] ?? 'body';
    const errors = fieldErrors(part, fastifyError.validation as unknown as ErrorObject[]);
    return description(request, 400, VALIDATION.code, summarize(errors), errors);
  }
  // The database failed a transaction's BEGIN or COMMIT or a handler's own query (repositories
  // name their faults themselves): 503, as from a repository.
  const named = isSpecstackError(error) ? error : databaseFault(error);
  if (named) {
    return description(
      request,
      named.statusCode,
      named.code,
      named.message,
      fieldErrorsOf(named.details),
    );
  }
  const known = fastifyError.code ? FASTIFY_ERRORS[fastifyError.code] : undefined;
  if (known) {
    const message =
      known === MALFORMED_BODY && fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
        ? 'the request body is empty but its content type is JSON'
        : known === UNSUPPORTED_MEDIA_TYPE
          ? `content type "${request.headers['content-type'] ?? ''}" is not supported`
          : known.defaultMessage;
    return description(request, known.statusCode, known.code, message);
  }
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // An error with a client status from a handler or a plugin: keep its status and message.
    const code = CLIENT_ERRORS_BY_STATUS[status]?.code ?? CLIENT_ERROR.code;
    return description(request, status, code, fastifyError.message);
  }
  return description(request, 500, INTERNAL.code, INTERNAL.defaultMessage);
}

export function sendError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  responder: ErrorResponder,
): FastifyReply {
  const answer = describeError(error, request);
  if (answer.status >= 500) {
    // The client sees no stack; the log has everything, tied to the request id.
    request.log.error({ err: error }, 'request failed');
  } else {
    request.log.info({ code: answer.code, status: answer.status }, answer.message);
  }
  return answerError(answer, reply, responder);
}

/** Answers an error its caller has logged already, in the operation's error shape. */
export function sendLoggedError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  responder: ErrorResponder,
): FastifyReply {
  return answerError(describeError(error, request), reply, responder);
}

/**
 * Answers a client error the framework found itself (a missing row): no Error is built, so no
 * stack is captured for an everyday answer.
 */
export function sendErrorDescription(
  error: Omit<ErrorDescription, 'requestId' | 'instance'>,
  request: FastifyRequest,
  reply: FastifyReply,
  responder: ErrorResponder,
): FastifyReply {
  request.log.info({ code: error.code, status: error.status }, error.message);
  const answer = description(request, error.status, error.code, error.message, error.errors);
  return answerError(answer, reply, responder);
}

function answerError(
  description: ErrorDescription,
  reply: FastifyReply,
  responder: ErrorResponder,
): FastifyReply {
  const { contentType, body } = responder.reply(description);
  reply.code(description.status);
  // Left unset, Fastify sends its constant `application/json; charset=utf-8`: the same header,
  // without parsing and extending a content type on every error. (A handler that set another type
  // before failing has it replaced.)
  if (contentType !== 'application/json' || reply.hasHeader('content-type'))
    reply.type(contentType);
  return reply.send(body);
}
