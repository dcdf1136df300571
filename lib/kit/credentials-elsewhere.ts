/**
 * What a function's bundle holds in place of the AWS SDK's credential providers that serve only
 * off Lambda: profiles (`~/.aws/config`, SSO, `credential_process`, a role to assume) and web
 * identity tokens. serverless.common.yml's esbuild `alias` points those four packages here, which
 * keeps about 100 kB out of every bundle (with them the SDK's STS, SSO and sign-in clients).
 *
 * The SDK's default chain is unchanged: in Lambda the execution role's credentials are in the
 * environment, the chain's first link, and nothing here is reached (without them it goes on to
 * the container and instance endpoints, as before). Off Lambda (`sls invoke local` with a
 * profile) each stand-in loads the real provider from node_modules when it is first asked, so
 * the chain answers exactly as the SDK's own; where no such package can be found it passes to
 * the chain's next link, as a provider with nothing to offer does.
 */
type Provider = (properties?: unknown) => Promise<unknown>;
type Factory = (init?: unknown) => Provider;

/** A provider that loads `name` from `pkg` at run time, outside the bundle. */
export function loadedWhenAsked(pkg: string, name: string): Factory {
  return (init) => async (properties) => {
    let real: Record<string, Factory>;
    try {
      // A computed path: esbuild leaves it to run time, so the package stays out of the bundle.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      real = require([pkg].join('')) as Record<string, Factory>;
    } catch {
      throw Object.assign(new Error(`${pkg} is not available to this function`), { name: 'CredentialsProviderError', tryNextLink: true });
    }
    return (real[name] as Factory)(init)(properties);
  };
}

export const fromIni = loadedWhenAsked('@aws-sdk/credential-provider-ini', 'fromIni');
export const fromSSO = loadedWhenAsked('@aws-sdk/credential-provider-sso', 'fromSSO');
export const fromProcess = loadedWhenAsked('@aws-sdk/credential-provider-process', 'fromProcess');
export const fromTokenFile = loadedWhenAsked('@aws-sdk/credential-provider-web-identity', 'fromTokenFile');
export const fromWebToken = loadedWhenAsked('@aws-sdk/credential-provider-web-identity', 'fromWebToken');
