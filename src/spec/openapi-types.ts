// The OpenAPI document shapes the rest of specstack reads. `document` from loadSpec() is fully
// dereferenced, so no `$ref` appears in these types; schemas follow the JSON Schema form of 3.1.

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';

export const HTTP_METHODS: readonly HttpMethod[] = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
];

/** A JSON Schema (draft 2020-12 as used by OpenAPI 3.1), after normalization. */
export interface SchemaObject {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  title?: string;
  description?: string;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  additionalProperties?: SchemaObject | boolean;
  items?: SchemaObject;
  allOf?: SchemaObject[];
  anyOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  not?: SchemaObject;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  readOnly?: boolean;
  writeOnly?: boolean;
  deprecated?: boolean;
  example?: unknown;
  examples?: unknown;
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
  [extension: string]: unknown;
}

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export interface ParameterObject {
  name: string;
  in: ParameterLocation;
  required?: boolean;
  description?: string;
  deprecated?: boolean;
  style?: string;
  explode?: boolean;
  allowEmptyValue?: boolean;
  schema?: SchemaObject;
  content?: Record<string, MediaTypeObject>;
  [extension: string]: unknown;
}

export interface HeaderObject extends Omit<ParameterObject, 'name' | 'in'> {}

export interface MediaTypeObject {
  schema?: SchemaObject;
  example?: unknown;
  examples?: Record<string, unknown>;
  encoding?: Record<string, { contentType?: string; headers?: Record<string, HeaderObject> }>;
  [extension: string]: unknown;
}

export interface RequestBodyObject {
  description?: string;
  required?: boolean;
  content: Record<string, MediaTypeObject>;
  [extension: string]: unknown;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject>;
  content?: Record<string, MediaTypeObject>;
  links?: Record<string, unknown>;
  [extension: string]: unknown;
}

export type SecurityRequirementObject = Record<string, string[]>;

export interface OperationObject {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  /** After loadSpec(): the path item's parameters merged in, overridden by the operation's own. */
  parameters?: ParameterObject[];
  requestBody?: RequestBodyObject;
  /** Keyed by status code (`200`, `4XX`) or `default`. */
  responses: Record<string, ResponseObject>;
  callbacks?: Record<string, Record<string, PathItemObject>>;
  deprecated?: boolean;
  security?: SecurityRequirementObject[];
  servers?: ServerObject[];
  [extension: string]: unknown;
}

export interface PathItemObject {
  summary?: string;
  description?: string;
  parameters?: ParameterObject[];
  servers?: ServerObject[];
  get?: OperationObject;
  put?: OperationObject;
  post?: OperationObject;
  delete?: OperationObject;
  options?: OperationObject;
  head?: OperationObject;
  patch?: OperationObject;
  trace?: OperationObject;
  [extension: string]: unknown;
}

export interface ServerObject {
  url: string;
  description?: string;
  variables?: Record<string, { default: string; enum?: string[]; description?: string }>;
}

export interface SecuritySchemeObject {
  type: 'apiKey' | 'http' | 'oauth2' | 'openIdConnect' | 'mutualTLS';
  description?: string;
  name?: string;
  in?: 'query' | 'header' | 'cookie';
  scheme?: string;
  bearerFormat?: string;
  flows?: Record<string, unknown>;
  openIdConnectUrl?: string;
  [extension: string]: unknown;
}

export interface ComponentsObject {
  schemas?: Record<string, SchemaObject>;
  responses?: Record<string, ResponseObject>;
  parameters?: Record<string, ParameterObject>;
  requestBodies?: Record<string, RequestBodyObject>;
  headers?: Record<string, HeaderObject>;
  securitySchemes?: Record<string, SecuritySchemeObject>;
  callbacks?: Record<string, Record<string, PathItemObject>>;
  pathItems?: Record<string, PathItemObject>;
  [extension: string]: unknown;
}

export interface OpenAPIDocument {
  openapi: string;
  info: { title: string; version: string; description?: string; [extension: string]: unknown };
  servers?: ServerObject[];
  paths?: Record<string, PathItemObject>;
  webhooks?: Record<string, PathItemObject>;
  components?: ComponentsObject;
  security?: SecurityRequirementObject[];
  tags?: { name: string; description?: string; [extension: string]: unknown }[];
  externalDocs?: { url: string; description?: string };
  [extension: string]: unknown;
}
