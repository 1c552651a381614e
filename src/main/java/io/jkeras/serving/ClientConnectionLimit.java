package io.jkeras.serving;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.eclipse.jetty.io.Connection;

/**
 * Closes a new connection at once when its client address already holds the most connections
 * allowed, so that one client (a slowloris opening hundreds of sockets) cannot take every
 * connection and worker of the server.
 *
 * <p>Each connection's address is remembered when it opens: a closed socket may no longer report
 * its peer, and a count that missed a close would lock that client out for good.
 *
 * <pre>{@code
 * connector.addBean(new ClientConnectionLimit(64));
 * }</pre>
 */
final class ClientConnectionLimit implements Connection.Listener {

  private final int maxPerClient;
  private final ConcurrentMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
  private final ConcurrentMap<Connection, InetAddress> owners = new ConcurrentHashMap<>();

  ClientConnectionLimit(int maxPerClient) {
    this.maxPerClient = maxPerClient;
  }

  @Override
  public void onOpened(Connection connection) {
    InetAddress client = client(connection);
    if (client == null) {
      return;
    }
    owners.put(connection, client);
    int n = open.merge(client, 1, Integer::sum); // atomic with a close's decrement
    if (n > maxPerClient) {
      connection.getEndPoint().close();
    }
  }

  @Override
  public void onClosed(Connection connection) {
    InetAddress client = owners.remove(connection);
    if (client == null) {
      return;
    }
    open.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
  }

  private static InetAddress client(Connection connection) {
    SocketAddress a = connection.getEndPoint().getRemoteSocketAddress();
    return a instanceof InetSocketAddress s ? s.getAddress() : null;
  }
}
