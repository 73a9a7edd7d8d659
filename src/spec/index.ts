// The spec part's public surface: load a document, and the types of what it gives back.

export { type LoadedSpec, loadSpec, type OpenAPIVersion } from './load-spec.ts';
export { normalizeDocument } from './normalize-document.ts';
export {
  convertNullable,
  mergeParameters,
  type NormalizeMemo,
  normalizeSchema,
} from './normalize-schema.ts';
export * from './openapi-types.ts';
