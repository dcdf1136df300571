/**
 * MCP's server checks a dialog's answer with the confirmation form's standalone validator rather
 * than the SDK's default (ajv compiling the form): it must judge, and word its refusal, as the
 * SDK's default does, for the one form Centli sends.
 */
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { confirmationForm, confirmationFormValidator } from '../../../../../services/mcp/src/app/confirmation-form';

describe('confirmationForm', () => {
  it('is the form the server has always sent: one required boolean, confirm, with the texts given', () => {
    // Act
    const form = confirmationForm('Confirmar', '¿Transfiero $100.00 MXN?');

    // Assess
    expect(form).toStrictEqual({
      type: 'object',
      properties: { confirm: { type: 'boolean', title: 'Confirmar', description: '¿Transfiero $100.00 MXN?' } },
      required: ['confirm'],
    });
  });
});

describe('confirmationFormValidator', () => {
  const form = confirmationForm('Confirm', 'Transfer $100.00 MXN?');
  const sdkDefault = new AjvJsonSchemaValidator().getValidator(form);
  const standalone = confirmationFormValidator.getValidator(form);

  it.each<[string, unknown]>([
    ['yes', { confirm: true }],
    ['no', { confirm: false }],
    ['yes with another field', { confirm: true, note: 'ok' }],
    ['nothing', {}],
    ['a string', { confirm: 'yes' }],
    ['a number', { confirm: 1 }],
    ['null', { confirm: null }],
    ['not an object', 'yes'],
    ['an array', [true]],
  ])('judges an answer of %s as the SDK’s default validator does, in the same words', (_case, answer) => {
    // Act
    const ours = standalone(answer);
    const theirs = sdkDefault(answer);

    // Assess
    expect(ours).toStrictEqual(theirs);
  });

  it.each<[string, Record<string, unknown>]>([
    ['another field', { type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'] }],
    ['confirm as a string', { type: 'object', properties: { confirm: { type: 'string' } }, required: ['confirm'] }],
    ['confirm not required', { type: 'object', properties: { confirm: { type: 'boolean' } } }],
    ['a second field', { type: 'object', properties: { confirm: { type: 'boolean' }, note: { type: 'string' } }, required: ['confirm'] }],
  ])('refuses to judge a form other than the confirmation (%s)', (_case, other) => {
    // Act
    const judging = () => confirmationFormValidator.getValidator(other as never);

    // Assess
    expect(judging).toThrow('only the confirmation form');
  });
});
