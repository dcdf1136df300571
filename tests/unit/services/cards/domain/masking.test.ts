import { assertMasked, isMaskedCardNumber, lastFourOf, maskCardNumber } from '../../../../../services/cards/src/domain/masking';

describe('maskCardNumber', () => {
  it.each([
    ['a 16-digit Visa', '4532123456781234', '453212******1234'],
    ['a number written in groups', '4532 1234 5678 1234', '453212******1234'],
    ['a number written with dashes', '5424-1812-3456-5678', '542418******5678'],
    ['a 15-digit American Express', '377812345673005', '377812*****3005'],
    ['a 19-digit number', '6011123456789012345', '601112*********2345'],
  ])('shows only the first six and last four digits of %s', (_, number, masked) => {
    expect(maskCardNumber(number)).toBe(masked);
  });

  it('leaves a masked number as it is, so masking twice changes nothing', () => {
    expect(maskCardNumber('453212******1234')).toBe('453212******1234');
    expect(maskCardNumber(maskCardNumber('4532123456781234'))).toBe('453212******1234');
  });

  it('hides middle digits a partly masked number still shows', () => {
    expect(maskCardNumber('45321234****1234')).toBe('453212******1234');
  });

  it.each([
    ['too short', '453212341234'],
    ['too long', '45321234567812345678'],
    ['letters', '4532abcd56781234'],
    ['hidden leading digits', '******3456781234'],
    ['hidden trailing digits', '453212345678****'],
    ['empty', ''],
  ])('refuses a value that is %s', (_, number) => {
    expect(() => maskCardNumber(number)).toThrow(RangeError);
  });

  it('never returns more than ten digits, whatever it is given', () => {
    for (let length = 13; length <= 19; length++) {
      const masked = maskCardNumber('9'.repeat(length));
      expect(masked.replace(/\D/g, '')).toHaveLength(10);
      expect(isMaskedCardNumber(masked)).toBe(true);
    }
  });
});

describe('assertMasked', () => {
  it('passes a masked number through', () => {
    expect(assertMasked('453212******1234')).toBe('453212******1234');
  });

  it.each(['4532123456781234', '4532123*****1234', '453212***1234x', '1234'])('refuses %s, which is not masked to six and four digits', (value) => {
    expect(() => assertMasked(value)).toThrow(RangeError);
  });
});

describe('lastFourOf', () => {
  it('reads the last four digits of a full or masked number', () => {
    expect(lastFourOf('4532 1234 5678 1234')).toBe('1234');
    expect(lastFourOf('377812*****3005')).toBe('3005');
  });
});
