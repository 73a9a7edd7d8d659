// Row ownership for auto-CRUD: a table schema's `x-owner` names the column that holds its owner's
// subject, `x-owner-scope` a scope that may act on anyone's rows. Creating sets the owner from the
// caller; changing or deleting someone else's row is refused with 403. Reads are not restricted,
// except by a list operation marked `x-owner-only`, which lists the caller's rows alone.

import type { Row } from '../db/database.ts';
import { FORBIDDEN, MODEL_INVALID, UNAUTHORIZED } from '../errors.ts';
import type { ColumnDescription, TableDescription } from '../model/table-description.ts';
import type { Principal } from './principal.ts';

export interface OwnerRule {
  column: ColumnDescription;
  /** A scope that may create rows for others and change anyone's rows. */
  scope?: string;
  /** `x-owner` names the primary key: each row is its own owner (a users table). */
  isKey: boolean;
}

/** The rule an x-tablename schema declares, checked against its table at startup. */
export function ownerRuleOf(
  schema: Record<string, unknown>,
  table: TableDescription,
): OwnerRule | undefined {
  const owner = schema['x-owner'];
  const scope = schema['x-owner-scope'];
  if (owner === undefined) {
    if (scope !== undefined) {
      throw MODEL_INVALID(`${table.pointer}/x-owner-scope: needs x-owner beside it`, {
        pointer: `${table.pointer}/x-owner-scope`,
      });
    }
    return undefined;
  }
  const column = table.columns.find((c) => c.name === owner);
  if (typeof owner !== 'string' || !column) {
    throw MODEL_INVALID(
      `${table.pointer}/x-owner: must name a property of ${table.schemaName} (one of ${table.columns.map((c) => c.name).join(', ')})`,
      { pointer: `${table.pointer}/x-owner` },
    );
  }
  if (scope !== undefined && (typeof scope !== 'string' || scope === '')) {
    throw MODEL_INVALID(`${table.pointer}/x-owner-scope: must be a scope name`, {
      pointer: `${table.pointer}/x-owner-scope`,
    });
  }
  return {
    column,
    ...(scope !== undefined ? { scope } : {}),
    isKey: table.primaryKey.length === 1 && table.primaryKey[0] === column.name,
  };
}

function actsForAnyone(rule: OwnerRule, principal: Principal | undefined): boolean {
  return rule.scope !== undefined && principal?.scopes.includes(rule.scope) === true;
}

/** The subject as a value of the owner column. */
function subjectValue(rule: OwnerRule, principal: Principal, table: string): unknown {
  const { type, name } = rule.column;
  if (type !== 'integer' && type !== 'bigint') return principal.subject;
  const number = Number(principal.subject);
  if (!/^-?\d+$/.test(principal.subject) || !Number.isSafeInteger(number)) {
    throw FORBIDDEN(`the caller's subject cannot own ${table} rows: ${name} is an integer`);
  }
  return number;
}

/** The owner column's value for the caller: what an `x-owner-only` list filters on. */
export function callerOwnerValue(
  rule: OwnerRule,
  principal: Principal | undefined,
  table: string,
): unknown {
  if (!principal) throw UNAUTHORIZED(`only a signed-in caller has ${table} rows of their own`);
  return subjectValue(rule, principal, table);
}

/** A create's values with the owner column set from the caller (or kept, for the owner scope). */
export function ownCreate(
  rule: OwnerRule,
  principal: Principal | undefined,
  values: Row,
  table: string,
): Row {
  // The key of a self-owned row is assigned as usual: the creator is not the row.
  if (rule.isKey) return values;
  const name = rule.column.name;
  if (actsForAnyone(rule, principal) && values[name] !== undefined) return values;
  const { [name]: _sent, ...rest } = values;
  // With nobody signed in there is no owner to set; a value the caller sent is not trusted.
  return principal ? { ...rest, [name]: subjectValue(rule, principal, table) } : rest;
}

/** Refuses a write to a row that belongs to someone else. */
export function checkOwner(
  rule: OwnerRule,
  principal: Principal | undefined,
  row: Row,
  what: string,
): void {
  if (actsForAnyone(rule, principal)) return;
  if (principal && String(row[rule.column.name]) === principal.subject) return;
  const hint = rule.scope ? ` (or scope ${rule.scope})` : '';
  throw FORBIDDEN(`${what} belongs to someone else: only its owner${hint} may change it`);
}

/**
 * A replace's or update's values: the row keeps its owner, unless the owner scope sends a new one
 * (a PUT that leaves the column out must not clear it).
 */
export function ownUpdate(
  rule: OwnerRule,
  principal: Principal | undefined,
  values: Row,
  existing: Row,
): Row {
  const name = rule.column.name;
  if (rule.isKey) return values;
  if (actsForAnyone(rule, principal) && values[name] !== undefined) return values;
  return { ...values, [name]: existing[name] };
}
