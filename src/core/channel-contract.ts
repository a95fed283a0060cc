/**
 * What a platform channel hands the server: its HTTP entry point (Teams at /api/messages, Slack at
 * /slack/events). Senders and agents' channel posters are ports (ports.ts). The handler's type is
 * opaque here — the core never looks at HTTP — and any Express-style handler fits it.
 */

/** An Express-style request handler (`(req, res, next)`), kept opaque to the core. */
export type HttpHandler = (req: never, res: never, next: never) => unknown;

/**
 * A platform channel served by the app, mounted on its own path with its own body parsing. A channel
 * names its concrete handler type (`ChannelMount<express.Router>`); the server only needs `HttpHandler`.
 */
export interface ChannelMount<H extends HttpHandler = HttpHandler> {
  name: string;
  path: string;
  handler: H;
}
