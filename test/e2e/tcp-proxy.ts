import net from "node:net";

/** One client connection and, once forwarding has begun, its upstream connection. */
interface Link {
  client: net.Socket;
  upstream?: net.Socket;
}

/**
 * A loopback TCP proxy the test can cut and restore, or blackhole and lift, to take a real
 * PostgreSQL or Redis server "away" from the app without touching the server itself.
 *
 * - `cut()` closes every connection and the listening socket: new connections are refused.
 * - `blackhole()` models a network that silently drops packets: connections stay open and
 *   new ones are still accepted, but no byte moves in either direction and no close is
 *   passed on. `lift()` delivers what was held back, in order, as TCP retransmission would
 *   once the network heals.
 *
 * Holding bytes back (pausing the sockets) rather than discarding them keeps each byte
 * stream intact: a real network loses packets, never the middle of a TCP stream.
 */
export class TcpProxy {
  private server?: net.Server;
  private readonly links = new Set<Link>();
  private holed = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** Listens on `port` (0: any free port) and returns it. */
  async start(port = 0): Promise<number> {
    this.server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** Drop every connection and stop accepting new ones (clients see ECONNREFUSED). */
  async cut(): Promise<void> {
    this.holed = false;
    for (const link of this.links) this.destroy(link);
    this.links.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  /** Accept connections again on the same port. */
  async restore(): Promise<void> {
    await this.start(this.port);
  }

  /** Stop moving bytes, in both directions, on every connection, current and future. */
  blackhole(): void {
    this.holed = true;
    for (const link of this.links) {
      link.client.pause();
      link.upstream?.pause();
    }
  }

  /** Move bytes again: deliver what was held back, and connect links accepted meanwhile. */
  lift(): void {
    this.holed = false;
    for (const link of this.links) {
      if (link.client.destroyed || link.upstream?.destroyed) this.destroy(link);
      else if (link.upstream) {
        link.client.resume();
        link.upstream.resume();
      } else this.forward(link);
    }
  }

  private accept(client: net.Socket): void {
    const link: Link = { client };
    this.links.add(link);
    client.on("error", () => this.destroy(link));
    client.on("close", () => this.destroy(link));
    if (this.holed)
      client.pause(); // accepted, then silence: the TCP handshake is all a client gets
    else this.forward(link);
  }

  private forward(link: Link): void {
    const { client } = link;
    if (client.destroyed) return;
    const upstream = net.connect(this.targetPort, this.targetHost);
    link.upstream = upstream;
    upstream.on("error", () => this.destroy(link));
    upstream.on("close", () => this.destroy(link));
    // Plain "data" handlers rather than pipe(): pipe() resumes a source on "drain", which
    // would let bytes through a blackhole.
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", (chunk) => client.write(chunk));
    client.on("end", () => upstream.end());
    upstream.on("end", () => client.end());
    client.resume();
  }

  private destroy(link: Link): void {
    // While blackholed, a close is one more packet that never arrives: pass it on at lift().
    if (this.holed) return;
    this.links.delete(link);
    link.client.destroy();
    link.upstream?.destroy();
  }
}
