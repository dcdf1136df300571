/**
 * Reads serverless.yml / CloudFormation YAML with the CloudFormation short-form tags
 * (`!Ref`, `!GetAtt`, `!Sub`, ...), turning each into its long JSON form (`{ "Ref": ... }`,
 * `{ "Fn::GetAtt": [...] }`) as CloudFormation itself does.
 *
 * @module
 */
import {
  CORE_SCHEMA,
  defineMappingTag,
  defineScalarTag,
  defineSequenceTag,
  load,
  mergeTag,
  type Schema,
} from 'js-yaml';

/** Short tag (without `!`) → the key of its long form. */
const INTRINSICS: Readonly<Record<string, string>> = {
  Ref: 'Ref',
  Condition: 'Condition',
  GetAtt: 'Fn::GetAtt',
  Sub: 'Fn::Sub',
  Join: 'Fn::Join',
  ImportValue: 'Fn::ImportValue',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  If: 'Fn::If',
  Equals: 'Fn::Equals',
  Not: 'Fn::Not',
  And: 'Fn::And',
  Or: 'Fn::Or',
  FindInMap: 'Fn::FindInMap',
  Base64: 'Fn::Base64',
  GetAZs: 'Fn::GetAZs',
  Cidr: 'Fn::Cidr',
};

type JsonObject = Record<string, unknown>;

const loadOnly = () => false;

function scalarTag(short: string, key: string) {
  return defineScalarTag<JsonObject>(`!${short}`, {
    // `!GetAtt Resource.Attribute`: CloudFormation splits at the first dot only (`Endpoint.Address`).
    resolve: (source) => {
      if (short !== 'GetAtt') return { [key]: source };
      const dot = source.indexOf('.');
      return { [key]: dot < 0 ? [source] : [source.slice(0, dot), source.slice(dot + 1)] };
    },
    identify: loadOnly,
  });
}

function sequenceTag(short: string, key: string) {
  return defineSequenceTag<unknown[], JsonObject>(`!${short}`, {
    create: () => [],
    addItem: (items, item) => {
      items.push(item);
    },
    finalize: (items) => ({ [key]: items }),
    identify: loadOnly,
  });
}

function mappingTag(short: string, key: string) {
  return defineMappingTag<JsonObject, JsonObject>(`!${short}`, {
    create: () => ({}),
    addPair: (map, name, value) => {
      Object.defineProperty(map, String(name), { value, enumerable: true, writable: true, configurable: true });
      return '';
    },
    has: (map, name) => Object.hasOwn(map, String(name)),
    keys: (map) => Object.keys(map),
    get: (map, name) => map[String(name)],
    finalize: (map) => ({ [key]: map }),
    identify: loadOnly,
  });
}

/**
 * The YAML core schema plus merge keys (`<<`) and every CloudFormation short-form tag, each
 * accepted on a scalar, a sequence or a mapping node.
 */
export const CLOUDFORMATION_SCHEMA: Schema = CORE_SCHEMA.withTags(
  mergeTag,
  Object.entries(INTRINSICS).flatMap(([short, key]) => [scalarTag(short, key), sequenceTag(short, key), mappingTag(short, key)]),
);

/**
 * Parses one YAML document that may use CloudFormation short-form tags.
 *
 * @param text - The YAML source.
 * @param filename - Named in parse errors.
 * @returns The document, with every short-form tag in its long form.
 * @throws YAMLException when the text is not valid YAML.
 */
export function parseCloudFormationYaml(text: string, filename?: string): unknown {
  return load(text, { schema: CLOUDFORMATION_SCHEMA, ...(filename === undefined ? {} : { filename }) });
}
