import { afterWrongPin, attemptsLeft, currentFailures, isLocked, LOCK_MINUTES, MAX_FAILURES } from '../../../../../services/voice/src/domain/lockout';
import { NOW } from '../fakes';

const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

describe('the lockout', () => {
  it('locks on the third consecutive wrong PIN, for fifteen minutes', () => {
    // Act
    const first = afterWrongPin({ failures: 0 }, NOW);
    const second = afterWrongPin(first, NOW);
    const third = afterWrongPin(second, NOW);

    // Assess
    expect([first, second]).toEqual([{ failures: 1 }, { failures: 2 }]);
    expect(third).toEqual({ failures: MAX_FAILURES, locked_until: minutes(LOCK_MINUTES).toISOString() });
    expect(MAX_FAILURES).toBe(3);
    expect(LOCK_MINUTES).toBe(15);
  });

  it('counts the attempts left down to none', () => {
    // Act & Assess
    expect([0, 1, 2].map((failures) => attemptsLeft({ failures }, NOW))).toEqual([3, 2, 1]);
    expect(attemptsLeft(afterWrongPin({ failures: 2 }, NOW), NOW)).toBe(0);
  });

  it('holds the lock until its last millisecond, and lifts it then with a fresh count', () => {
    // Prepare
    const locked = afterWrongPin({ failures: 2 }, NOW);

    // Act & Assess
    expect(isLocked(locked, minutes(14.99))).toBe(true);
    expect(isLocked(locked, minutes(15))).toBe(false);
    expect(currentFailures(locked, minutes(15))).toBe(0);
    expect(afterWrongPin(locked, minutes(16))).toEqual({ failures: 1 });
  });

  it('never counts past three, whatever is stored', () => {
    // Act & Assess
    expect(currentFailures({ failures: 7 }, NOW)).toBe(0);
    expect(afterWrongPin({ failures: 7 }, NOW)).toEqual({ failures: 1 });
    expect(afterWrongPin({ failures: 3, locked_until: minutes(5).toISOString() }, NOW).failures).toBe(MAX_FAILURES);
  });
});
