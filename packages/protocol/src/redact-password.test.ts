import { describe, expect, it } from 'vitest';
import { redactPassword } from './redact-password.js';

describe('redactPassword', () => {
  it('hides the password of a connection string, and leaves one without a password as it is', () => {
    expect(redactPassword('postgresql://downhill:s3cr:et@db:5432/runs')).toBe(
      'postgresql://downhill:***@db:5432/runs',
    );
    expect(redactPassword('postgresql://downhill@db/runs')).toBe('postgresql://downhill@db/runs');
    expect(redactPassword('postgresql://postgres@/served?host=%2Ftmp%2Fpg')).toBe(
      'postgresql://postgres@/served?host=%2Ftmp%2Fpg',
    );
  });
});
