import { describe, expect, it } from 'vitest';
import { formFields } from './run-action';

describe('formFields', () => {
  it('trims fields, drops empty ones, and keeps a password exactly as typed', () => {
    const form = new FormData();
    form.set('email', '  ada@example.com ');
    form.set('name', '   ');
    form.set('password', '  padded password  ');
    form.set('$ACTION_ID_abc', '');
    expect(formFields(form)).toEqual({
      email: 'ada@example.com',
      password: '  padded password  ',
    });
  });
});
