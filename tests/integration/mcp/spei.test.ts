/**
 * SPEI over MCP, end to end: transfer_funds to a beneficiary at another bank asks for the
 * customer's approval like any transfer; once approved, the call answers that the money was sent,
 * with its clave de rastreo (the MCP door follows the SPEI saga's status until the order is sent),
 * and a retry with the same approval answers the same transfer without sending another.
 * get_transfer_status then tells when it settled, with the CEP's fields.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { balancesOf, closeClients, type TestAccount } from '../support';
import { approvedCall, call, connectHttp, structured, textOf } from './support';

const ANA_NOMINA: TestAccount = { user_id: 'user-ana', account_id: 'acc-ana-nomina-4821', balance: 0 };

describe('SPEI over MCP', () => {
  let client: Client;

  beforeAll(async () => {
    client = await connectHttp('user-ana');
  });

  afterAll(async () => {
    await client.close();
    closeClients();
  });

  it('sends 150 pesos to Ana’s mom once she approves, answers the clave de rastreo, and a retry sends nothing more', async () => {
    // Prepare
    const args = { beneficiary: 'mi mamá', amount_text: '150 pesos' };
    const before = await balancesOf([ANA_NOMINA]);

    // Act
    const { asked, result } = await approvedCall(client, 'user-ana', 'transfer_funds', args);
    const retried = await call(client, 'transfer_funds', { ...args, approval_id: asked.approval_id });

    // Assess
    expect(asked.summary).toBe('¿Envío $150.00 MXN por SPEI a María Elena Ruiz (mamá) en Banamex (CLABE ****8906), desde tu Cuenta Nómina ****4821?');
    expect(result.isError).toBeFalsy();
    const sent = structured<{ transfer_id: string; clave_rastreo: string; to_clabe: string; amount: number; user_id: string }>(result);
    expect(sent).toMatchObject({ user_id: 'user-ana', to_clabe: '002180012345678906', amount: 15_000, beneficiary_name: 'María Elena Ruiz', receiving_bank: 'Banamex' });
    expect(textOf(result)).toBe(
      `Envié $150.00 MXN por SPEI a María Elena Ruiz (Banamex, CLABE ****8906). Clave de rastreo ${sent.clave_rastreo}. Pregúntame después si ya llegó.\nPara saber si ya se liquidó o si fue devuelta, llama get_transfer_status con "transfer_id": "${sent.transfer_id}".`,
    );
    expect(retried.isError).toBeFalsy();
    expect(structured(retried)).toMatchObject({ transfer_id: sent.transfer_id, clave_rastreo: sent.clave_rastreo });
    expect((await balancesOf([ANA_NOMINA])).get(ANA_NOMINA.account_id)).toBe((before.get(ANA_NOMINA.account_id) as number) - 15_000);

    // Act: where is it, until the participant settles it
    let status = structured<{ status: string; cep: Record<string, unknown> }>(await call(client, 'get_transfer_status', { transfer_id: sent.transfer_id }));
    for (let attempt = 0; status.status === 'in_transit' && attempt < 40; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = structured(await call(client, 'get_transfer_status', { transfer_id: sent.transfer_id }));
    }
    const byBeneficiary = await call(client, 'get_transfer_status', { beneficiary: 'mi mamá' });

    // Assess
    expect(status).toMatchObject({
      status: 'settled',
      cep: { sending_bank: 'Centli', receiving_bank: 'Banamex', beneficiary_name: 'María Elena Ruiz', beneficiary_account_ending: '8906', amount: 15_000, clave_rastreo: sent.clave_rastreo, check_url: 'https://www.banxico.org.mx/cep/' },
    });
    expect(structured(byBeneficiary)).toMatchObject({ transfer_id: sent.transfer_id, status: 'settled' });
    expect(textOf(byBeneficiary)).toContain(`clave de rastreo ${sent.clave_rastreo}`);
    expect((await balancesOf([ANA_NOMINA])).get(ANA_NOMINA.account_id)).toBe((before.get(ANA_NOMINA.account_id) as number) - 15_000);

    // Act: another customer asks for Ana's transfer by its id
    const sofia = await connectHttp('user-sofia');
    const theirs = await call(sofia, 'get_transfer_status', { transfer_id: sent.transfer_id });
    await sofia.close();

    // Assess: the same answer as a transfer that does not exist
    expect(theirs).toMatchObject({ isError: true });
    expect(textOf(theirs)).toBe('No encontré una transferencia SPEI tuya con esos datos.');
  });
});
