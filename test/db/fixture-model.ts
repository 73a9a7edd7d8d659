// A spec with every column type, keys, uniques, indexes and a foreign key, for the db suites.

import { deriveModel } from '../../src/model/derive-model.ts';
import type { ModelDescription } from '../../src/model/table-description.ts';

export const fixtureDocument = {
  openapi: '3.1.0',
  info: { title: 'fixture', version: '1' },
  paths: {},
  components: {
    schemas: {
      Pet: {
        type: 'object',
        'x-tablename': 'pets',
        required: ['name'],
        'x-composite-unique': ['name', 'ownerId'],
        properties: {
          id: { type: 'integer', 'x-primary-key': true, readOnly: true },
          name: { type: 'string', maxLength: 40, 'x-index': true },
          kind: { type: 'string', enum: ['dog', 'cat'], default: 'dog' },
          age: { type: ['integer', 'null'] },
          population: { type: 'integer', format: 'int64' },
          weight: { type: 'number', format: 'float' },
          height: { type: 'number' },
          vaccinated: { type: 'boolean', default: false },
          born: { type: 'string', format: 'date' },
          seenAt: { type: 'string', format: 'date-time' },
          tag: { type: 'string', format: 'uuid', 'x-unique': true },
          photo: { type: 'string', format: 'byte' },
          meta: { type: 'object', default: { toys: [] } },
          nicknames: { type: 'array', items: { type: 'string' } },
          createdAt: { type: 'string', format: 'date-time', readOnly: true },
          ownerId: {
            type: ['integer', 'null'],
            'x-foreign-key': 'owners.id',
            'x-foreign-key-kwargs': { ondelete: 'CASCADE' },
          },
        },
      },
      Owner: {
        type: 'object',
        'x-tablename': 'owners',
        required: ['email'],
        properties: {
          id: { type: 'integer', 'x-primary-key': true },
          email: { type: 'string', format: 'email', 'x-unique': true },
          nickname: { type: 'string', nullable: false, default: 'anon' },
        },
      },
      Tag: {
        type: 'object',
        'x-tablename': 'tags',
        required: ['label'],
        properties: {
          id: { type: 'string', format: 'uuid', 'x-primary-key': true },
          label: { type: 'string' },
        },
      },
    },
  },
};

export const fixtureModel: ModelDescription = deriveModel(fixtureDocument, 'openapi.yaml');
