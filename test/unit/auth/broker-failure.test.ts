import { brokerFailureText } from '../../../src/background/tokens';

// The offscreen broker has no i18n API: it answers a failed sign-in with a code, and the worker words it.
describe('brokerFailureText', () => {
  it('words the codes the broker sends without a message', () => {
    expect(brokerFailureText({ errorCode: 'cancelled', message: '' })).toBe('Sign-in was cancelled.');
    expect(brokerFailureText({ errorCode: 'no_result', message: '' })).toBe('The sign-in answer could not be read.');
    expect(brokerFailureText({ errorCode: 'no_account', message: '' })).toBe('Not signed in.');
  });

  it("words a cancelled web-auth flow itself rather than showing the browser's English", () => {
    expect(brokerFailureText({ errorCode: 'cancelled', message: 'The user did not approve access.' })).toBe('Sign-in was cancelled.');
  });

  it("keeps MSAL's own text for other codes, and never shows an empty line", () => {
    expect(brokerFailureText({ errorCode: 'invalid_grant', message: 'AADSTS50173: the grant has expired.' })).toBe('AADSTS50173: the grant has expired.');
    expect(brokerFailureText({ errorCode: 'error', message: '' })).toBe('Sign-in failed.');
  });
});
