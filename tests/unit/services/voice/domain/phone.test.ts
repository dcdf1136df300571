import { maskedPhone, toE164 } from '../../../../../services/voice/src/domain/phone';

describe('toE164', () => {
  it.each([
    ['+52 55 1234 5678', '+525512345678'],
    ['+525512345678', '+525512345678'],
    ['+1 (206) 555-0100', '+12065550100'],
    ['0052 33 2345 6789', '+523323456789'],
    ['  +52.81.3456.7890 ', '+528134567890'],
  ])('writes %s as %s', (raw, e164) => {
    // Act & Assess
    expect(toE164(raw)).toBe(e164);
  });

  it.each([['55 1234 5678'], ['+52 55 1234 567a'], ['+0 55 1234 5678'], ['+1234'], ['+1234567890123456'], [''], ['anonymous']])('reads %s as no caller id', (raw) => {
    // Act & Assess
    expect(toE164(raw)).toBeUndefined();
  });

  it('reads what is not a string as no caller id', () => {
    // Act & Assess
    expect(toE164(undefined)).toBeUndefined();
    expect(toE164(525512345678)).toBeUndefined();
  });
});

describe('maskedPhone', () => {
  it('shows the country code and the last two digits only', () => {
    // Act & Assess
    expect(maskedPhone('+525512345678')).toBe('+52…78');
  });
});
