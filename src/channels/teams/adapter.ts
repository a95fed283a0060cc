/**
 * botbuilder's CloudAdapter, configured from the conventional variables
 * (MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppType, MicrosoftAppTenantId).
 * With an empty app id botbuilder accepts unauthenticated requests (development
 * and tests only: config.ts refuses production without credentials); with one,
 * it validates the Bot Framework JWT on every request and answers 401 otherwise.
 *
 * One change to the SDK's behaviour: the Bot Connector client's built-in retry
 * policy (Azure core's defaultRetryPolicy: 3 retries of 429/5xx with its own
 * delays, measured) is removed, so that `retry.ts` is the only retry layer and
 * a send makes at most `attempts` requests, with delays tests can inject.
 */
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity, type TurnContext } from 'botbuilder';
// botbuilder's own dependency (the public cloud's constants are not re-exported by botbuilder).
import { AuthenticationConstants } from 'botframework-connector';
import type { Config } from '../../config.ts';
import type { Logger } from '../../log.ts';

type ConnectorFactory = ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>;
type ClaimsIdentity = Parameters<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>[0];
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;

/** Name of Azure core's retry policy in the connector client's pipeline (@azure/core-rest-pipeline). */
const SDK_RETRY_POLICY = 'defaultRetryPolicy';

export type TeamsCredentials = Pick<Config, 'MicrosoftAppId' | 'MicrosoftAppPassword' | 'MicrosoftAppType' | 'MicrosoftAppTenantId'> & {
  /** Where the channel's signing keys are published (TEAMS_OPENID_METADATA_URL: sovereign clouds and tests); default the public cloud's. */
  TEAMS_OPENID_METADATA_URL?: string;
};

class SingleAttemptAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    credentials: TeamsCredentials,
    private readonly log: Logger,
  ) {
    super({
      MicrosoftAppId: credentials.MicrosoftAppId ?? '',
      MicrosoftAppPassword: credentials.MicrosoftAppPassword ?? '',
      MicrosoftAppType: credentials.MicrosoftAppType,
      MicrosoftAppTenantId: credentials.MicrosoftAppTenantId ?? '',
      // Another metadata URL: the public cloud's other settings, given explicitly (the SDK wants all or none).
      ...(credentials.TEAMS_OPENID_METADATA_URL
        ? {
            ToBotFromChannelOpenIdMetadataUrl: credentials.TEAMS_OPENID_METADATA_URL,
            ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
            ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
            ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
            ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
            OAuthUrl: AuthenticationConstants.OAuthUrl,
            ValidateAuthority: true,
          }
        : {}),
    });
  }

  /** Called by the adapter for every turn and every proactive send: clients come without SDK retries. */
  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    const inner = super.createConnectorFactory(claimsIdentity);
    return { create: async (serviceUrl: string, audience?: string) => this.withoutRetries(await inner.create(serviceUrl, audience)) };
  }

  private warned = false;

  private withoutRetries(client: ConnectorClient): ConnectorClient {
    // ServiceClientContext keeps its core-client ServiceClient in a private `client` field.
    const pipeline = (client as unknown as { client?: { pipeline?: { removePolicy(options: { name: string }): unknown[] } } }).client?.pipeline;
    const removed = pipeline?.removePolicy({ name: SDK_RETRY_POLICY }) ?? [];
    if (removed.length === 0 && !this.warned) {
      this.warned = true;
      this.log.warn({ policy: SDK_RETRY_POLICY }, 'teams: the Bot Connector client has no SDK retry policy to remove (botbuilder changed?): sends may be retried twice');
    }
    return client;
  }
}

type AuthenticateRequestResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

/** CloudAdapter whose turns can run on a request the endpoint already authenticated (auth.ts): no second check, no SDK error answer. */
export class GuichetAdapter extends CloudAdapter {
  /** Runs `logic` on the activity as CloudAdapter.process would, with the authentication done by the caller; resolves with the invoke response, if any. */
  runAuthenticated(authenticated: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(authenticated, activity, logic);
  }
}

/** The adapter, and the authentication it uses (the endpoint authenticates with it first: auth.ts). */
export function createBotAdapter(credentials: TeamsCredentials, log: Logger): { adapter: GuichetAdapter; auth: ConfigurationBotFrameworkAuthentication } {
  const auth = new SingleAttemptAuthentication(credentials, log);
  return { adapter: new GuichetAdapter(auth), auth };
}
