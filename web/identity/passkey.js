/**
 * The local issuer's passkey sign-in page (local/identity.ts), the step-up an approval above the
 * customer's MTU needs: creates a passkey for the customer signed in already (the form's
 * `id_token_hint`), and signs in with one, sending the authenticator's answer to the issuer with
 * the OAuth request the form carries. The WebAuthn ceremonies are @simplewebauthn/browser's, which
 * the issuer serves beside this script. What a deployed stage's Cognito managed login does itself.
 *
 * @module
 */
import { browserSupportsWebAuthn, startAuthentication, startRegistration } from './vendor/simplewebauthn/index.js';

const form = document.getElementById('passkey-form');
const status = document.getElementById('passkey-status');
const signInButton = document.getElementById('passkey-sign-in');
const registerButton = document.getElementById('passkey-register');

/** The issuer's answer to a ceremony step, or an Error with its description. */
async function post(step, body) {
  const response = await fetch(`/oauth2/passkeys/${step}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'omit' });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error_description ?? answer.error ?? `HTTP ${response.status}`);
  return answer;
}

function say(text) {
  status.textContent = text;
}

function busy(on) {
  signInButton.disabled = on;
  registerButton.disabled = on;
}

async function register() {
  busy(true);
  say('Creando tu llave de acceso… (creating your passkey…)');
  try {
    const idTokenHint = form.elements.namedItem('id_token_hint')?.value;
    const options = await post('registration-options', { id_token_hint: idTokenHint });
    const response = await startRegistration({ optionsJSON: options });
    await post('registration', { id_token_hint: idTokenHint, response });
    say('Listo: tu llave de acceso quedó registrada. Ahora úsala para confirmar. (Your passkey is registered: now use it.)');
    signInButton.focus();
  } catch (error) {
    say(`No se pudo crear la llave de acceso (could not create the passkey): ${error.message}`);
  } finally {
    busy(false);
  }
}

async function signIn() {
  busy(true);
  say('Esperando tu llave de acceso… (waiting for your passkey…)');
  try {
    const options = await post('authentication-options', {});
    const response = await startAuthentication({ optionsJSON: options });
    form.elements.namedItem('passkey').value = JSON.stringify(response);
    form.submit();
  } catch (error) {
    say(`No se pudo usar la llave de acceso (the passkey sign-in failed): ${error.message}`);
    busy(false);
  }
}

if (!browserSupportsWebAuthn()) {
  say('Este navegador no admite llaves de acceso (this browser has no passkeys).');
  busy(true);
} else {
  signInButton.addEventListener('click', signIn);
  registerButton.addEventListener('click', register);
}
